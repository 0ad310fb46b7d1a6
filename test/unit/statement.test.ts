// Tests of the statement reader, written as data: each case is a document and the parts of the
// parsed result that the case is about. One helper runs them all and also checks, for every
// case, that spans point at the text they claim (values, labels, trimmed paragraphs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDate, parseStatement, parseStatementAfterEdit } from '../../server/src/core/statement';
import type { DatePrecision, FieldName, ParsedDocument } from '../../server/src/core/types';

// ---------------------------------------------------------------------------------------------
// Fixtures: short invented statements in the database's format.
// ---------------------------------------------------------------------------------------------

const englishBanner = [
	'"The World and Japan" Database (Project Leader: TANAKA Akihiko)',
	'Database of Japanese Politics and International Relations',
	'National Graduate Institute for Policy Studies (GRIPS); Institute for Advanced Studies on Asia (IASA), The University of Tokyo',
];

const japaneseBanner = ['データベース「世界と日本」(代表:田中明彦)', '日本政治・国際関係データベース', '政策研究大学院大学・東京大学東洋文化研究所'];

const lunarWeatherParagraphs = [
	'The two delegations met for a second day of talks on shared lunar weather stations.',
	'Both sides agreed that forecasts should be published in both languages.',
	'They also noted that the stations need a common calibration schedule.',
	'Participants included officials of the Lunar Weather Office and the Harbor Agency.',
	'The next meeting will take place in Osaka.',
];

/** A record shaped like the reference statement: banner, full header, blocks separated by blank lines. */
const lunarWeatherStatement = [
	...englishBanner,
	'',
	'[Title] Joint Statement on Lunar Weather Cooperation',
	'',
	'[Place] Sapporo',
	'[Date] March 3, 2031',
	'[Source] Ministry of Imaginary Affairs',
	'[Notes] Provisional translation',
	'[Full text]',
	'',
	...lunarWeatherParagraphs.flatMap((paragraph) => [paragraph, '']),
].join('\n');

const harborStatementJapanese = [
	...japaneseBanner,
	'',
	'[文書名] 港湾気象協力に関する共同声明',
	'',
	'[場所] 函館',
	'[年月日] 2031年3月3日',
	'[出典] 架空省',
	'[備考] ',
	'[全文]',
	'',
	'1．両国は港湾の気象観測について協議した。',
	'',
	'2．両国は観測結果を共有することで一致した。',
	'',
].join('\n');

/** Builds a minimal English record around a body, for the cases about paragraphs. */
function statementWithBody(body: string): string {
	return `[Title] Invented Record\n[Date] May 1, 2030\n[Full text]\n\n${body}\n`;
}

// ---------------------------------------------------------------------------------------------
// The helper
// ---------------------------------------------------------------------------------------------

interface ExpectedDocument {
	readonly isStatement?: boolean;
	readonly title?: string | undefined;
	readonly place?: string | undefined;
	readonly source?: string | undefined;
	readonly notes?: string | undefined;
	/** `[iso, precision]`, or `undefined` for no date. */
	readonly date?: readonly [string, DatePrecision] | undefined;
	/** `[name, value]` of every header field, in order. */
	readonly fields?: ReadonlyArray<readonly [FieldName, string]>;
	/** The labels as written, in order. */
	readonly fieldLabels?: readonly string[];
	/** What the text holds from `bodyStart` on (its first characters). */
	readonly bodyStartsWith?: string;
	readonly bodyStart?: number;
	/** The text of every paragraph, in order. */
	readonly paragraphs?: readonly string[];
	/** The label of every paragraph, in order (`undefined` for none). */
	readonly labels?: ReadonlyArray<string | undefined>;
	/** The messages of the problems, in order. */
	readonly problems?: readonly string[];
	/** The text each problem's span covers. */
	readonly problemTexts?: readonly string[];
}

interface StatementCase {
	readonly name: string;
	readonly text: string;
	readonly expected: ExpectedDocument;
}

function sliceOf(text: string, span: { start: number; end: number }): string {
	return text.slice(span.start, span.end);
}

