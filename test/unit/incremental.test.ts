// A property of the incremental analysis (server/src/core/incremental.ts): after any edit, the
// analysis and the findings it gives are exactly those of analysing and checking the whole new
// text. Drafts are generated from the shipped glossary (names, acronyms, treaties, Japanese names)
// with the Markdown that matters (headings, lists, code, fences, HTML comments with suppression
// directives, links and reference definitions, front matter) and names broken across a line or
// a blank line; then random edits are made to them, each checked against the full analysis.
// The generator is seeded, so a failure names the seed and the edit that reproduce it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/core/analysis';
import { checkDocument, type CheckContext, type CheckResult, type DocumentFormat } from '../../server/src/core/checks';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import type { Entity } from '../../server/src/core/glossary';
import { findingsMoveOf, IncrementalAnalysis, spanIndexOf, touchesAny } from '../../server/src/core/incremental';
import { analyzeMarkdown, MarkdownDocument } from '../../server/src/core/markdown';
import { createResolver } from '../../server/src/core/resolver';
import { findTextChange } from '../../server/src/core/textChange';
import { createRandom, type Random } from '../../bench/random';
import { shippedLexicon } from '../support/shippedGlossary';

/** The benchmark's seeded generator (mulberry32), so test drafts are deterministic too. */
const seededRandom = createRandom;

const lexicon = shippedLexicon();
const entities = [...lexicon.glossary.entities.values()];
const withAcronym = entities.filter((entity) => entity.acronyms.length > 0 && /^[A-Z][A-Za-z0-9-]+$/.test(entity.acronyms[0]!) && !/[()]/.test(entity.name));
const treaties = entities.filter((entity) => entity.kind === 'treaty' && entity.articles !== undefined);
const japanese = withAcronym.filter((entity) => entity.ja !== undefined);
const topics = ['space situational awareness', 'lunar exploration', 'maritime security', 'export control', 'disaster risk reduction', 'energy security'];

/** One sentence of policy prose naming glossary entries in the ways the analysis reads them. */
function sentence(random: Random): string {
	const entity = random.pick(withAcronym);
	const acronym = entity.acronyms[0]!;
	const topic = random.pick(topics);
	switch (random.int(0, 9)) {
		case 0: return `The ${entity.name} (${acronym}) will lead the work on ${topic}.`;
		case 1: return `${acronym} (${entity.name}) reported on ${topic}.`;
		case 2: return `${acronym} has not yet commented on ${topic}.`;
		case 3: {
			const treaty = random.pick(treaties);
			return `Drafters cited Article ${random.int(1, (treaty.articles ?? 10) + 3)} of the ${treaty.name} on ${topic}.`;
		}
		case 4: return `Officials of the ${entity.name} said ${acronym} would brief the committee.`;
		case 5: {
			const named = random.pick(japanese.length > 0 ? japanese : withAcronym);
			return named.ja ? `${named.ja}（${named.acronyms[0]}）は${topic}について説明した。` : `${named.name} met.`;
		}
		case 6: return `The XQ${String.fromCharCode(65 + random.int(0, 25))} team will report on ${topic}.`;
		case 7: return `The ${entity.name.toLowerCase()} noted progress.`;
		case 8: return `KISHIDA Fumio thanked ${acronym} for its work on ${topic}.`;
		default: return `Both sides noted progress on ${topic} and agreed to meet again.`;
	}
}

function paragraph(random: Random): string {
	return Array.from({ length: random.int(1, 4) }, () => sentence(random)).join(random.chance(0.2) ? '\n' : ' ');
}

/** A name whose words are broken by a line break or a blank line: recognition reads across both. */
function brokenName(random: Random, entity: Entity): string {
	const words = entity.name.split(' ');
	if (words.length < 2) return entity.name;
	const at = random.int(1, words.length - 1);
	return `${words.slice(0, at).join(' ')}${random.pick(['\n', '\n\n', '\n \n'])}${words.slice(at).join(' ')}`;
}

