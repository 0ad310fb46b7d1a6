// Tests of the Markdown structure, written as data: «…» marks each span the case expects (the
// excluded spans, the headings, or the front matter's date), and everything unmarked must stay
// visible to the terminology checks. A differential test then checks that parsing in chunks
// finds exactly what one parse of the whole document finds.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeMarkdown, analyzeMarkdownAndComments, analyzeMarkdownLeavingFrontMatter, analyzeMarkdownWithoutChunks, frontMatterReader, readMarkdownParse, withFrontMatter, type MarkdownStructure } from '../../server/src/core/markdown';
import type { Span } from '../../server/src/core/types';
import { parseSpanMarkers } from '../support/markers';

interface SpanCase {
	readonly name: string;
	readonly text: string;
}

/** Shows spans as the text they cover, so that a failure reads as Markdown, not as numbers. */
function covered(text: string, spans: readonly Span[]): string[] {
	return spans.map((span) => text.slice(span.start, span.end));
}

const excludedCases: readonly SpanCase[] = [
	{ name: 'front matter, both fences included', text: '«---\ntitle: Draft on NASA\n---»\nThe body names JAXA.' },
	{ name: 'a fenced code block with backticks', text: 'Before.\n\n«```yaml\nagency: NASA\n```»\n\nAfter.' },
	{ name: 'a fenced code block with tildes', text: 'Before.\n\n«~~~\nagency: JAXA\n~~~»\n\nAfter.' },
	{ name: 'an indented code block', text: 'Before.\n\n«    agency = ESA»\n\nAfter.' },
	{ name: 'a code span with its backticks', text: 'Set «`agency=JAXA`» first.' },
	{ name: 'inline HTML tags but not the text between them', text: 'The «<abbr title="National Aeronautics and Space Administration">»NASA«</abbr>» team.' },
	{ name: 'an inline HTML comment', text: 'The team «<!-- ask NASA -->» agreed.' },
	{ name: 'an HTML comment block across lines', text: '«<!--\nNASA draft note\n-->»\n\nThe team agreed.' },
	{ name: 'an HTML block', text: '«<div class="note">\nJAXA\n</div>»\n\nThe team agreed.' },
	{ name: 'a link destination without a title', text: 'See [the agency«](https://example.org/JAXA)» today.' },
	{ name: 'a link destination with a title', text: 'See [the agency«](https://example.org/ESA "ESA page")» today.' },
	{ name: 'a reference definition', text: 'The agency met.\n\n«[esa]: https://example.org/ESA "ESA page"»' },
	{ name: 'the label of a full reference link', text: 'See [the agency«][NASA-home]».\n\n«[nasa-home]: https://example.org»' },
	{ name: 'an autolink', text: 'Visit «<https://example.org/NASA>» now.' },
	{ name: 'a GFM literal www link', text: 'Visit «www.example.org/JAXA» now.' },
	{ name: 'a GFM literal https link, without the sentence’s full stop', text: 'Visit «https://example.org/ESA».' },
	{ name: 'a GFM literal e-mail address', text: 'Write to «press.NASA@example.org» today.' },
	{ name: 'an image, alt text included', text: 'The chart «![JAXA budget chart](chart.png)» shows it.' },
	{ name: 'an image inside a link, merged with the destination', text: '[«![JAXA logo](logo.png)](https://example.org)»' },
	{ name: 'a footnote reference', text: 'The claim«[^jaxa]» stands.\n\n[^jaxa]: The JAXA report.' },
	{ name: 'code inside a table cell', text: '| Agency | Key |\n|---|---|\n| NASA | «`nasa`» |' },
	{ name: 'code inside a block quote', text: '> Quote with «`ESA`» inside.' },
	{ name: 'an unclosed fence, to the end of the text', text: 'Before.\n\n«```\nNASA\n\nJAXA»' },
	{ name: 'CRLF line ends, with offsets into the original text', text: '«---\r\ntitle: Draft\r\n---»\r\nSee «`NASA`».\r\n\r\n«```\r\nJAXA\r\n```»\r\n' },
	{ name: 'offsets after a byte order mark', text: '\ufeffSee «`NASA`» and [ESA«](https://example.org)».' },
	{ name: 'nothing in the visible text of a link', text: 'The [Japan Aerospace Exploration Agency (JAXA)«](https://example.org)» met.' },
	{ name: 'nothing in heading text', text: '# JAXA and NASA\n\nSetext ESA\n===' },
	{ name: 'nothing in emphasis, strong or strikethrough', text: 'The *NASA* and **JAXA** and ~~ESA~~ teams.' },
	{ name: 'nothing in a shortcut reference link’s text', text: 'See [ESA].\n\n«[esa]: https://example.org»' },
	{ name: 'nothing in a document that is only text', text: 'The Japan Aerospace Exploration Agency (JAXA) met NASA on Tuesday.' },
	{ name: 'nothing in an empty document', text: '' },
	{ name: 'nothing in a comment shown as code', text: 'Write «`<!-- policy-lens-disable -->`» to silence checks.' },
];