/** Properties that hold for every parsed document, whatever the case is about. */
function checkSpans(text: string, parsed: ParsedDocument): void {
	for (const field of parsed.fields) {
		assert.equal(sliceOf(text, field.valueSpan), field.value, `value span of ${field.label}`);
		assert.ok(sliceOf(text, field.span).startsWith(field.label), `field span of ${field.label} starts at its label`);
	}
	parsed.paragraphs.forEach((paragraph, index) => {
		assert.equal(paragraph.number, index + 1);
		const paragraphText = sliceOf(text, paragraph.span);
		assert.ok(paragraphText.length > 0, `paragraph ${paragraph.number} is not empty`);
		assert.equal(paragraphText, paragraphText.trim(), `paragraph ${paragraph.number} excludes surrounding whitespace`);
		if (paragraph.label !== undefined) assert.ok(paragraphText.startsWith(paragraph.label), `paragraph ${paragraph.number} starts with its label`);
		if (index > 0) assert.ok(paragraph.span.start >= parsed.paragraphs[index - 1]!.span.end, 'paragraphs are in order');
	});
	assert.ok(parsed.bodyStart >= 0 && parsed.bodyStart <= text.length);
}

/** Keeps only the properties the case names, so each case states one behaviour. */
function summarize(text: string, parsed: ParsedDocument, expected: ExpectedDocument): Record<string, unknown> {
	const all: Record<keyof ExpectedDocument, unknown> = {
		isStatement: parsed.isStatement,
		title: parsed.title,
		place: parsed.place,
		source: parsed.source,
		notes: parsed.notes,
		date: parsed.date === undefined ? undefined : [parsed.date.iso, parsed.date.precision],
		fields: parsed.fields.map((field) => [field.name, field.value] as const),
		fieldLabels: parsed.fields.map((field) => field.label),
		bodyStartsWith: text.slice(parsed.bodyStart, parsed.bodyStart + (expected.bodyStartsWith?.length ?? 0)),
		bodyStart: parsed.bodyStart,
		paragraphs: parsed.paragraphs.map((paragraph) => sliceOf(text, paragraph.span)),
		labels: parsed.paragraphs.map((paragraph) => paragraph.label),
		problems: parsed.problems.map((problem) => problem.message),
		problemTexts: parsed.problems.map((problem) => sliceOf(text, problem.span)),
	};
	return Object.fromEntries(Object.keys(expected).map((key) => [key, all[key as keyof ExpectedDocument]]));
}

function runStatementCases(cases: readonly StatementCase[]): void {
	for (const { name, text, expected } of cases) {
		test(name, () => {
			const parsed = parseStatement(text);
			checkSpans(text, parsed);
			assert.deepEqual(summarize(text, parsed, expected), expected);
		});
	}
}

// ---------------------------------------------------------------------------------------------
// Header and body
// ---------------------------------------------------------------------------------------------

