// Tests of the TextMate grammar for statements (syntaxes/statement.tmLanguage.json), written as
// data: each case names a line of a fixture document, a substring of that line and a scope that
// the substring's tokens must (or must not) carry. Documents are tokenized line by line, carrying
// the rule stack, as VS Code does; the grammar runs on the real Oniguruma engine (WebAssembly).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL, Registry, parseRawGrammar } from 'vscode-textmate';
import type { IGrammar, IToken, StateStack } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'statement.tmLanguage.json');

// ---------------------------------------------------------------------------------------------
// Fixtures: short invented statements in the database's format.
// ---------------------------------------------------------------------------------------------

const documents: Record<string, string[]> = {
	english: [
		'"The World and Japan" Database (Project Leader: TANAKA Akihiko)',
		'Database of Japanese Politics and International Relations',
		'National Graduate Institute for Policy Studies (GRIPS); Institute for Advanced Studies on Asia (IASA), The University of Tokyo',
		'',
		'[Title] Joint Statement on Lunar Logistics by the Moon Cargo Agency (MCA) and its Partners',
		'',
		'[Place] Osaka',
		'[Date] March 3, 2031',
		'[Source] Example Ministry, https://example.org/statements/2031/lunar.html',
		'[Notes] Provisional translation',
		'[Full text]',
		'',
		'1. The agencies met in Osaka (see above) to review the Lunar Relay Network (LRN-2) and the Compact Cargo Landers (CCLs).',
		'(2) The partners welcomed the Small Tethered Array for Research (STAR-C) plan first drafted in (2029) in (Tokyo).',
		'IV. The Joint Orbit Watch group (JOrW) was noted by Mr. Sato (Mr) of the ministry (IV).',
		'In 2024. the parties met twice.',
		'The field labelled [Title] in the previous release was left blank.',
		'[Title] This body line looks like a header but comes after the full text marker.',
		'More details are at https://example.org/lunar/plan (last visited).',
	],
	japanese: [
		'データベース「世界と日本」(代表:田中明彦)',
		'日本政治・国際関係データベース',
		'政策研究大学院大学・東京大学東洋文化研究所',
		'',
		'［文書名］ 月面物流に関する共同声明',
		'[場所] 東京',
		'[年月日] 2031年3月3日',
		'[出典] 架空省',
		'[備考] ',
		'[全文]',
		'',
		'（１）月面貨物機構（MCA）は、月面中継網について説明した。',
		'1．両者は協力を確認した。',
		'(3)両者は次回会合を(2032)年に開くことで一致した。',
	],
	// Headers only, no banner and no [Full text]: numbered paragraphs still count at top level.
	bare: [
		'[Title] Remarks on the Orbital Debris Office (ODO)',
		'[Date] 8 December, 2031',
		'',
		'2. The office (ODO) will report yearly.',
	],
};

interface Case {
	/** The fixture document; without one, `line` is tokenized on its own from the initial state. */
	doc?: keyof typeof documents;
	line: string;
	/** A substring of the line (its first occurrence, or the `occurrence`-th, counting from 1). */
	token: string;
	occurrence?: number;
	scope: string;
	/** The scope must be absent from every token of the substring. */
	absent?: boolean;
	/** With `exact` (the default), the scope must also stop at the substring's edges. */
	exact?: boolean;
}