describe('analyzeMarkdown: excluded spans', () => {
	for (const testCase of excludedCases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			const structure = analyzeMarkdown(text);
			assert.deepEqual(covered(text, structure.excluded), covered(text, spans));
			assert.deepEqual(structure.excluded, spans);
		});
	}
});

const headingCases: readonly SpanCase[] = [
	{ name: 'an ATX heading', text: '«# Space Policy»\n\nBody.' },
	{ name: 'an ATX heading with closing hashes', text: 'Body.\n\n«## The JAXA Plan ##»\n\nMore.' },
	{ name: 'a setext heading, underline included', text: '«Space Policy\n============»\n\nBody.' },
	{ name: 'a setext heading with dashes', text: 'Intro.\n\n«Annex\n-----»\n\nBody.' },
	{ name: 'a heading inside a block quote', text: '> «# Quoted Title»\n> Body.' },
	{ name: 'a heading after front matter', text: '---\ntitle: x\n---\n«# Title»' },
	{ name: 'no heading for a hashtag', text: '#JAXA is trending.' },
	{ name: 'no heading for a thematic break after a blank line', text: 'Body.\n\n---\n\nMore.' },
];

describe('analyzeMarkdown: headings', () => {
	for (const testCase of headingCases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			assert.deepEqual(covered(text, analyzeMarkdown(text).headings), covered(text, spans));
		});
	}
});

interface FrontMatterCase {
	readonly name: string;
	/** «…» marks where the date's value must be found, when there is one. */
	readonly text: string;
	readonly expect: { data: Record<string, unknown>; dateText?: string } | undefined;
}