runStatementCases([
	{
		name: 'reads every header field of an English record after the database banner',
		text: lunarWeatherStatement,
		expected: {
			isStatement: true,
			title: 'Joint Statement on Lunar Weather Cooperation',
			place: 'Sapporo',
			date: ['2031-03-03', 'day'],
			source: 'Ministry of Imaginary Affairs',
			notes: 'Provisional translation',
			fields: [
				['title', 'Joint Statement on Lunar Weather Cooperation'],
				['place', 'Sapporo'],
				['date', 'March 3, 2031'],
				['source', 'Ministry of Imaginary Affairs'],
				['notes', 'Provisional translation'],
				['fullText', ''],
			],
			problems: [],
		},
	},
	{
		name: 'the body starts on the line after [Full text]',
		text: lunarWeatherStatement,
		expected: { bodyStartsWith: '\nThe two delegations met' },
	},
	{
		name: 'paragraphs of a reference-like statement are the blocks between blank lines, in order',
		text: lunarWeatherStatement,
		expected: { paragraphs: lunarWeatherParagraphs },
	},
	{
		name: 'reads the Japanese field names and the Japanese banner',
		text: harborStatementJapanese,
		expected: {
			isStatement: true,
			title: '港湾気象協力に関する共同声明',
			place: '函館',
			date: ['2031-03-03', 'day'],
			source: '架空省',
			notes: undefined,
			fieldLabels: ['[文書名]', '[場所]', '[年月日]', '[出典]', '[備考]', '[全文]'],
			paragraphs: ['1．両国は港湾の気象観測について協議した。', '2．両国は観測結果を共有することで一致した。'],
			labels: ['1．', '2．'],
		},
	},
	{
		name: 'copes with CRLF line ends and a byte-order mark',
		text: '\uFEFF[Title] Windows Line Ends\r\n[Date] 2030-05-01\r\n[Full text]\r\n\r\nFirst block, line one\r\nline two\r\n\r\nSecond block\r\n',
		expected: {
			isStatement: true,
			title: 'Windows Line Ends',
			date: ['2030-05-01', 'day'],
			paragraphs: ['First block, line one\r\nline two', 'Second block'],
		},
	},
	{
		name: 'missing [Place] and [Notes] fields are simply absent',
		text: '[Title] Short Record\n[Date] May 1, 2030\n[Source] Invented Office\n[Full text]\nOnly paragraph.\n',
		expected: {
			place: undefined,
			notes: undefined,
			source: 'Invented Office',
			fields: [
				['title', 'Short Record'],
				['date', 'May 1, 2030'],
				['source', 'Invented Office'],
				['fullText', ''],
			],
		},
	},
	{
		name: 'blank values are kept as fields but not set on the record',
		text: '[Title] Blank Values\n[Place]\n[Date] May 1, 2030\n[Notes]   \n[Full text]\nBody.\n',
		expected: {
			place: undefined,
			notes: undefined,
			fields: [
				['title', 'Blank Values'],
				['place', ''],
				['date', 'May 1, 2030'],
				['notes', ''],
				['fullText', ''],
			],
			problems: [],
		},
	},
	{
		name: 'a record with only [Title] starts its body on the next line',
		text: '[Title] A Record Without Full Text Label\nBy\nThe Invented Minister\nWe met today and agreed on three points.\nWe will meet again next year.',
		expected: {
			isStatement: true,
			title: 'A Record Without Full Text Label',
			bodyStartsWith: 'By\n',
			fields: [['title', 'A Record Without Full Text Label']],
		},
	},
	{
		name: 'a body without any blank line has one paragraph per line',
		text: '[Title] A Record Without Full Text Label\nBy\nThe Invented Minister\nWe met today and agreed on three points.\nWe will meet again next year.',
		expected: {
			paragraphs: ['By', 'The Invented Minister', 'We met today and agreed on three points.', 'We will meet again next year.'],
		},
	},
	{
		name: 'blank lines only at the end of the body do not merge lines into blocks',
		text: '[文書名] 架空の談話\n第一の文。\n第二の文。\n\n\n',
		expected: { paragraphs: ['第一の文。', '第二の文。'] },
	},
	{
		name: 'lines before the header, such as a URL line, are ignored',
		text: 'URL: https://example.invalid/documents/record.html\n\n[Title] After a URL Line\n[Date] June 2, 2030\n[Full text]\n\nBody text.\n',
		expected: { isStatement: true, title: 'After a URL Line', date: ['2030-06-02', 'day'], paragraphs: ['Body text.'] },
	},
	{
		name: 'accepts full-width brackets around labels',
		text: '［Title］ Full-Width Brackets\n［Date］ June 2, 2030\n［Full text］\nBody.\n',
		expected: { title: 'Full-Width Brackets', fieldLabels: ['［Title］', '［Date］', '［Full text］'], paragraphs: ['Body.'] },
	},
	{
		name: 'a Japanese label may be followed by its value without a space',
		text: '[文書名]架空の共同声明\n[年月日]2031年1月5日\n[全文]\n本文。\n',
		expected: { title: '架空の共同声明', date: ['2031-01-05', 'day'] },
	},
	{
		name: 'text on the [Full text] line itself starts the body',
		text: '[Title] Inline Body\n[Full text] The body begins on the label line.\nIt goes on here.\n',
		expected: { bodyStartsWith: 'The body begins', paragraphs: ['The body begins on the label line.', 'It goes on here.'] },
	},
	{
		name: 'a title that itself starts with a bracket is kept whole',
		text: '[Title] [Update] Press Remarks by an Invented Spokesperson\n[Full text]\nBody.\n',
		expected: { title: '[Update] Press Remarks by an Invented Spokesperson' },
	},
	{
		name: 'label-like lines after [Full text] belong to the body',
		text: '[Title] Body Labels\n[Full text]\n\n[Opening Remarks]\n\n[Date] is not read here\n',
		expected: { fields: [['title', 'Body Labels'], ['fullText', '']], paragraphs: ['[Opening Remarks]', '[Date] is not read here'] },
	},
	{
		name: 'a header that starts after the first 40 lines is not looked for',
		text: `${'filler line\n'.repeat(41)}[Title] Too Late\n[Full text]\nBody.\n`,
		expected: { isStatement: false, fields: [], title: undefined },
	},
	{
		name: 'a [Date] label alone does not make a statement',
		text: '[Date] May 1, 2030\nSome notes about a date.\n',
		expected: { isStatement: false, fields: [], date: undefined, bodyStart: 0 },
	},
	{
		name: 'a header with [Full text] but no [Title] is a statement without a title',
		text: '[Date] May 1, 2030\n[Source] Invented Office\n[Full text]\nBody.\n',
		expected: { isStatement: true, title: undefined, date: ['2030-05-01', 'day'], paragraphs: ['Body.'] },
	},
	{
		name: 'other text is not a statement and is split at blank lines from offset 0',
		text: 'A plain note.\nIt has two lines.\n\nAnd a second paragraph.',
		expected: { isStatement: false, fields: [], bodyStart: 0, paragraphs: ['A plain note.\nIt has two lines.', 'And a second paragraph.'], problems: [] },
	},
	{
		name: 'a Markdown heading is a paragraph of its own',
		text: '# Briefing\nFirst line of the text.\nSecond line of the text.\n\n## Details\nMore text.',
		expected: { isStatement: false, paragraphs: ['# Briefing', 'First line of the text.\nSecond line of the text.', '## Details', 'More text.'] },
	},
	{
		name: 'a Markdown link at the start of a line is not a header label',
		text: '[Title](https://example.invalid/record)\n\nA paragraph.',
		expected: { isStatement: false, fields: [] },
	},
	{
		name: 'paragraph spans exclude leading and trailing whitespace',
		text: statementWithBody('   Indented first paragraph.   \n\n\tSecond paragraph after a tab.\t'),
		expected: { paragraphs: ['Indented first paragraph.', 'Second paragraph after a tab.'] },
	},
	{
		name: 'a block spanning several lines is one paragraph',
		text: statementWithBody('First line of the block\nsecond line of the block\n\nNext block'),
		expected: { paragraphs: ['First line of the block\nsecond line of the block', 'Next block'] },
	},
	{
		name: 'an empty body has no paragraphs',
		text: '[Title] Nothing Below\n[Full text]\n',
		expected: { paragraphs: [], bodyStart: '[Title] Nothing Below\n[Full text]\n'.length },
	},
]);