/** A Markdown block (or a plain paragraph), ending without a line break. */
function block(random: Random, markdown: boolean): string {
	if (!markdown) return random.chance(0.2) ? `Statement on ${brokenName(random, random.pick(withAcronym))} and ${paragraph(random)}` : paragraph(random);
	const entity = random.pick(withAcronym);
	switch (random.int(0, 13)) {
		case 0: return `${'#'.repeat(random.int(1, 3))} ${random.int(1, 9)}. ${entity.name}`;
		case 1: return `- ${sentence(random)}\n- ${sentence(random)}\n  continued with \`${entity.acronyms[0]}\``;
		case 2: return `\`\`\`text\n${entity.name} (${entity.acronyms[0]})\n\n${entity.acronyms[0]} inside a fence\n\`\`\``;
		case 3: return `<!-- policy-lens-disable-next-line -->\n${sentence(random)}`;
		case 4: return `<!-- a reviewer's note on ${entity.acronyms[0]}\n\nacross a blank line -->`;
		case 5: return `See [the ${entity.acronyms[0]} page](https://example.org/${entity.acronyms[0]}) and [the notes][notes-${random.int(1, 3)}].`;
		case 6: return `[notes-${random.int(1, 3)}]: https://example.org/notes "${entity.name}"`;
		case 7: return `> ${sentence(random)}\n> ${sentence(random)}`;
		case 8: return `| Body | Topic |\n|---|---|\n| ${entity.acronyms[0]} | ${random.pick(topics)} |`;
		case 9: return `The delegation of the ${brokenName(random, entity)} arrived.`;
		case 10: return `<!-- policy-lens-disable acronym.undefined -->\n${paragraph(random)}\n<!-- policy-lens-enable -->`;
		case 11: return `    ${entity.acronyms[0]} in indented code`;
		default: return paragraph(random);
	}
}

interface Draft {
	readonly uri: string;
	readonly format: DocumentFormat;
	readonly text: string;
}

function generateDraft(random: Random, format: DocumentFormat): Draft {
	const markdown = format === 'markdown';
	let text = '';
	if (markdown && random.chance(0.6)) text += `---\ntitle: Draft on ${random.pick(withAcronym).name}\ndate: ${random.pick(['1995-04-01', '2004-06-30', '2024-09-02'])}\n---\n\n`;
	if (format === 'statement') text += `[Title] Joint Statement on ${random.pick(topics)}\n[Date] ${random.pick(['April 1, 1995', 'June 30, 2004', 'September 2, 2024'])}\n[Full text]\n`;
	const blocks = random.int(40, 80);
	for (let index = 0; index < blocks; index++) text += block(random, markdown) + random.pick(['\n\n', '\n\n', '\n\n\n', '\n']);
	if (random.chance(0.15)) text = text.replace(/\n/g, '\r\n');
	return { uri: `file:///drafts/draft.${markdown ? 'md' : 'txt'}`, format, text };
}