const cases: Case[] = [
	// Banner.
	{ doc: 'english', line: documents.english[0], token: documents.english[0], scope: 'comment.block.banner.statement' },
	{ doc: 'english', line: documents.english[1], token: documents.english[1], scope: 'comment.block.banner.statement' },
	{ doc: 'english', line: documents.english[2], token: documents.english[2], scope: 'comment.block.banner.statement' },
	{ doc: 'english', line: documents.english[2], token: '(GRIPS)', scope: 'meta.definition.acronym.statement', absent: true },
	{ doc: 'japanese', line: documents.japanese[0], token: documents.japanese[0], scope: 'comment.block.banner.statement' },
	{ doc: 'japanese', line: documents.japanese[2], token: documents.japanese[2], scope: 'comment.block.banner.statement' },

	// Header lines: label, brackets, value.
	{ doc: 'english', line: '[Place] Osaka', token: '[Place] Osaka', scope: 'meta.header.statement' },
	{ doc: 'english', line: '[Place] Osaka', token: '[Place]', scope: 'keyword.other.field.statement' },
	{ doc: 'english', line: '[Place] Osaka', token: '[', scope: 'punctuation.definition.field.begin.statement' },
	{ doc: 'english', line: '[Place] Osaka', token: ']', scope: 'punctuation.definition.field.end.statement' },
	{ doc: 'english', line: '[Place] Osaka', token: 'Osaka', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'english', line: '[Place] Osaka', token: 'Osaka', scope: 'keyword.other.field.statement', absent: true },
	{ doc: 'english', line: '[Notes] Provisional translation', token: 'Provisional translation', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'japanese', line: '［文書名］ 月面物流に関する共同声明', token: '［文書名］', scope: 'keyword.other.field.statement' },
	{ doc: 'japanese', line: '［文書名］ 月面物流に関する共同声明', token: '［', scope: 'punctuation.definition.field.begin.statement' },
	{ doc: 'japanese', line: '［文書名］ 月面物流に関する共同声明', token: '］', scope: 'punctuation.definition.field.end.statement' },
	{ doc: 'japanese', line: '[出典] 架空省', token: '架空省', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'japanese', line: '[備考] ', token: '[備考]', scope: 'keyword.other.field.statement' },

	// Title value.
	{ doc: 'english', line: documents.english[4], token: 'Joint Statement on Lunar Logistics', scope: 'entity.name.section.title.statement', exact: false },
	{ doc: 'english', line: documents.english[4], token: 'Joint Statement on Lunar Logistics by the Moon Cargo Agency (MCA) and its Partners', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'english', line: documents.english[4], token: 'MCA', scope: 'constant.other.acronym.statement' },
	{ doc: 'japanese', line: '［文書名］ 月面物流に関する共同声明', token: '月面物流に関する共同声明', scope: 'entity.name.section.title.statement' },

	// Dates, in every format the database uses.
	{ doc: 'english', line: '[Date] March 3, 2031', token: 'March 3, 2031', scope: 'constant.numeric.date.statement' },
	{ doc: 'english', line: '[Date] March 3, 2031', token: 'March 3, 2031', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'english', line: '[Date] March 3, 2031', token: '[Date]', scope: 'constant.numeric.date.statement', absent: true },
	{ doc: 'bare', line: '[Date] 8 December, 2031', token: '8 December, 2031', scope: 'constant.numeric.date.statement' },
	{ line: '[Date] February, 2033', token: 'February, 2033', scope: 'constant.numeric.date.statement' },
	{ line: '[Date] 2031-03-03', token: '2031-03-03', scope: 'constant.numeric.date.statement' },
	{ line: '[Date] 2031', token: '2031', scope: 'constant.numeric.date.statement' },
	{ doc: 'japanese', line: '[年月日] 2031年3月3日', token: '2031年3月3日', scope: 'constant.numeric.date.statement' },
	{ line: '［年月日］ 平成21年4月14日', token: '平成21年4月14日', scope: 'constant.numeric.date.statement' },
	{ line: '[Date] Undated', token: 'Undated', scope: 'constant.numeric.date.statement', absent: true },
	{ line: '[Date] Undated', token: 'Undated', scope: 'string.unquoted.field-value.statement' },
	{ doc: 'english', line: documents.english[12], token: 'Osaka', scope: 'constant.numeric.date.statement', absent: true },

	// The [Full text] line.
	{ doc: 'english', line: '[Full text]', token: '[Full text]', scope: 'keyword.other.field.full-text.statement' },
	{ doc: 'japanese', line: '[全文]', token: '[全文]', scope: 'keyword.other.field.full-text.statement' },

	// Paragraph numbers: just the number token.
	{ doc: 'english', line: documents.english[12], token: '1.', scope: 'markup.list.numbered.statement' },
	{ doc: 'english', line: documents.english[13], token: '(2)', scope: 'markup.list.numbered.statement' },
	{ doc: 'english', line: documents.english[14], token: 'IV.', scope: 'markup.list.numbered.statement' },
	{ doc: 'japanese', line: documents.japanese[11], token: '（１）', scope: 'markup.list.numbered.statement' },
	{ doc: 'japanese', line: documents.japanese[12], token: '1．', scope: 'markup.list.numbered.statement' },
	{ doc: 'japanese', line: documents.japanese[13], token: '(3)', scope: 'markup.list.numbered.statement' },
	{ doc: 'bare', line: '2. The office (ODO) will report yearly.', token: '2.', scope: 'markup.list.numbered.statement' },
	{ line: '  3. An indented paragraph.', token: '3.', scope: 'markup.list.numbered.statement' },
	{ doc: 'english', line: 'In 2024. the parties met twice.', token: 'In 2024.', scope: 'markup.list.numbered.statement', absent: true },
	{ line: '1.5 million people were helped.', token: '1.5', scope: 'markup.list.numbered.statement', absent: true },
	{ doc: 'japanese', line: documents.japanese[13], token: '(2032)', scope: 'markup.list.numbered.statement', absent: true },

	// Acronym definitions.
	{ doc: 'english', line: documents.english[12], token: '(LRN-2)', scope: 'meta.definition.acronym.statement' },
	{ doc: 'english', line: documents.english[12], token: 'LRN-2', scope: 'constant.other.acronym.statement' },
	{ doc: 'english', line: documents.english[12], token: '(', occurrence: 2, scope: 'punctuation.definition.acronym.begin.statement' },
	{ doc: 'english', line: documents.english[12], token: ')', occurrence: 2, scope: 'punctuation.definition.acronym.end.statement' },
	{ doc: 'english', line: documents.english[12], token: 'CCLs', scope: 'constant.other.acronym.statement' },
	{ doc: 'english', line: documents.english[13], token: 'STAR-C', scope: 'constant.other.acronym.statement' },
	{ doc: 'english', line: documents.english[14], token: 'JOrW', scope: 'constant.other.acronym.statement' },
	{ doc: 'japanese', line: documents.japanese[11], token: '（MCA）', scope: 'meta.definition.acronym.statement' },
	{ doc: 'japanese', line: documents.japanese[11], token: '（', occurrence: 2, scope: 'punctuation.definition.acronym.begin.statement' },
	{ doc: 'japanese', line: documents.japanese[11], token: '）', occurrence: 2, scope: 'punctuation.definition.acronym.end.statement' },
	{ doc: 'japanese', line: documents.japanese[11], token: 'MCA', scope: 'constant.other.acronym.statement' },
	{ doc: 'bare', line: '2. The office (ODO) will report yearly.', token: 'ODO', scope: 'constant.other.acronym.statement' },
	{ line: 'The 3D Mapping Unit (3DMU) began work.', token: '3DMU', scope: 'constant.other.acronym.statement' },
	// Not acronym definitions.
	{ doc: 'english', line: documents.english[12], token: '(see above)', scope: 'meta.definition.acronym.statement', absent: true },
	{ doc: 'english', line: documents.english[13], token: '(2029)', scope: 'meta.definition.acronym.statement', absent: true },
	{ doc: 'english', line: documents.english[13], token: '(Tokyo)', scope: 'meta.definition.acronym.statement', absent: true },
	{ doc: 'english', line: documents.english[14], token: '(Mr)', scope: 'meta.definition.acronym.statement', absent: true },
	{ doc: 'english', line: documents.english[14], token: '(IV)', scope: 'meta.definition.acronym.statement', absent: true },
	{ line: 'A committee (ABCDEFGHIJK) was formed.', token: '(ABCDEFGHIJK)', scope: 'meta.definition.acronym.statement', absent: true },

	// Header-like text in the body is not a header.
	{ doc: 'english', line: documents.english[16], token: '[Title]', scope: 'keyword.other.field.statement', absent: true },
	{ doc: 'english', line: documents.english[16], token: documents.english[16], scope: 'meta.header.statement', absent: true },
	{ doc: 'english', line: documents.english[17], token: '[Title]', scope: 'keyword.other.field.statement', absent: true },
	{ doc: 'english', line: documents.english[17], token: 'This body line', scope: 'entity.name.section.title.statement', absent: true },
	{ line: 'See the [Title] field above.', token: '[Title]', scope: 'keyword.other.field.statement', absent: true },

	// URLs: in a header value and in the body, without trailing punctuation.
	{ doc: 'english', line: documents.english[8], token: 'https://example.org/statements/2031/lunar.html', scope: 'markup.underline.link.statement' },
	{ doc: 'english', line: documents.english[8], token: 'https://example.org/statements/2031/lunar.html', scope: 'string.unquoted.field-value.statement', exact: false },
	{ doc: 'english', line: documents.english[18], token: 'https://example.org/lunar/plan', scope: 'markup.underline.link.statement' },
	{ line: 'Read it at http://example.org/a.html.', token: 'http://example.org/a.html', scope: 'markup.underline.link.statement' },
];