test('paragraph 4 of a reference-like statement is the 4th block', () => {
	const fourth = parseStatement(lunarWeatherStatement).paragraphs[3]!;
	assert.equal(fourth.number, 4);
	assert.equal(sliceOf(lunarWeatherStatement, fourth.span), 'Participants included officials of the Lunar Weather Office and the Harbor Agency.');
});

test('spans stay offsets into the original text when it starts with a byte-order mark', () => {
	const text = '\uFEFF[Title] Marked\r\n[Full text]\r\nBody line\r\n';
	const parsed = parseStatement(text);
	assert.deepEqual(parsed.fields[0]!.valueSpan, { start: text.indexOf('Marked'), end: text.indexOf('Marked') + 'Marked'.length });
	assert.deepEqual(parsed.fields[0]!.span, { start: 1, end: text.indexOf('\r') });
	assert.equal(parsed.bodyStart, text.indexOf('Body line'));
	assert.deepEqual(parsed.paragraphs[0]!.span, { start: text.indexOf('Body line'), end: text.indexOf('Body line') + 'Body line'.length });
});

test('a blank value has an empty value span right after its label', () => {
	const text = '[Title] X\n[Place]\n[Full text]\n';
	const place = parseStatement(text).fields[1]!;
	const afterLabel = text.indexOf('[Place]') + '[Place]'.length;
	assert.deepEqual(place.valueSpan, { start: afterLabel, end: afterLabel });
});

// ---------------------------------------------------------------------------------------------
// Paragraph labels
// ---------------------------------------------------------------------------------------------