const frontMatterCases: readonly FrontMatterCase[] = [
	{ name: 'an unquoted date stays a string', text: '---\ntitle: Draft\ndate: «2024-01-15»\n---\nBody.', expect: { data: { title: 'Draft', date: '2024-01-15' }, dateText: '2024-01-15' } },
	{ name: 'a double-quoted date, span inside the quotes', text: '---\ndate: "«2024-01-15»"\n---\n', expect: { data: { date: '2024-01-15' }, dateText: '2024-01-15' } },
	{ name: 'a single-quoted date, span inside the quotes', text: "---\ndate: '«2024-02-29»'\n---\n", expect: { data: { date: '2024-02-29' }, dateText: '2024-02-29' } },
	{ name: 'a date followed by a comment', text: '---\ndate: «2024-03-01» # approved\n---\n', expect: { data: { date: '2024-03-01' }, dateText: '2024-03-01' } },
	{ name: 'a year alone, read as a number', text: '---\ndate: «2024»\n---\n', expect: { data: { date: 2024 }, dateText: '2024' } },
	{ name: 'a date with CRLF line ends', text: '---\r\ntitle: Draft\r\ndate: «2024-04-30»\r\n---\r\nBody.', expect: { data: { title: 'Draft', date: '2024-04-30' }, dateText: '2024-04-30' } },
	{ name: 'a date after a byte order mark', text: '\ufeff---\ndate: «2024-05-01»\n---\n', expect: { data: { date: '2024-05-01' }, dateText: '2024-05-01' } },
	{ name: 'no date key', text: '---\ntitle: Draft\ntags: [space, policy]\n---\n', expect: { data: { title: 'Draft', tags: ['space', 'policy'] } } },
	{ name: 'an empty date', text: '---\ndate:\n---\n', expect: { data: { date: null } } },
	{ name: 'empty front matter', text: '---\n---\nBody.', expect: { data: {} } },
	{ name: 'broken YAML gives empty data and no date', text: '---\ndate: 2024-01-15\ntitle: [unclosed\n---\nBody.', expect: { data: {} } },
	{ name: 'a duplicate key gives empty data', text: '---\ndate: 2024-01-15\ndate: 2024-01-16\n---\n', expect: { data: {} } },
	{ name: 'YAML that is not a map gives empty data', text: '---\n- one\n- two\n---\n', expect: { data: {} } },
	{ name: 'no front matter in a plain document', text: 'date: 2024-01-15\n\nBody.', expect: undefined },
	{ name: 'no front matter from a later fenced block', text: 'Body.\n\n---\ndate: 2024-01-15\n---\n', expect: undefined },
];

describe('analyzeMarkdown: front matter', () => {
	for (const testCase of frontMatterCases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			const frontMatter = analyzeMarkdown(text).frontMatter;
			if (testCase.expect === undefined) {
				assert.equal(frontMatter, undefined);
				return;
			}
			assert.ok(frontMatter, 'front matter was expected');
			assert.deepEqual(frontMatter.data, testCase.expect.data);
			assert.equal(frontMatter.dateText, testCase.expect.dateText);
			assert.deepEqual(frontMatter.dateSpan, spans[0]);
			assert.equal(text.slice(frontMatter.span.start, frontMatter.span.start + 3), '---');
			assert.equal(text.slice(frontMatter.span.end - 3, frontMatter.span.end), '---');
		});
	}
});

describe('analyzeMarkdown: robustness', () => {
	const hostile: readonly [string, string][] = [
		['a lone surrogate', 'JAXA \ud800 `x`'],
		['NUL characters', '\u0000# \u0000\n`\u0000`'],
		['a thousand open brackets', '['.repeat(1000)],
		['deeply nested block quotes', '>'.repeat(400) + ' deep `code`'],
		['deeply nested lists', Array.from({ length: 60 }, (_, depth) => `${'  '.repeat(depth)}- item \`${depth}\``).join('\n')],
		['an alias bomb in front matter', '---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n'],
		['an unclosed front matter', '---\ntitle: Draft\n'],
		['only line breaks', '\r\n\r\r\n\n'],
	];
	for (const [name, text] of hostile) {
		test(`${name} does not throw`, () => {
			const structure = analyzeMarkdown(text);
			assert.ok(Array.isArray(structure.excluded));
			for (const span of structure.excluded) assert.ok(span.start >= 0 && span.start < span.end && span.end <= text.length);
		});
	}
});

// ---------------------------------------------------------------------------------------------
// Chunked parsing must agree with one parse of the whole document. The blocks below are chosen
// for the constructs that could cross a chunk boundary: fences and HTML blocks with blank lines
// inside, lists and quotes, references whose definitions stand far away, and `---` blocks.
// ---------------------------------------------------------------------------------------------