// ---------------------------------------------------------------------------------------------
// Tokenizing.
// ---------------------------------------------------------------------------------------------

let grammarPromise: Promise<IGrammar> | undefined;

function loadGrammar(): Promise<IGrammar> {
	grammarPromise ??= (async () => {
		const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
		await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
		const registry = new Registry({
			onigLib: Promise.resolve({
				createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
				createOnigString: (text: string) => new OnigString(text),
			}),
			loadGrammar: async (scopeName: string) =>
				scopeName === 'text.statement' ? parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
		});
		const grammar = await registry.loadGrammar('text.statement');
		if (!grammar) throw new Error('grammar text.statement did not load');
		return grammar;
	})();
	return grammarPromise;
}

/** The tokens of every line of a document, tokenized in order with the rule stack carried over. */
function tokenizeDocument(grammar: IGrammar, lines: readonly string[]): IToken[][] {
	let stack: StateStack = INITIAL;
	return lines.map((line) => {
		const result = grammar.tokenizeLine(line, stack);
		stack = result.ruleStack;
		return result.tokens;
	});
}

function describe(line: string, tokens: readonly IToken[]): string {
	return tokens.map((t) => `  ${JSON.stringify(line.slice(t.startIndex, t.endIndex))} ${t.scopes.join(' ')}`).join('\n');
}