const labelCases: ReadonlyArray<readonly [string, string | undefined]> = [
	['1. The first point.', '1.'],
	['12. The twelfth point.', '12.'],
	['1.The point without a space.', '1.'],
	['1．全角の句点の番号。', '1．'],
	['１．全角数字の番号。', '１．'],
	['(1) A point in parentheses.', '(1)'],
	['（１）全角括弧の番号。', '（１）'],
	['(a) A lettered point.', '(a)'],
	['(iv) A point with a small Roman numeral.', '(iv)'],
	['1) A point with a closing parenthesis.', '1)'],
	['I. A Roman-numbered section.', 'I.'],
	['IV. A Roman-numbered section.', 'IV.'],
	['II.', 'II.'],
	['- A bulleted point.', undefined],
	['1.5 percent growth is a number, not a label.', undefined],
	['I.e. this is no numbering.', undefined],
	['IVORY is a word.', undefined],
	['(On the summit meeting) is a heading, not a label.', undefined],
	['Plain sentence.', undefined],
];

runStatementCases(
	labelCases.map(([paragraph, label]) => ({
		name: `paragraph label of "${paragraph}" is ${label === undefined ? 'none' : `"${label}"`}`,
		text: statementWithBody(paragraph),
		expected: { labels: [label] },
	})),
);

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const readableDates: ReadonlyArray<readonly [string, string, DatePrecision]> = [
	['August 27, 2024', '2024-08-27', 'day'],
	['Aug. 27, 2024', '2024-08-27', 'day'],
	['Sept. 5, 2024', '2024-09-05', 'day'],
	['8 December, 2001', '2001-12-08', 'day'],
	['8 December 2001', '2001-12-08', 'day'],
	['February, 2013', '2013-02', 'month'],
	['February 2013', '2013-02', 'month'],
	['2013', '2013', 'year'],
	['2024-08-27', '2024-08-27', 'day'],
	['February 29, 2024', '2024-02-29', 'day'],
	['2009年4月14日', '2009-04-14', 'day'],
	['2009年4月', '2009-04', 'month'],
	['2009年', '2009', 'year'],
	['２００９年４月１４日', '2009-04-14', 'day'],
	['令和6年', '2024', 'year'],
	['令和元年5月1日', '2019-05-01', 'day'],
	['平成21年4月14日', '2009-04-14', 'day'],
	['平成31年4月30日', '2019-04-30', 'day'],
	['昭和64年1月7日', '1989-01-07', 'day'],
];

for (const [text, iso, precision] of readableDates) {
	test(`reads the date "${text}" as ${iso} (${precision})`, () => {
		assert.deepEqual(parseDate(text), { iso, precision, text });
	});
}

test('the date keeps its text as written, trimmed', () => {
	assert.deepEqual(parseDate('  August 27, 2024 '), { iso: '2024-08-27', precision: 'day', text: 'August 27, 2024' });
});

const unreadableDates = [
	'Agust 27, 2024',
	'February 30, 2024',
	'February 29, 2023',
	'2024-13-01',
	'2024年2月30日',
	'平成32年',
	'平成31年5月1日',
	'令和元年4月30日',
	'sometime in spring',
	'',
];

for (const text of unreadableDates) {
	test(`does not read "${text}" as a date`, () => {
		assert.equal(parseDate(text), undefined);
	});
}

runStatementCases([
	{
		name: 'a misspelt month gives a problem that suggests the corrected date',
		text: '[Title] Typo\n[Date] Agust 27, 2024\n[Full text]\nBody.\n',
		expected: {
			date: undefined,
			problems: ['The date "Agust 27, 2024" could not be read; write it as "August 27, 2024" or "2024-08-27".'],
			problemTexts: ['Agust 27, 2024'],
		},
	},
	{
		name: 'a day that does not exist gives a problem that says why',
		text: '[Title] No Such Day\n[Date] February 30, 2024\n[Full text]\nBody.\n',
		expected: {
			date: undefined,
			problems: [
				'The date "February 30, 2024" could not be read because February 2024 has no day 30; write a date that exists, like "August 27, 2024" or "2024-08-27".',
			],
			problemTexts: ['February 30, 2024'],
		},
	},
	{
		name: 'a date outside its Japanese era gives a problem that names the era',
		text: '[文書名] 架空\n[年月日] 平成32年\n[全文]\n本文。\n',
		expected: {
			problems: [
				'The date "平成32年" could not be read because the Heisei era ran from 1989-01-08 to 2019-04-30; write a date that exists, like "August 27, 2024" or "2024-08-27".',
			],
		},
	},
	{
		name: 'text that is no date at all gives a problem with examples',
		text: '[Title] Vague\n[Date] early next year\n[Full text]\nBody.\n',
		expected: {
			problems: ['The date "early next year" could not be read; write it like "August 27, 2024" or "2024-08-27".'],
			problemTexts: ['early next year'],
		},
	},
	{
		name: 'a blank [Date] gives no problem',
		text: '[Title] Undated\n[Date]\n[Full text]\nBody.\n',
		expected: { date: undefined, problems: [] },
	},
]);