/** One random edit of the kinds an author makes; returns the new text and what was done. */
function edit(random: Random, text: string): { text: string; description: string } {
	const at = (position: number) => Math.max(0, Math.min(text.length, position));
	const insert = (position: number, inserted: string, removed = 0) => ({ text: text.slice(0, position) + inserted + text.slice(position + removed), description: `${JSON.stringify(inserted)} at ${position}, removing ${removed}` });
	const somewhere = () => random.int(0, text.length);
	const after = (pattern: RegExp, fallback: number) => {
		const matches = [...text.matchAll(pattern)];
		if (matches.length === 0) return fallback;
		const match = random.pick(matches);
		return match.index + match[0].length;
	};
	switch (random.int(0, 14)) {
		case 0: return insert(somewhere(), random.pick(['x', 'A', ' ', '\n', '-', '(', ')', '`', '#', '<', '[', ']', '*', '>', '|', '、']));
		case 1: return insert(at(somewhere()), '', random.int(1, 3));
		case 2: {
			const lineStart = text.lastIndexOf('\n', somewhere()) + 1;
			return insert(lineStart, `${block(random, true)}\n\n`);
		}
		case 3: {
			// Delete a blank line, joining two blocks.
			const blank = after(/\n[ \t]*\n/g, -1);
			return blank === -1 ? insert(somewhere(), 'y') : insert(blank - 1, '', 1);
		}
		case 4: return insert(after(/```text\n/g, somewhere()), random.pick(['JAXA ', '\n', '```\n', 'x']));
		case 5: return insert(after(/^---\n/g, somewhere()), random.pick(['x', 'date: 2001-01-01\n', '---\n', '\n']));
		case 6: return insert(after(/<!--/g, somewhere()), random.pick([' policy-lens-disable ', 'x', '-->', '\n\n']));
		case 7: return insert(somewhere(), 'Japan Aerospace Exploration Agency (JAXA)'.slice(0, random.int(1, 42)));
		case 8: return insert(text.lastIndexOf('\n', somewhere()) + 1, random.pick(['```\n', '<!--\n', '    ', '# ', '\n']));
		case 9: {
			// Break or join a name at its spaces.
			const space = after(/ (?=[A-Z])/g, -1);
			return space === -1 ? insert(somewhere(), ' ') : insert(space - 1, random.pick(['\n', '\n\n', '-']), 1);
		}
		case 10: return insert(somewhere(), `${sentence(random)} `);
		case 11: return insert(at(somewhere() - 5), '', random.int(5, 60));
		// Typing in prose, where most edits leave every name as it was.
		case 12: return insert(after(/\. /g, somewhere()), random.pick(['x', 'So ', 'And ']));
		case 13: {
			const word = after(/ (?:the|and|on|of|to) /g, -1);
			return word === -1 ? insert(somewhere(), 'x') : random.chance(0.5) ? insert(word - 1, 'x') : insert(word - 2, '', 1);
		}
		default: return insert(after(/[a-z] /g, somewhere()), random.pick(['very ', 'y', ' ']));
	}
}

/**
 * The checks' context as the server keeps it: one index (holding the draft) and one resolver, for
 * every version; with `resolution`, each check is told the index's resolution generation as it is then.
 */
function serverContext(resolution = true): { context: CheckContext; index: CorpusIndex } {
	const index = new CorpusIndex();
	const context: CheckContext = { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } };
	if (!resolution) return { context, index };
	return { context: { ...context, get resolution() { return index.resolutionGeneration; } }, index };
}

/** Runs `edits` random edits on a generated draft, comparing each result with a full analysis. */
function checkEdits(seed: number, format: DocumentFormat, edits: number): void {
	const random = seededRandom(seed);
	const draft = generateDraft(random, format);
	const incremental = new IncrementalAnalysis(draft.uri);
	// Odd seeds tell the checks the corpus's resolution generation, as the server does; even ones do not.
	const { context, index } = serverContext(seed % 2 === 1);
	let text = draft.text;
	for (let step = 0; step <= edits; step++) {
		let description = 'the draft as generated';
		if (step > 0) ({ text, description } = edit(random, text));
		const where = `seed ${seed}, step ${step}: ${description}`;
		const analysis = incremental.analyze(text, lexicon, step);
		const full = analyzeDocument(draft.uri, text, lexicon, step);
		assert.deepStrictEqual(analysis, full, `analysis differs (${where})`);
		const checkFormat = full.parsed.isStatement ? 'statement' : draft.format;
		index.set(analysis);
		assert.deepStrictEqual(incremental.check(text, analysis, checkFormat, context), checkDocument(text, full, checkFormat, context), `findings differ (${where})`);
	}
}

describe('incremental analysis: random edits give what a full analysis gives', () => {
	for (const seed of [1, 2, 3, 4, 5, 6]) test(`a Markdown draft, seed ${seed}`, () => checkEdits(seed, 'markdown', 30));
	for (const seed of [7, 8]) test(`a plain-text draft, seed ${seed}`, () => checkEdits(seed, 'plaintext', 30));
	test('a statement, seed 9', () => checkEdits(9, 'statement', 30));
});

describe('incremental analysis: names and article phrases read across a blank line', () => {
	// Prose long enough that the window around an edit cannot reach the document's ends.
	const filler = (random: Random) => Array.from({ length: 40 }, () => paragraph(random)).join('\n\n');
	const cases: ReadonlyArray<{ name: string; before: string; after: string }> = [
		{ name: 'completing the second half of a name', before: 'The Japan Aerospace\n\nExploratio Agency met.', after: 'The Japan Aerospace\n\nExploration Agency met.' },
		{ name: 'completing the first half of a name', before: 'The Japan Aerospac\n\nExploration Agency met.', after: 'The Japan Aerospace\n\nExploration Agency met.' },
		{ name: 'breaking a name', before: 'The Japan Aerospace\n\nExploration Agency met.', after: 'The Japan Aerospace.\n\nExploration Agency met.' },
		{ name: 'writing an article before a treaty', before: 'It cited Articl V of the\n\nOuter Space Treaty today.', after: 'It cited Article V of the\n\nOuter Space Treaty today.' },
		{ name: 'writing a treaty after an article', before: 'It cited Article V of the\n\nOuter Spac Treaty today.', after: 'It cited Article V of the\n\nOuter Space Treaty today.' },
	];
	for (const [caseNumber, testCase] of cases.entries()) {
		test(testCase.name, () => {
			const random = seededRandom(100 + caseNumber);
			const head = filler(random);
			const tail = filler(random);
			const uri = 'file:///drafts/names.md';
			const incremental = new IncrementalAnalysis(uri);
			const { context, index } = serverContext();
			for (const [version, middle] of [testCase.before, testCase.after, testCase.before].entries()) {
				const text = `${head}\n\n${middle}\n\n${tail}`;
				const analysis = incremental.analyze(text, lexicon, version);
				const full = analyzeDocument(uri, text, lexicon, version);
				assert.deepStrictEqual(analysis, full, `analysis differs at version ${version}`);
				index.set(analysis);
				assert.deepStrictEqual(incremental.check(text, analysis, 'markdown', context), checkDocument(text, full, 'markdown', context));
			}
		});
	}
});

describe('incremental checks: an edit that moves no name still changes findings through', () => {
	// Each case edits text away from every mention (so the analysis is only moved) in a way that
	// changes the findings all the same; moving the previous findings would be wrong.
	const cases: ReadonlyArray<{ name: string; format: DocumentFormat; before: string; after: string; define?: string }> = [
		{ name: 'a code span opened in prose', format: 'markdown', before: 'Before x, JAXA is used. After `code` too.', after: 'Before `x, JAXA is used. After `code` too.' },
		{ name: 'a suppression directive completed in plain text', format: 'plaintext', before: 'ZZQV is new. # policy-lens-disable-lin -- as agreed', after: 'ZZQV is new. # policy-lens-disable-line -- as agreed' },
		{ name: 'the codes of a suppression directive', format: 'plaintext', before: 'JAXA is used. # policy-lens-disable-line acronym.unknown', after: 'JAXA is used. # policy-lens-disable-line acronym.undefined' },
		{ name: 'a line break moving a name off a suppressed line', format: 'plaintext', before: '# policy-lens-disable-next-line\nSome words, then JAXA is used.', after: '# policy-lens-disable-next-line\nSome words,\nthen JAXA is used.' },
		{ name: 'a given name after capitals that are no acronym', format: 'markdown', before: 'We thank KISHIDA Fumio for his remarks.', after: 'We thank KISHIDA fumio for his remarks.' },
		{ name: 'an expansion known only from its definition, spelled out', format: 'markdown', before: 'The Zeta Quorum Venture (ZQV) met. ZQV spoke. Later the zeta quorum ventur spoke.', after: 'The Zeta Quorum Venture (ZQV) met. ZQV spoke. Later the zeta quorum venture spoke.' },
		{ name: 'an acronym defined in another document meanwhile', format: 'markdown', before: 'The XQZ team met.\n\nThey met on Tuesday.', after: 'The XQZ team met.\n\nThey met on a Tuesday.', define: 'The Xenon Quartz Zone (XQZ) was founded.' },
	];
	for (const [caseNumber, testCase] of cases.entries()) {
		test(testCase.name, () => {
			const random = seededRandom(200 + caseNumber);
			const markdown = testCase.format === 'markdown';
			// Text naming nothing, so that the edited lines decide the findings.
			const markup = ['## Notes', '- one point\n- another point', 'Set `flag` first.', '> A quoted remark.'];
			const neutral = () => (markdown && random.chance(0.5) ? `${random.pick(markup)}\n\n` : '') + 'Both sides noted progress and agreed to meet again. '.repeat(random.int(1, 4)).trim();
			const head = Array.from({ length: 30 }, neutral).join('\n\n');
			const tail = Array.from({ length: 30 }, neutral).join('\n\n');
			const uri = `file:///drafts/edit.${markdown ? 'md' : 'txt'}`;
			const incremental = new IncrementalAnalysis(uri);
			const { context, index } = serverContext();
			const results = [];
			for (const [version, middle] of [testCase.before, testCase.after].entries()) {
				if (version === 1 && testCase.define) index.set(analyzeDocument('file:///corpus/other.txt', testCase.define, lexicon));
				const text = `${head}\n\n${middle}\n\n${tail}`;
				const analysis = incremental.analyze(text, lexicon, version);
				const full = analyzeDocument(uri, text, lexicon, version);
				assert.deepStrictEqual(analysis, full, `analysis differs at version ${version}`);
				index.set(analysis);
				const result = incremental.check(text, analysis, testCase.format, context);
				assert.deepStrictEqual(result, checkDocument(text, full, testCase.format, context), `findings differ at version ${version}`);
				results.push(result.findings.map((finding) => `${finding.code} ${text.slice(finding.span.start, finding.span.end)}`));
			}
			assert.notDeepStrictEqual(results[0], results[1], 'the edit changes the findings');
		});
	}
});

test('incremental checks: the same text checked again after the corpus defines one of its acronyms', () => {
	const text = `The XQZ team met.\n\n${'Both sides noted progress. '.repeat(40)}`;
	const uri = 'file:///drafts/again.md';
	const incremental = new IncrementalAnalysis(uri);
	const { context, index } = serverContext();
	const analysis = incremental.analyze(text, lexicon, 1);
	index.set(analysis);
	const before = incremental.check(text, analysis, 'markdown', context);
	assert.deepStrictEqual(incremental.check(text, analysis, 'markdown', context), before);
	index.set(analyzeDocument('file:///corpus/other.txt', 'The Xenon Quartz Zone (XQZ) was founded.', lexicon));
	const after = incremental.check(text, analysis, 'markdown', context);
	assert.deepStrictEqual(after, checkDocument(text, analysis, 'markdown', context));
	assert.notDeepStrictEqual(after.findings, before.findings);
});

describe('MarkdownDocument: re-parsing only the touched chunks gives what a full parse gives', () => {
	test('typing and deleting through a long document', () => {
		const random = seededRandom(21);
		let text = generateDraft(random, 'markdown').text;
		for (let copy = 0; copy < 3; copy++) text += generateDraft(random, 'markdown').text.replace(/^---[^]*?---\n/, '');
		const document = new MarkdownDocument();
		for (let step = 0; step < 60; step++) {
			if (step > 0) text = edit(random, text).text;
			assert.deepStrictEqual(document.update(text), analyzeMarkdown(text), `structure differs at step ${step}`);
		}
	});
});

test('findTextChange: the stretch between the common start and the common end', () => {
	assert.deepEqual(findTextChange('abcdef', 'abXYef'), { start: 2, previousEnd: 4, nextEnd: 4 });
	assert.deepEqual(findTextChange('aaaa', 'aaaaa'), { start: 4, previousEnd: 4, nextEnd: 5 });
	assert.deepEqual(findTextChange('same', 'same'), { start: 4, previousEnd: 4, nextEnd: 4 });
	const long = 'x'.repeat(1000);
	assert.deepEqual(findTextChange(`${long}a${long}`, `${long}${long}`), { start: 1000, previousEnd: 1001, nextEnd: 1000 });
});

test('an index that files each edited version answers as one that files it afresh', () => {
	// Most edits only move what the draft mentions; the index then keeps its postings as they are.
	const random = seededRandom(51);
	const draft = generateDraft(random, 'markdown');
	const incremental = new IncrementalAnalysis(draft.uri);
	const { index } = serverContext();
	const keys = [...new Set([...lexicon.glossary.entities.keys(), ...lexicon.acronymEntities.keys()])];
	let text = draft.text;
	for (let step = 0; step <= 40; step++) {
		let description = 'the draft as generated';
		if (step > 0) ({ text, description } = edit(random, text));
		index.set(incremental.analyze(text, lexicon, step));
		const fresh = new CorpusIndex();
		fresh.set(analyzeDocument(draft.uri, text, lexicon, step));
		const filed = (subject: CorpusIndex) => keys.filter((key) => subject.documentsMentioning([key]).length > 0 || subject.defines(subject.idOf(draft.uri), key));
		assert.deepEqual(filed(index), filed(fresh), `step ${step}: ${description}`);
		assert.equal(index.statementCount, fresh.statementCount);
	}
});

describe('incremental analysis: memory stays bounded edit after edit', () => {
	setFlagsFromString('--expose-gc');
	const collectGarbage = runInNewContext('gc') as () => void;
	/** Collects garbage after the current job, when weak references made in it may be cleared. */
	const settle = async () => {
		await new Promise((resolve) => setImmediate(resolve));
		collectGarbage();
	};

	/**
	 * A long Markdown draft, checked after each edit as the server does. Each edit types or deletes
	 * a letter at a sentence start: in the middle, or `scattered` through the draft, one place after another.
	 */
	async function editDraft(edits: number, scattered: boolean, afterEdit: (step: number, analysis: DocumentAnalysis, result: CheckResult) => Promise<void>, anchor = '. '): Promise<void> {
		const random = seededRandom(31);
		let text = generateDraft(random, 'markdown').text;
		while (text.length < 400_000) text += generateDraft(random, 'markdown').text.replace(/^---[^]*?---\n/, '');
		const uri = 'file:///drafts/long.md';
		const incremental = new IncrementalAnalysis(uri);
		const { context, index } = serverContext();
		const middle = text.indexOf(anchor, text.length >> 1) + anchor.length;
		for (let step = 0; step <= edits; step++) {
			const at = scattered ? text.indexOf(anchor, Math.floor((text.length * step) / (edits + 1))) + anchor.length : middle;
			if (step > 0) text = step % 2 === 1 || scattered ? `${text.slice(0, at)}x${text.slice(at)}` : text.slice(0, at) + text.slice(at + 1);
			const analysis = incremental.analyze(text, lexicon, step);
			index.set(analysis);
			const result = incremental.check(text, analysis, 'markdown', context);
			// Asked as the server asks it, for the diagnostics.
			findingsMoveOf(result);
			await afterEdit(step, analysis, result);
		}
	}

	test('an earlier analysis is not kept once later ones replace it', async () => {
		const earlier: Array<WeakRef<DocumentAnalysis>> = [];
		let collected: boolean[] = [];
		await editDraft(8, false, async (step, analysis) => {
			if (step < 3) earlier.push(new WeakRef(analysis));
			// Asked while the draft is still open: its incremental state is alive.
			if (step === 8) {
				await settle();
				collected = earlier.map((reference) => reference.deref() === undefined);
			}
		});
		assert.deepEqual(collected, [true, true, true]);
	});

	test('an earlier check result is not kept once later ones replace it', async () => {
		// Each result moved from the one before knows that one (for the diagnostics); it must not keep it.
		const earlier: Array<WeakRef<CheckResult>> = [];
		let collected: boolean[] = [];
		let moved = 0;
		await editDraft(8, false, async (step, _analysis, result) => {
			if (findingsMoveOf(result)) moved++;
			if (step < 3) earlier.push(new WeakRef(result));
			if (step === 8) {
				await settle();
				collected = earlier.map((reference) => reference.deref() === undefined);
			}
		}, ' will lead the ');
		assert.equal(moved, 8, 'each edit moved the findings');
		assert.deepEqual(collected, [true, true, true]);
	});

	test('what an edit keeps from the previous version does not hold that version\'s text', async () => {
		// Each version's text is a new string of some 400,000 characters; keeping a piece of it as a
		// view (a definition's expansion, a Markdown chunk's source) would keep the whole of it, and
		// edits in different places would each leave such pieces behind.
		const heap: number[] = [];
		await editDraft(24, true, async (step) => {
			if (step === 4 || step === 24) {
				await settle();
				heap.push(process.memoryUsage().heapUsed);
			}
		});
		const grownMB = (heap[1]! - heap[0]!) / 1048576;
		assert.ok(grownMB < 4, `the heap grew by ${grownMB.toFixed(1)} MB over 20 edits`);
	});
});

test('a change touches a finding moved through earlier changes exactly when, carried back, it touches the finding as found', () => {
	const random = seededRandom(61);
	const touchesMoved = (span: { start: number; end: number }, change: { start: number; previousEnd: number }) => span.start <= change.previousEnd && span.end >= change.start;
	for (let round = 0; round < 200; round++) {
		// Findings with a fix elsewhere, as `checkDocument` shapes them.
		const findings = Array.from({ length: random.int(1, 12) }, () => {
			const start = random.int(0, 400);
			const fixStart = random.int(0, 400);
			return { code: 'acronym.undefined' as const, span: { start, end: start + random.int(0, 8) }, severity: 'warning' as const, message: '', fixes: [{ title: '', edits: [{ span: { start: fixStart, end: fixStart + random.int(0, 8) }, newText: '' }] }] };
		});
		const index = spanIndexOf(findings);
		let spans = findings.flatMap((finding) => [finding.span, ...finding.fixes.flatMap((fix) => fix.edits.map((edit) => edit.span))]);
		const changes: Array<{ start: number; previousEnd: number; nextEnd: number }> = [];
		for (let step = 0; step < 30; step++) {
			const start = random.int(0, 450);
			const previousEnd = start + random.int(0, 3);
			const change = { start, previousEnd, nextEnd: start + random.int(0, 5) };
			const touching = spans.some((span) => touchesMoved(span, change));
			assert.equal(touchesAny(index, changes, change), touching, `round ${round}, step ${step}`);
			if (touching) continue;
			changes.push(change);
			const delta = change.nextEnd - change.previousEnd;
			spans = spans.map((span) => (span.start > change.previousEnd ? { start: span.start + delta, end: span.end + delta } : span));
		}
	}
});
