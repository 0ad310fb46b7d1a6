// Regression cases for the checks engine that the golden drafts do not cover, named after what broke.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument, type DocumentAnalysis, type LocatedMention, type MinedDefinition } from '../../server/src/core/analysis';
import { checkDocument, mentionsToCheck, prepareChecks, sortFindings } from '../../server/src/core/checks';
import { codeDescriptions, type Finding, type FindingCode } from '../../server/src/core/findings';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { analyzeMarkdownAndComments } from '../../server/src/core/markdown';
import { createResolver, type Resolver } from '../../server/src/core/resolver';
import { parseSuppressions } from '../../server/src/core/suppressions';
import type { Span } from '../../server/src/core/types';
import { fixtureLexicon } from '../support/fixtureGlossary';
import { builtInCorpus, repositoryRoot, shippedLexicon } from '../support/shippedGlossary';

const lexicon = fixtureLexicon();

function findings(text: string) {
	const index = new CorpusIndex();
	const analysis = analyzeDocument('file:///draft.md', text, lexicon, 1);
	index.set(analysis);
	return checkDocument(text, analysis, 'markdown', { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } }).findings
		.map((finding) => ({ code: finding.code, text: text.slice(finding.span.start, finding.span.end) }));
}

test('a spelled-out expansion is found at true offsets after characters that change length when lower-cased', () => {
	assert.deepEqual(findings('The Widget Office (WOF) met. WOF said. İİİİ the widget office spoke.'), [
		{ code: 'acronym.spelled-out-after-definition', text: 'widget office' },
	]);
});

test('a spelled-out expansion must stand as whole words', () => {
	assert.deepEqual(findings('The Space Office (SPO) met. SPO said. The Outer Space Officers spoke.'), []);
});

test('a redefinition with another expansion offers one fix, not two that collide', () => {
	const result = findings('The Harbor Patrol Network (HPN) met. HPN said. The Harbor Response Network (HPN) spoke.');
	assert.deepEqual(result.map((finding) => finding.code), ['acronym.conflicting-expansion', 'acronym.defined-twice']);
	const index = new CorpusIndex();
	const text = 'The Harbor Patrol Network (HPN) met. HPN said. The Harbor Response Network (HPN) spoke.';
	const analysis = analyzeDocument('file:///d.md', text, lexicon, 1);
	index.set(analysis);
	const full = checkDocument(text, analysis, 'markdown', { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } }).findings;
	assert.equal(full.flatMap((finding) => finding.fixes).length, 1);
});

test("a definition's own acronym is not reported again as an outdated name", () => {
	assert.deepEqual(findings('The National Space Development Agency of Japan (NASDA) and NASDA.').filter((finding) => finding.code === 'term.outdated-name').map((finding) => finding.text), [
		'National Space Development Agency of Japan',
		'NASDA',
	]);
});

test('a serial comma does not make a conflicting expansion', () => {
	assert.deepEqual(findings('Prevention, Preparedness, and Response (PPR) matters. PPR is key. Prevention, Preparedness and Response (PPR) again.').map((finding) => finding.code), ['acronym.defined-twice']);
});

test('a name in title case is not a variant of the same name in running text', () => {
	assert.deepEqual(findings('# Low Earth Orbit Plans\n\nA low Earth orbit station is planned; low Earth orbit is busy.'), []);
});