const differentialBlocks: readonly string[] = [
	'# Heading about NASA\n',
	'Setext heading\n==============\n',
	'Under a paragraph\n---\n',
	'---\n',
	'A paragraph with [a link](https://example.org "title") and `code` and <b>HTML</b>.\n',
	'```text\nfirst line\n\nafter a blank line\n```\n',
	'~~~~\nunclosed until a later tilde fence\n\n',
	'~~~~\n',
	'    indented code\n\n    more indented code\n',
	'\tcode after a tab\n',
	'> A quote with www.example.org\n> and a second line\n',
	'> ```\n> a fence inside a quote\n',
	'- a list item with a [reference][far]\n- a second item\n\n  a continued paragraph with `code`\n',
	'- an item\n\n  ```\n  a fence inside an item\n',
	'<!-- a comment\n\nwith a blank line -->\n',
	'<script>\nlet a = 1;\n\nlet b = 2;\n</script>\n',
	'<div>\nan HTML block\n</div>\n',
	'[far]: https://example.org/far\n',
	'Text with a footnote[^note] and [FAR] and [unknown].\n',
	'[^note]: The note, with `code`.\n',
	'| Agency | Key |\n|---|---|\n| `NASA` | <kbd>n</kbd> |\n',
	'Plain prose about the Japan Aerospace Exploration Agency and its partners.\n',
	'Write to press@example.org or <mailto:desk@example.org>.\n',
	'1. one\n2. two with ![an image](chart.png)\n',
	// Long lines of plain words around markup, which the parser is given with runs of words cut out.
	'The delegations of both governments reviewed the outcomes of the annual dialogue on space, with `a code span in the middle of the line` and then a great many more plain words after it, *some emphasis over several words of the sentence*, and www.example.org/path/to/a/page followed by more plain words until the end of the line.\n',
	'Representatives of the agencies met in the capital city to discuss the programme, and [a long reference label that names the distant definition of many words] was cited twice, along with [the agency][far], in a line of many ordinary words with no markup at all in it for a good while.\n',
	'  An indented first line of a paragraph with many plain words in it, long enough to be cut more than once by the parser, <span title="a title with several words in it">inline HTML spanning words</span> and more words at the end, then press@example.org and https://example.org/a/long/path too.\n',
	'> A quoted line with a great many plain words in the middle of it and `code` near the end of the line, followed by a continuation of the same quotation which again holds many words.\n',
	'- A list item that starts with many plain words in a row before it reaches **strong text over several words** and ends with plain words again and again and again.\n',
	'| A table cell holding many plain words in a row, more than enough for a cut | Another cell that also holds a great number of ordinary plain words |\n|---|---|\n| A body cell with `code` and many plain words after it in the same cell of the table | x |\n',
	'A paragraph line that is long and made of ordinary words, written to be a setext heading with plenty of words in it before its underline\n---------------------------------------\n',
	'A hard line break after many plain words in a long line that keeps going for a good while      \nand a second line with many more plain words in it, long enough to be cut once or twice.\n',
	'[a long reference label that names the distant definition of many words]: https://example.org/long "A title with many words in it, long enough to be cut by the parser"\n',
];

/** A small deterministic generator, so that a failure can be reproduced from its seed. */
function pseudoRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

function generateDocument(random: () => number): string {
	let text = random() < 0.3 ? '---\ndate: 2024-01-15\n\ntitle: Draft\n---\n' : '';
	const blockCount = 10 + Math.floor(random() * 150);
	for (let index = 0; index < blockCount; index++) {
		const separator = random() < 0.8 ? '\n' : random() < 0.5 ? '\n\n' : '';
		text += differentialBlocks[Math.floor(random() * differentialBlocks.length)] + separator;
	}
	return random() < 0.3 ? text.replace(/\n/g, '\r\n') : text;
}

/** The non-blank characters a structure excludes: what matters to the checks. */
function excludedCharacters(text: string, structure: MarkdownStructure): string {
	const marks = new Uint8Array(text.length);
	for (const span of structure.excluded) marks.fill(1, span.start, span.end);
	const offsets: number[] = [];
	for (let index = 0; index < text.length; index++) if (marks[index] === 1 && !/\s/.test(text[index])) offsets.push(index);
	return offsets.join(',');
}

