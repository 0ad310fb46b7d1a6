// Golden tests of the terminology checks on drafts of our own (test/fixtures/checks). Each
// draft's findings are rendered as a person reads them (the line, a caret under the span, the
// code, the message, each fix and the line it produces) and compared with the .golden file
// beside it. UPDATE_GOLDEN=1 rewrites the golden files; review their diff like code.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../server/src/core/analysis';
import { checkDocument, type CheckOptions, type DocumentFormat } from '../../server/src/core/checks';
import type { Finding, Fix } from '../../server/src/core/findings';
import { createResolver } from '../../server/src/core/resolver';
import { builtInCorpus, repositoryRoot, shippedLexicon } from '../support/shippedGlossary';

const fixtureDirectory = join(repositoryRoot, 'test', 'fixtures', 'checks');
const options: CheckOptions = { today: '2025-06-01', documentDate: '2024-09-02' };

export function runChecks(name: string, text: string) {
	const lexicon = shippedLexicon();
	const index = builtInCorpus();
	const uri = `file:///drafts/${name}`;
	const analysis = analyzeDocument(uri, text, lexicon, 1);
	index.set(analysis);
	const format: DocumentFormat = analysis.parsed.isStatement ? 'statement' : name.endsWith('.md') ? 'markdown' : 'plaintext';
	return checkDocument(text, analysis, format, { lexicon, resolver: createResolver(() => lexicon, index), options });
}

export function applyFix(text: string, fix: Fix): string {
	let result = text;
	for (const edit of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
	return result;
}

function lineAround(text: string, offset: number): { number: number; start: number; text: string } {
	const start = text.lastIndexOf('\n', offset - 1) + 1;
	const end = text.indexOf('\n', offset);
	return { number: text.slice(0, start).split('\n').length, start, text: text.slice(start, end === -1 ? text.length : end) };
}

function render(text: string, findings: readonly Finding[], directiveProblems: readonly { span: { start: number; end: number }; message: string }[] = []): string {
	const problems = directiveProblems.map((problem) => {
		const line = lineAround(text, problem.span.start);
		return `${line.number}:${problem.span.start - line.start + 1} suppression.invalid\n  | ${line.text}\n  = ${problem.message}`;
	});
	if (findings.length === 0 && problems.length === 0) return 'No findings.\n';
	const blocks = findings.map((finding) => {
		const line = lineAround(text, finding.span.start);
		const column = finding.span.start - line.start;
		const width = Math.max(1, Math.min(finding.span.end, line.start + line.text.length) - finding.span.start);
		const lines = [
			`${line.number}:${column + 1} ${finding.code} (${finding.severity})`,
			`  | ${line.text}`,
			`  | ${' '.repeat(column)}${'^'.repeat(width)}`,
			`  = ${finding.message}`,
		];
		for (const fix of finding.fixes) {
			const fixed = applyFix(text, fix);
			const first = Math.min(...fix.edits.map((edit) => edit.span.start));
			lines.push(`  fix: ${fix.title}`, `    | ${lineAround(fixed, first).text}`);
		}
		return lines.join('\n');
	});
	return [...blocks, ...problems].join('\n\n') + '\n';
}

const fixtures = readdirSync(fixtureDirectory).filter((name) => /\.(md|txt)$/.test(name)).sort();

describe('check golden files', () => {
	for (const name of fixtures) {
		test(name, () => {
			const text = readFileSync(join(fixtureDirectory, name), 'utf8');
			const result = runChecks(name, text);
			const rendered = render(text, result.findings, result.directiveProblems);
			const goldenPath = join(fixtureDirectory, `${name}.golden`);
			if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, rendered);
			assert.ok(existsSync(goldenPath), `${name} has no golden file; run with UPDATE_GOLDEN=1 and review it`);
			assert.equal(rendered, readFileSync(goldenPath, 'utf8'), `${name} differs from its golden file; run with UPDATE_GOLDEN=1 and review the diff`);
		});
	}
});

describe('quick fixes', () => {
	for (const name of fixtures) {
		test(`every fix in ${name} removes its finding`, () => {
			const text = readFileSync(join(fixtureDirectory, name), 'utf8');
			const findings = runChecks(name, text).findings;
			for (const finding of findings) {
				for (const fix of finding.fixes) {
					const fixed = applyFix(text, fix);
					const before = findings.filter((other) => other.code === finding.code).length;
					const after = runChecks(name, fixed).findings.filter((other) => other.code === finding.code).length;
					assert.ok(after < before, `"${fix.title}" on ${finding.code} at ${finding.span.start} left ${after} of ${before} findings`);
				}
			}
		});
	}
});

test('the clean draft has no finding at all', () => {
	assert.deepEqual(runChecks('clean.md', readFileSync(join(fixtureDirectory, 'clean.md'), 'utf8')).findings, []);
});
