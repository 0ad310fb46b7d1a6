// The shipped glossary against its schema and its own rules, and the loader's error spans.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { mergeGlossaries, parseGlossaryFile, type GlossaryFile } from '../../server/src/core/glossary';
import { GlossarySet } from '../../server/src/core/glossarySet';
import { repositoryRoot } from '../support/lspClient';

const glossaryDirectory = join(repositoryRoot, 'data', 'glossary');
const shippedFiles: GlossaryFile[] = readdirSync(glossaryDirectory)
	.filter((name) => name.endsWith('.yaml'))
	.sort()
	.map((name) => parseGlossaryFile(`file:///data/glossary/${name}`, readFileSync(join(glossaryDirectory, name), 'utf8')));

describe('the shipped glossary', () => {
	test('every file is valid against the schema', () => {
		for (const file of shippedFiles) assert.deepEqual(file.problems, [], `${file.uri} has problems`);
	});

	const entities = shippedFiles.flatMap((file) => file.entities);
	const ids = new Set(entities.map((entity) => entity.id));

	test('holds at least 300 entities', () => assert.ok(entities.length >= 300, `only ${entities.length} entities`));

	test('ids are unique across files', () => assert.equal(ids.size, entities.length));

	test('parent and successor name existing entries', () => {
		for (const entity of entities) {
			if (entity.parent) assert.ok(ids.has(entity.parent), `${entity.id}.parent names unknown ${entity.parent}`);
			if (entity.successor) assert.ok(ids.has(entity.successor), `${entity.id}.successor names unknown ${entity.successor}`);
		}
	});

	test('a renamed body has both its end date and its successor', () => {
		for (const entity of entities) {
			if (entity.successor) assert.ok(entity.until, `${entity.id} has a successor but no until date`);
			if (entity.until && entity.since) assert.ok(entity.since < entity.until, `${entity.id} ends before it starts`);
		}
	});

	test('no two entries share a name or alias', () => {
		const owners = new Map<string, string>();
		for (const entity of entities) {
			for (const name of [entity.name, ...entity.aliases]) {
				const key = name.toLowerCase();
				assert.ok(!owners.has(key) || owners.get(key) === entity.id, `"${name}" is claimed by ${owners.get(key)} and ${entity.id}`);
				owners.set(key, entity.id);
			}
		}
	});

	test('descriptions are one or two sentences', () => {
		for (const entity of entities) {
			const sentences = entity.description.split(/(?<!\b[A-Z]\.[A-Z]\.)(?<=[.!?])\s+(?=[A-Z])/).length;
			assert.ok(sentences <= 2, `${entity.id} has ${sentences} sentences`);
		}
	});

	test('the names the product promises are there', () => {
		const merged = mergeGlossaries(shippedFiles).entities;
		assert.equal(merged.get('jp.jaxa')?.name, 'Japan Aerospace Exploration Agency');
		assert.equal(merged.get('jp.nasda')?.successor, 'jp.jaxa');
		assert.equal(merged.get('jp.nasda')?.until, '2003-10-01');
		assert.equal(merged.get('treaty.japan-us-security')?.articles, 10);
		assert.equal(merged.get('treaty.outer-space')?.articles, 17);
		for (const id of ['us.nasa', 'us.artemis', 'us.gateway', 'jp.qzss', 'jp.mmx', 'treaty.artemis-accords', 'int.iss', 'int.asean', 'int.g7', 'int.quad', 'jp.foip']) {
			assert.ok(merged.has(id), `${id} is missing`);
		}
	});
});

describe('glossary problems', () => {
	interface Case { name: string; text: string; at: string; message: RegExp }
	const cases: Case[] = [
		{ name: 'a YAML syntax error', text: 'entries:\n  - id: a.b\n    name: [unclosed\n', at: '', message: /^Syntax error/ },
		{ name: 'a kind outside the list', text: 'entries:\n  - id: a.b\n    kind: gadget\n    name: Some Name\n    description: A body for this test case.\n', at: 'gadget', message: /"entries\.0\.kind" must be one of: agency/ },
		{ name: 'a missing field', text: 'entries:\n  - id: a.b\n    kind: agency\n    name: Some Name\n', at: 'id: a.b', message: /missing the required field "description"/ },
		{ name: 'an unknown field', text: 'entries:\n  - id: a.b\n    kind: agency\n    name: Some Name\n    colour: blue\n    description: A body for this test case.\n', at: 'colour', message: /unknown field "colour"/ },
		{ name: 'a malformed date', text: 'entries:\n  - id: a.b\n    kind: agency\n    name: Some Name\n    since: 2003-13-01\n    description: A body for this test case.\n', at: '2003-13-01', message: /"entries\.0\.since" does not have the expected form/ },
		{ name: 'a duplicate id', text: 'entries:\n  - id: a.b\n    kind: agency\n    name: One Name\n    description: A body for this test case.\n  - id: a.b\n    kind: agency\n    name: Two Name\n    description: A body for this test case.\n', at: 'a.b\n    kind: agency\n    name: Two', message: /The id "a\.b" is used by an earlier entry/ },
	];
	for (const testCase of cases) {
		test(testCase.name, () => {
			const file = parseGlossaryFile('file:///g.yaml', testCase.text);
			assert.equal(file.entities.length, 0);
			assert.equal(file.problems.length, 1, JSON.stringify(file.problems));
			assert.match(file.problems[0]!.message, testCase.message);
			if (testCase.at) assert.equal(file.problems[0]!.span.start, testCase.text.indexOf(testCase.at));
		});
	}

	test('a file with problems keeps its last good version in force', () => {
		const set = new GlossarySet();
		const good = 'entries:\n  - id: ws.widget\n    kind: council\n    name: Widget Council\n    acronyms: [WICO]\n    description: A body for this test case.\n';
		assert.equal(set.updateWorkspaceFile('file:///g.yaml', good).changed, true);
		assert.ok(set.lexicon.acronymEntities.has('WICO'));
		const result = set.updateWorkspaceFile('file:///g.yaml', good.replace('council', 'gizmo'));
		assert.equal(result.changed, false);
		assert.equal(result.problems.length, 1);
		assert.ok(set.lexicon.acronymEntities.has('WICO'));
	});

	test('a workspace entry overrides the built-in entry with the same id', () => {
		const set = new GlossarySet();
		set.addBuiltIn('file:///builtin.yaml', 'entries:\n  - id: a.b\n    kind: agency\n    name: Old Name\n    description: A body for this test case.\n');
		set.updateWorkspaceFile('file:///ws.yaml', 'entries:\n  - id: a.b\n    kind: agency\n    name: New Name\n    description: A body for this test case.\n');
		assert.equal(set.lexicon.glossary.entities.get('a.b')?.name, 'New Name');
	});
});