describe('analyzeMarkdown: chunked parsing matches one parse of the whole document', () => {
	for (const seed of [1, 2, 3]) {
		test(`twenty generated documents from seed ${seed}`, () => {
			const random = pseudoRandom(seed);
			for (let documentIndex = 0; documentIndex < 20; documentIndex++) {
				const text = generateDocument(random);
				const chunked = analyzeMarkdown(text);
				const whole = analyzeMarkdownWithoutChunks(text);
				const where = `seed ${seed}, document ${documentIndex}`;
				assert.equal(excludedCharacters(text, chunked), excludedCharacters(text, whole), `excluded text differs (${where})`);
				assert.deepEqual(chunked.headings, whole.headings, `headings differ (${where})`);
				assert.deepEqual(chunked.frontMatter, whole.frontMatter, `front matter differs (${where})`);
			}
		});
	}

	test('a reference resolves against a definition many chunks away', () => {
		const filler = 'Filler with `code` in it.\n\n'.repeat(800);
		const text = `See [the agency][far-away] and the note[^far].\n\n${filler}[far-away]: https://example.org\n\n[^far]: A distant note.\n`;
		const excluded = covered(text, analyzeMarkdown(text).excluded);
		assert.ok(excluded.includes('][far-away]'), 'the reference label is excluded');
		assert.ok(excluded.includes('[^far]'), 'the footnote reference is excluded');
	});
});

// ---------------------------------------------------------------------------------------------
// Chunks are read from micromark's events; the reference reads the mdast tree compiled from them.
// Both readings of one parse must record the same spans, definitions and top-level blocks.
// ---------------------------------------------------------------------------------------------

/** Pieces of Markdown that start, end or break constructs, strung together at random. */
const markupAtoms: readonly string[] = [
	'[', ']', '(', ')', '!', '<', '>', '`', '``', '~~~', '```', '*', '_', '#', '# ', '\n', '\n\n', '\r\n', '  ', '    ', '\t', '- ', '1. ', '> ',
	'---', '===', '|', '|---|', ':', 'http://x.y', 'www.a.b', 'a@b.co', '[^1]', '[^1]: ', '[a]: /u', '[a]', '\\', '&amp;', '&#35;', '<!--', '-->',
	'<div>', '</div>', '<b>', 'word', 'NASA', ' ', 'x', '"t"', '\0', '[x](y "z")', '![i](j)', '<http://q.r>', '- [ ] ', 'ü', '日本',
];

describe('analyzeMarkdown: the events and the tree of a parse agree', () => {
	const cases: readonly [string, string][] = [
		['a label across lines, with indentation', '[foo\n   bar]: /u\n\nSee [foo bar].'],
		['a footnote label across lines', '[^a\n  b]: note\n\n[^a b]'],
		['a label with an escape, decoded in the tree', '[a\\]b]: /u\n\n[a\\]b]'],
		['a label with a character reference, decoded in the tree', '[&amp;]: /u\n\n[&amp;]'],
		['link texts: blank, empty, across lines, with a hard break, and an image holding a link', '[ x ](y) [\n](z) [](w) [a  \nb](c) ![i [l](m)](n)'],
		['autolinks, literals and a footnote', '<http://a.b> www.x.org a@b.co [^1]\n\n[^1]: x `y`'],
		['front matter and both heading forms', '---\na: 1\n---\n# T\n\nS\n===\n'],
		['a fence left open in a list item', '- a\n  ```\n  x\n'],
		['HTML blocks left open', '<div>\n\nx\n\n<!-- a\n\nb'],
		['CRLF line ends and a table', '| a | `b` |\r\n|---|---|\r\n| <i>c</i> | [d](e) |\r\n'],
	];
	for (const [name, text] of cases) {
		test(name, () => assert.deepEqual(readMarkdownParse(text, 'events'), readMarkdownParse(text, 'tree')));
	}

	test('a thousand generated strings of markup', () => {
		const random = pseudoRandom(11);
		for (let index = 0; index < 1000; index++) {
			let text = random() < 0.2 ? '---\ndate: 2024-01-01\n---\n' : '';
			const length = 1 + Math.floor(random() * 60);
			for (let atom = 0; atom < length; atom++) text += markupAtoms[Math.floor(random() * markupAtoms.length)];
			assert.deepEqual(readMarkdownParse(text, 'events'), readMarkdownParse(text, 'tree'), JSON.stringify(text));
		}
	});

	test('the generated documents of the chunking test', () => {
		const random = pseudoRandom(4);
		for (let index = 0; index < 20; index++) {
			const text = generateDocument(random);
			assert.deepEqual(readMarkdownParse(text, 'events'), readMarkdownParse(text, 'tree'), `document ${index}`);
		}
	});
});