// ---------------------------------------------------------------------------------------------
// The real files in ../shared, when a checkout has them
// ---------------------------------------------------------------------------------------------

const sharedDirectory = join(__dirname, '..', '..', '..', 'shared');
const referenceStatementPath = join(sharedDirectory, 'statements', 'JPUS_20240827.D1E.txt');
const worldAndJapanCorpus = join(sharedDirectory, 'corpus', 'worldjpn');
const corpusIndexPath = join(sharedDirectory, 'corpus', 'INDEX.tsv');

test('reads the reference statement JPUS_20240827.D1E', { skip: existsSync(referenceStatementPath) ? false : 'no ../shared here' }, () => {
	const text = readFileSync(referenceStatementPath, 'utf8');
	const parsed = parseStatement(text);
	assert.equal(parsed.isStatement, true);
	assert.equal(parsed.title, 'Joint Statement, The Ninth Meeting of the Japan-U.S. Comprehensive Dialogue on Space');
	assert.deepEqual(parsed.date, { iso: '2024-08-27', precision: 'day', text: 'August 27, 2024' });
	// Counted by hand (and with `awk 'BEGIN{RS=""}'`): 21 blocks after [Full text].
	assert.equal(parsed.paragraphs.length, 21);
	const fourth = parsed.paragraphs[3]!;
	assert.equal(fourth.number, 4);
	assert.ok(text.slice(fourth.span.start, fourth.span.end).startsWith('Principal participants'));
	assert.deepEqual(parsed.problems, []);
});