function nthIndexOf(text: string, part: string, occurrence: number): number {
	let index = -1;
	for (let i = 0; i < occurrence; i++) {
		index = text.indexOf(part, index + 1);
		if (index < 0) break;
	}
	return index;
}

function checkCase(grammar: IGrammar, c: Case): void {
	const lines = c.doc ? documents[c.doc] : [c.line];
	const lineIndex = lines.indexOf(c.line);
	assert.ok(lineIndex >= 0, `fixture line not found: ${c.line}`);
	const tokens = tokenizeDocument(grammar, lines)[lineIndex];
	const start = nthIndexOf(c.line, c.token, c.occurrence ?? 1);
	assert.ok(start >= 0, `substring ${JSON.stringify(c.token)} not in line ${JSON.stringify(c.line)}`);
	const end = start + c.token.length;
	const covering = tokens.filter((t) => t.startIndex < end && t.endIndex > start);
	assert.ok(covering.length > 0, 'no tokens cover the substring');
	const detail = `\n${JSON.stringify(c.token)} in ${JSON.stringify(c.line)}; tokens:\n${describe(c.line, tokens)}`;
	if (c.absent) {
		for (const t of covering) assert.ok(!t.scopes.includes(c.scope), `unexpected ${c.scope}${detail}`);
		return;
	}
	for (const t of covering) assert.ok(t.scopes.includes(c.scope), `missing ${c.scope}${detail}`);
	if (c.exact ?? true) {
		// The scope must not run on past either edge of the substring.
		const before = tokens.find((t) => t.endIndex === start);
		const after = tokens.find((t) => t.startIndex === end);
		assert.ok(covering[0].startIndex === start, `a token starts before the substring${detail}`);
		assert.ok(covering[covering.length - 1].endIndex === end || end === c.line.length,
			`a token runs past the substring${detail}`);
		assert.ok(!before?.scopes.includes(c.scope), `${c.scope} starts before the substring${detail}`);
		assert.ok(!after?.scopes.includes(c.scope) || end === c.line.length, `${c.scope} runs past the substring${detail}`);
	}
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

test('the grammar file is named and scoped as the extension expects', () => {
	const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as { name: string; scopeName: string };
	assert.equal(raw.name, 'Statement');
	assert.equal(raw.scopeName, 'text.statement');
});

for (const c of cases) {
	const name = `${c.absent ? 'no' : ''} ${c.scope} on ${JSON.stringify(c.token)}${c.doc ? ` (${c.doc})` : ''}`.trim();
	test(name, async () => checkCase(await loadGrammar(), c));
}

test('every scope the grammar promises is exercised by a positive case', () => {
	const promised = [
		'comment.block.banner.statement',
		'meta.header.statement',
		'keyword.other.field.statement',
		'punctuation.definition.field.begin.statement',
		'punctuation.definition.field.end.statement',
		'string.unquoted.field-value.statement',
		'constant.numeric.date.statement',
		'entity.name.section.title.statement',
		'keyword.other.field.full-text.statement',
		'markup.list.numbered.statement',
		'meta.definition.acronym.statement',
		'constant.other.acronym.statement',
		'punctuation.definition.acronym.begin.statement',
		'punctuation.definition.acronym.end.statement',
		'markup.underline.link.statement',
	];
	const covered = new Set(cases.filter((c) => !c.absent).map((c) => c.scope));
	assert.deepEqual(promised.filter((s) => !covered.has(s)), []);
});

test('the shipped statements tokenize with a dated header and no stray header in the body', async () => {
	const grammar = await loadGrammar();
	const lines = readFileSync(join(root, 'data', 'statements', 'JPUS_20240827.D1E.txt'), 'utf8').split(/\r?\n/);
	const tokens = tokenizeDocument(grammar, lines);
	const dateLine = lines.findIndex((l) => l.startsWith('[Date]'));
	assert.ok(tokens[dateLine].some((t) => t.scopes.includes('constant.numeric.date.statement')));
	const fullText = lines.findIndex((l) => l.startsWith('[Full text]'));
	for (let i = fullText + 1; i < lines.length; i++) {
		assert.ok(!tokens[i].some((t) => t.scopes.includes('meta.header.statement')), `line ${i + 1} tokenized as a header`);
	}
	const acronyms = tokens.flatMap((ts, i) => ts.filter((t) => t.scopes.includes('constant.other.acronym.statement'))
		.map((t) => lines[i].slice(t.startIndex, t.endIndex)));
	assert.ok(acronyms.includes('JAXA') && acronyms.includes('NASA'), `acronyms: ${acronyms.join(', ')}`);
});