test('analyzeMarkdown: time for 1 MB of Markdown (logged, not asserted)', () => {
	const prose = 'The Ministry of Foreign Affairs and the Japan Aerospace Exploration Agency (JAXA) agreed to deepen cooperation on space situational awareness, and both sides noted progress under the framework agreed last year.\n\n';
	const blocks = [
		(index: number) => `## Part ${index}\n\n`,
		(index: number) => `See the [programme page](https://example.org/programme/${index} "Programme") and \`term-${index}\`.\n\n`,
		(index: number) => `> A quoted remark, number ${index}, from the minutes.\n\n- first point\n- second point\n\n`,
		(index: number) => `| Agency | Budget |\n|---|---|\n| JAXA | ${index} |\n\n`,
		(index: number) => `\`\`\`\nconfiguration ${index}\n\`\`\`\n\n<!-- reviewer note ${index} -->\n\n`,
	];
	let text = '---\ntitle: Long Draft\ndate: 2024-01-15\n---\n\n';
	for (let index = 0; text.length < 1_000_000; index++) text += index % 3 === 0 ? blocks[index % blocks.length](index) : prose;
	const started = performance.now();
	const structure = analyzeMarkdown(text);
	const elapsed = performance.now() - started;
	console.log(`analyzeMarkdown: ${(text.length / 1_000_000).toFixed(2)} MB in ${elapsed.toFixed(0)} ms (${structure.excluded.length} excluded spans, ${structure.headings.length} headings)`);
	assert.ok(structure.headings.length > 0);
});

describe('analyzeMarkdownLeavingFrontMatter: the YAML read on the calling thread', () => {
	const texts = [
		'---\ntitle: A draft\ndate: 2024-09-02\n---\n\n# Title\n\nJAXA and `NASA`.\n',
		'---\r\ntitle: "Quoted"\r\ndate: "2024-09-02"\r\n---\r\n\r\nText.\r\n',
		'---  \ndate: 2024-09-02\n---\t\nText.\n',
		'---\n---\nText after an empty front matter.\n',
		'---\ndate: [unclosed\n---\nInvalid YAML.\n',
		'---\ndate: 2024-09-02\nNo closing fence, so no front matter.\n',
		'Text first.\n\n---\ndate: 2024-09-02\n---\n',
		'\ufeff---\ndate: 2024-09-02\n---\nAfter a byte-order mark.\n',
		'--- \ndate: 2024\n--- \n',
		'No front matter at all, <!-- a comment --> and [a link](https://example.org).\n',
	];
	for (const text of texts) {
		test(JSON.stringify(text.slice(0, 40)), () => {
			const expected = analyzeMarkdownAndComments(text);
			const unread = analyzeMarkdownLeavingFrontMatter(text);
			assert.equal(unread.frontMatterSpan?.start, expected.structure.frontMatter?.span.start);
			assert.equal('frontMatter' in unread.analysis.structure, false);
			assert.deepEqual(withFrontMatter(text, unread), expected);
			assert.deepEqual(withFrontMatter(text, unread, frontMatterReader(text)), expected);
		});
	}

	test('the likeliest front matter is read before it is asked for', () => {
		for (const text of [texts[0]!, texts[1]!, texts[3]!]) {
			const read = frontMatterReader(text);
			const span = analyzeMarkdownLeavingFrontMatter(text).frontMatterSpan!;
			assert.equal(read(span), read(span), JSON.stringify(text));
		}
	});
});