test(
	'parses every file of the database excerpts in ../shared/corpus/worldjpn',
	{ skip: existsSync(worldAndJapanCorpus) && existsSync(corpusIndexPath) ? false : 'no ../shared here' },
	() => {
		// INDEX.tsv gives each excerpt's title and date as a person read them; a date shown as
		// "(from URL)" means the record has no [Date] field.
		const index = new Map<string, { title: string; date: string }>();
		for (const line of readFileSync(corpusIndexPath, 'utf8').split('\n').slice(1)) {
			const [file, , title, date] = line.split('\t');
			if (file !== undefined && file.startsWith('worldjpn/')) index.set(file.slice('worldjpn/'.length), { title: title ?? '', date: date ?? '' });
		}
		const files = readdirSync(worldAndJapanCorpus).filter((file) => file.endsWith('.txt'));
		assert.ok(files.length > 0);
		for (const file of files) {
			const text = readFileSync(join(worldAndJapanCorpus, file), 'utf8');
			const parsed = parseStatement(text);
			const listed = index.get(file);
			assert.ok(listed !== undefined, `${file} is listed in INDEX.tsv`);
			assert.equal(parsed.isStatement, true, `${file} is a statement`);
			// One excerpt (JPUS_20141219.D1E) has no [Title] line; INDEX.tsv lists no title for it.
			// INDEX.tsv drops double quotation marks from titles, so they are compared without them.
			assert.equal((parsed.title ?? '').replace(/"/g, ''), listed.title, `${file} title`);
			const dateField = parsed.fields.find((field) => field.name === 'date' && field.value !== '');
			if (dateField !== undefined) {
				assert.equal(parsed.date?.text, listed.date, `${file} date`);
				assert.deepEqual(parsed.problems, [], `${file} has no problems`);
			} else {
				assert.match(listed.date, /\(from URL\)$/, `${file} has a date field`);
			}
			assert.ok(parsed.paragraphs.length > 0, `${file} has paragraphs`);
		}
	},
);

// ---------------------------------------------------------------------------------------------
// Parsing again after an edit: `parseStatementAfterEdit` gives what `parseStatement` gives.
// ---------------------------------------------------------------------------------------------

/**
 * Each case is a text with the edit written in it as `[removed|inserted]`, and whether the
 * paragraphs can be spliced (`kept`) or the lines may group differently, so the parse starts over.
 */
const editCases: ReadonlyArray<{ name: string; edit: string; kept: boolean }> = [
	{ name: 'typing in the middle line of a paragraph', edit: 'First line\nsecond [|x]line\nthird line.\n\nNext paragraph.\n\nLast one.', kept: true },
	{ name: 'typing a label at the start of a paragraph', edit: 'Opening words.\n\n[|1. ]Numbered now.\n\nAfter it.', kept: true },
	{ name: 'deleting the last character of a paragraph', edit: 'Opening words.\n\nMiddle one[.|]\n\nAfter it.', kept: true },
	{ name: 'spaces before a paragraph and after it', edit: 'Opening words.\n\n[|  ]Middle one.[|  ]\nstill middle.\n\nAfter it.', kept: true },
	{ name: 'spaces after the last line of a paragraph', edit: 'Opening words.\n\nMiddle one.[|   ]\n\nAfter it.', kept: true },
	{ name: 'a space on a blank line', edit: 'Opening words.\n[|  ]\nAfter it.', kept: true },
	{ name: 'every line a paragraph, without blank lines', edit: 'one line\ntwo [|more ]line\nthree line', kept: true },
	{ name: 'the last line, without a line break after it', edit: 'Opening words.\n\nThe end[|, really]', kept: true },
	{ name: 'a statement body', edit: `[Title] A statement\n[Date] May 1, 2024\n[Full text]\n1. The first point.\n\n2. The [|very ]second point.\n\n3. The third.`, kept: true },
	{ name: 'CRLF line breaks', edit: 'Opening words.\r\n\r\nMiddle [|x]one.\r\n\r\nAfter it.', kept: true },
	{ name: 'a line becoming blank', edit: 'Opening words.\n\n[x|]\n\nAfter it.', kept: false },
	{ name: 'a blank line gaining words', edit: 'Opening words.\n[|words]\nAfter it.', kept: false },
	{ name: 'a line becoming a heading', edit: 'Opening words.\n[|# ]Heading now\nAfter it.', kept: false },
	{ name: 'a line break typed', edit: 'Opening words.[|\n\n]After it.', kept: false },
	{ name: 'between a carriage return and its line feed', edit: 'Opening words.\r[|x]\nAfter it.', kept: false },
	{ name: 'the header of a statement', edit: `[Title] A [|new ]statement\n[Date] May 1, 2024\n[Full text]\n1. The first point.\n\n2. The second.`, kept: false },
];

/** The text before and after a case's edits, and the change between them. */
function applyEditCase(edit: string): { before: string; after: string; change: { start: number; previousEnd: number; nextEnd: number } } {
	const before = edit.replace(/\[([^|\]]*)\|([^\]]*)\]/g, '$1');
	const after = edit.replace(/\[([^|\]]*)\|([^\]]*)\]/g, '$2');
	let start = 0;
	while (start < before.length && start < after.length && before[start] === after[start]) start++;
	let previousEnd = before.length;
	let nextEnd = after.length;
	while (previousEnd > start && nextEnd > start && before[previousEnd - 1] === after[nextEnd - 1]) {
		previousEnd--;
		nextEnd--;
	}
	return { before, after, change: { start, previousEnd, nextEnd } };
}

for (const { name, edit, kept } of editCases) {
	test(`parsing again after an edit: ${name}`, () => {
		const { before, after, change } = applyEditCase(edit);
		const previous = parseStatement(before);
		const spliced = parseStatementAfterEdit(previous, before, after, change);
		assert.equal(spliced !== undefined, kept, kept ? 'the paragraphs are spliced' : 'the parse starts over');
		if (spliced === undefined) return;
		assert.deepStrictEqual(spliced, parseStatement(after));
		// Paragraphs that end before the edited line are the very same objects.
		const lineStart = after.lastIndexOf('\n', change.start - 1) + 1;
		for (const [index, paragraph] of previous.paragraphs.entries()) {
			if (paragraph.span.end < lineStart) assert.equal(spliced.paragraphs[index], paragraph, `paragraph ${paragraph.number} is kept`);
		}
	});
}