describe('checks prepared before the Markdown structure is known (prepareChecks)', () => {
	const shipped = shippedLexicon();
	const options = { today: '2025-06-01', documentDate: '2024-09-02' };
	const blocks = [
		(index: number) => `## Part ${index}\n\nThe ZQX unit and JAXA met on low Earth orbit and low-earth orbit, see [the page](https://example.org/jaxa/${index}) and \`NASA_${index}\`.\n\n`,
		(index: number) => `<!-- policy-lens-disable-next-line acronym.undefined -->\nNASDA and ESA reported, number ${index}.\n\n> A quote naming JAXA, and www.example.org/JAXA.\n\n`,
		(index: number) => `\`\`\`\nconfiguration JAXA ESA ${index}\n\`\`\`\n\n- The National Aeronautics and Space Administration (NASA) item\n- A second item with <abbr>ESA</abbr> and the XQV office\n\n`,
		() => 'The Japan Aerospace Exploration Agency (JAXA) and the National Space Development Agency of Japan agreed. The Harbor Patrol Network (HPN) met; the harbor patrol network said so.\n\n',
	];
	// ESA defined here with a meaning of the draft's own: what it resolves to depends on the document.
	let long = '---\ndate: 2002-05-01\n---\n\n# Long draft\n\n`JAXA` in code first, then <!-- ESA in a comment --> and [NASA](https://example.org/NASA).\n\nThe Economic Security Alliance (ESA) met the low  Earth\norbit group.\n\n';
	for (let index = 0; long.length < 20_000; index++) long += blocks[index % blocks.length]!(index);
	const fixtureFolder = join(repositoryRoot, 'test', 'fixtures', 'checks');
	const drafts: Array<[string, string]> = [
		['a long draft whose code, links and comments hide some uses of its names', long],
		...readdirSync(fixtureFolder).filter((name) => name.endsWith('.md')).sort().map((name): [string, string] => [name, readFileSync(join(fixtureFolder, name), 'utf8')]),
	];

	for (const [name, text] of drafts) {
		test(`the same findings as the checks alone: ${name}`, () => {
			const index = builtInCorpus();
			const analysis = analyzeDocument(`file:///drafts/${name}`, text, shipped, 1);
			index.set(analysis);
			const resolver = createResolver(() => shipped, index);
			const context = { lexicon: shipped, resolver, options };
			const expected = checkDocument(text, analysis, 'markdown', context);
			const markdown = analyzeMarkdownAndComments(text);
			const prepared = { markdown: markdown.structure, suppressions: parseSuppressions(text, 'markdown', { htmlComments: () => markdown.htmlComments }), checks: prepareChecks(text, analysis, resolver) };
			assert.deepEqual(checkDocument(text, analysis, 'markdown', context, prepared), expected);
		});
	}

	test('the long draft has exclusions that hide uses, and suppressions', () => {
		const analysis = analyzeDocument('file:///drafts/long.md', long, shipped, 1);
		const markdown = analyzeMarkdownAndComments(long);
		const excluded = analysis.mentions.filter((mention) => markdown.structure.excluded.some((span) => span.start < mention.end && mention.start < span.end));
		assert.ok(excluded.length > 50, `uses hidden by the Markdown: ${excluded.length}`);
		assert.ok(markdown.htmlComments.length > 10, `comments: ${markdown.htmlComments.length}`);
	});

	test('a preparation made for another analysis, or with another resolver, is not used', () => {
		const text = 'The Widget Office (WOF) met. WOF said. The widget office spoke. ZQX is new.';
		const other = 'The Widget Office Network (WOF) met. WOF and ZQX said.';
		const index = new CorpusIndex();
		const analysis = analyzeDocument('file:///draft.md', text, lexicon, 1);
		index.set(analysis);
		const resolver = createResolver(() => lexicon, index);
		const context = { lexicon, resolver, options: { today: '2025-01-01' } };
		const expected = checkDocument(text, analysis, 'markdown', context);
		const forOther = prepareChecks(other, analyzeDocument('file:///draft.md', other, lexicon, 2), resolver);
		assert.deepEqual(checkDocument(text, analysis, 'markdown', context, { checks: forOther }), expected);
		const misleading: Resolver = { resolveAcronym: () => undefined, resolveMention: () => undefined };
		const withOtherResolver = prepareChecks(text, analysis, misleading);
		assert.deepEqual(checkDocument(text, analysis, 'markdown', context, { checks: withOtherResolver }), expected);
		// Made for this analysis with the context's resolver, its answers are used: the checks ask the resolver no acronym again.
		let asked = 0;
		const counting: Resolver = {
			resolveAcronym: (acronym, document) => (asked++, resolver.resolveAcronym(acronym, document)),
			resolveMention: (mention, document) => (mention.entityId === undefined && asked++, resolver.resolveMention(mention, document)),
		};
		const checks = prepareChecks(text, analysis, counting);
		assert.ok(asked > 0);
		asked = 0;
		assert.deepEqual(checkDocument(text, analysis, 'markdown', { ...context, resolver: counting }, { checks }), expected);
		assert.equal(asked, 0);
	});
});

test('the mentions the checks look at are those outside excluded spans and the header, and the uses those that are no definition\'s own acronym', () => {
	// Random mentions and spans, many touching or overlapping at their ends, against a plain filter.
	let seed = 7;
	const random = (below: number) => ((seed = (seed * 48271) % 2147483647) % below);
	for (let round = 0; round < 300; round++) {
		const mentions: LocatedMention[] = [];
		for (let offset = random(3); mentions.length < random(40); offset += random(4)) {
			const length = 1 + random(5);
			mentions.push({ start: offset, end: offset + length, acronym: 'X', paragraph: 1 });
			offset += length;
		}
		const length = (mentions.at(-1)?.end ?? 0) + 5;
		const excluded: Span[] = [];
		for (let offset = random(6); offset < length; offset += 1 + random(12)) {
			const end = offset + 1 + random(8);
			excluded.push({ start: offset, end });
			offset = end;
		}
		const bodyStart = random(3) === 0 ? random(20) : 0;
		const analysis = { mentions, parsed: { isStatement: bodyStart > 0, bodyStart } } as unknown as DocumentAnalysis;
		const definitions = mentions.filter(() => random(4) === 0).map((mention) => ({ acronymSpan: { start: mention.start, end: mention.end } }) as MinedDefinition);
		const overlaps = (span: Span) => excluded.some((other) => other.start < span.end && span.start < other.end);
		const expected = mentions.filter((mention) => !overlaps(mention) && mention.start >= bodyStart);
		const starts = new Set(definitions.map((definition) => definition.acronymSpan.start));
		const result = mentionsToCheck(analysis, excluded, definitions);
		assert.deepEqual(result.mentions, expected, `round ${round}`);
		assert.deepEqual(result.uses, expected.filter((mention) => !starts.has(mention.start)), `round ${round}`);
	}
	// Tens of thousands of runs: every other mention excluded, every third the acronym of a definition.
	const mentions: LocatedMention[] = Array.from({ length: 60_000 }, (_, index) => ({ start: index * 10, end: index * 10 + 4, acronym: 'X', paragraph: 1 }));
	const excluded: Span[] = mentions.filter((_, index) => index % 2 === 1).map((mention) => ({ start: mention.start + 1, end: mention.start + 2 }));
	const definitions = mentions.filter((_, index) => index % 3 === 0).map((mention) => ({ acronymSpan: { start: mention.start, end: mention.end } }) as MinedDefinition);
	const result = mentionsToCheck({ mentions, parsed: { isStatement: false, bodyStart: 0 } } as unknown as DocumentAnalysis, excluded, definitions);
	assert.deepEqual(result.mentions, mentions.filter((_, index) => index % 2 === 0));
	assert.deepEqual(result.uses, mentions.filter((_, index) => index % 2 === 0 && index % 3 !== 0));
});

test('findings are sorted as by start, then code by localeCompare, keeping the order of equals', () => {
	let seed = 11;
	const random = (below: number) => ((seed = (seed * 48271) % 2147483647) % below);
	const codes = Object.keys(codeDescriptions) as FindingCode[];
	for (let round = 0; round < 200; round++) {
		const findings: Finding[] = Array.from({ length: random(300) }, (_, index) => ({ code: codes[random(codes.length)]!, span: { start: random(round % 2 ? 50 : 100_000), end: 0 }, severity: 'warning', message: String(index), fixes: [] }));
		const expected = findings.slice().sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
		sortFindings(findings);
		assert.deepEqual(findings.map((finding) => finding.message), expected.map((finding) => finding.message), `round ${round}`);
	}
	// Starts too large for the numeric keys: the comparator.
	const large: Finding[] = [2 ** 50, 5, 2 ** 50, 3].map((start, index) => ({ code: codes[index % 2]!, span: { start, end: 0 }, severity: 'warning', message: String(index), fixes: [] }));
	sortFindings(large);
	assert.deepEqual(large.map((finding) => finding.message), ['3', '1', '0', '2']);
});
