// Tests of suppression directives, written as data: in each case «…» marks the lines that must be
// suppressed for the case's code, and every unmarked line must not be. Problem cases mark where
// each problem must be reported instead.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSuppressions, type Suppressions } from '../../server/src/core/suppressions';
import type { Span } from '../../server/src/core/types';
import { parseSpanMarkers } from '../support/markers';

interface SuppressionCase {
	readonly name: string;
	readonly format: 'markdown' | 'plaintext';
	/** The code asked about on every line. */
	readonly code: string;
	readonly text: string;
	/** How many valid directives the text holds, when the case is about which ones count. */
	readonly directiveCount?: number;
}

const cases: readonly SuppressionCase[] = [
	{
		name: 'a region between disable and enable, directive lines included',
		format: 'markdown',
		code: 'acronym.undefined',
		text: 'Before NASA.\n«<!-- policy-lens-disable -->»\n«Quiet NASA.»\n«<!-- policy-lens-enable -->»\nAfter NASA.',
	},
	{
		name: 'a disable without enable runs to the end of the file',
		format: 'markdown',
		code: 'acronym.undefined',
		text: 'Before NASA.\n\n«<!-- policy-lens-disable -->»\n«Quiet NASA.»\n«Still quiet JAXA.»',
	},
	{
		name: 'a per-code disable covers the named code',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '«<!-- policy-lens-disable acronym.unknown -->»\n«Quiet NASA.»',
	},
	{
		name: 'a per-code disable leaves other codes alone',
		format: 'markdown',
		code: 'term.variant-spelling',
		text: '<!-- policy-lens-disable acronym.unknown -->\nLoud organisation and organization.',
	},
	{
		name: 'codes separated by commas and spaces',
		format: 'markdown',
		code: 'term.variant-spelling',
		text: '«<!-- policy-lens-disable acronym.unknown,term.variant-spelling , acronym.undefined -->»\n«Quiet.»',
	},
	{
		name: 'enable of one code under a blanket disable re-enables that code',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '«<!-- policy-lens-disable -->»\n«Quiet NASA.»\n«<!-- policy-lens-enable acronym.unknown -->»\nLoud NASA.',
	},
	{
		name: 'enable of one code under a blanket disable keeps other codes disabled',
		format: 'markdown',
		code: 'term.variant-spelling',
		text: '«<!-- policy-lens-disable -->»\n«Quiet.»\n«<!-- policy-lens-enable acronym.unknown -->»\n«Still quiet.»',
	},
	{
		name: 'enable of one code ends that code’s region only',
		format: 'markdown',
		code: 'acronym.undefined',
		text: '«<!-- policy-lens-disable acronym.unknown acronym.undefined -->»\n«Quiet.»\n«<!-- policy-lens-enable acronym.unknown -->»\n«Still quiet.»',
	},
	{
		name: 'enable without codes ends every region',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '«<!-- policy-lens-disable acronym.unknown -->»\n«<!-- policy-lens-enable -->»\nLoud NASA.',
	},
	{
		name: 'disable after a code was enabled under the blanket disables it again',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '«<!-- policy-lens-disable -->»\n«<!-- policy-lens-enable acronym.unknown -->»\nLoud NASA.\n«<!-- policy-lens-disable acronym.unknown -->»\n«Quiet NASA.»',
	},
	{
		name: 'disable and enable on one line suppress that line only',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '«<!-- policy-lens-disable --> NASA <!-- policy-lens-enable -->»\nLoud NASA.',
	},
	{
		name: 'an enable without any open region is harmless',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!-- policy-lens-enable acronym.unknown -->\nLoud NASA.',
		directiveCount: 1,
	},
	{
		name: 'disable-line covers its own line',
		format: 'markdown',
		code: 'acronym.undefined',
		text: 'Loud NASA.\n«Quiet NASA. <!-- policy-lens-disable-line acronym.undefined -->»\nLoud JAXA.',
	},
	{
		name: 'disable-next-line covers the next line only, not the line after next',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!-- policy-lens-disable-next-line -->\n«Quiet NASA.»\nLoud NASA.',
	},
	{
		name: 'disable-next-line with a code leaves other codes alone',
		format: 'markdown',
		code: 'acronym.undefined',
		text: '<!-- policy-lens-disable-next-line acronym.unknown -->\nLoud NASA.',
	},
	{
		name: 'a reason after -- is ignored',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!-- policy-lens-disable-next-line acronym.unknown -- the legacy name stays in quotes -->\n«Quiet NASA.»',
	},
	{
		name: 'a directive in a comment without spaces',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!--policy-lens-disable-next-line-->\n«Quiet NASA.»',
	},
	{
		name: 'a directive shown in a fenced code block is ignored',
		format: 'markdown',
		code: 'acronym.unknown',
		text: 'How to silence a check:\n\n```markdown\n<!-- policy-lens-disable -->\n```\n\nLoud NASA.',
		directiveCount: 0,
	},
	{
		name: 'a directive shown in a code span is ignored',
		format: 'markdown',
		code: 'acronym.unknown',
		text: 'Write `<!-- policy-lens-disable -->` to silence checks.\nLoud NASA.',
		directiveCount: 0,
	},
	{
		name: 'a comment that does not start with the directive is ignored',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!-- see policy-lens-disable in the manual -->\nLoud NASA.',
		directiveCount: 0,
	},
	{
		name: 'a bare directive word is not a directive in Markdown',
		format: 'markdown',
		code: 'acronym.unknown',
		text: 'Loud NASA. policy-lens-disable-line',
		directiveCount: 0,
	},
	{
		name: 'a multi-line comment with disable-next-line covers the line after the comment',
		format: 'markdown',
		code: 'acronym.unknown',
		text: '<!--\npolicy-lens-disable-next-line\n-->\n«Quiet NASA.»\nLoud NASA.',
	},
	{
		name: 'CRLF line ends',
		format: 'markdown',
		code: 'acronym.unknown',
		text: 'Loud NASA.\r\n<!-- policy-lens-disable-next-line -->\r\n«Quiet NASA.»\r\nLoud JAXA.',
	},
	{
		name: 'a plain-text directive after #',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: '# policy-lens-disable-next-line acronym.unknown\n«Quiet NASA.»\nLoud NASA.',
	},
	{
		name: 'a plain-text region after //',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: 'Loud NASA.\n«// policy-lens-disable»\n«Quiet NASA.»\n«// policy-lens-enable»\nLoud JAXA.',
	},
	{
		name: 'a plain-text region in brackets',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: '«[policy-lens-disable acronym.unknown]»\n«Quiet NASA.»\n«[policy-lens-enable]»\nLoud NASA.',
	},
	{
		name: 'a bare plain-text directive at the end of a line of text',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: '«The NASA line stays. policy-lens-disable-line»\nLoud NASA.',
	},
	{
		name: 'a plain-text reason after -- is ignored',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: '«Quiet NASA. // policy-lens-disable-line acronym.unknown -- quoted from the 1998 text»\nLoud NASA.',
	},
	{
		name: 'a plain-text directive word glued to another word is not a directive',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: 'See my-policy-lens-disable-line notes about NASA.',
		directiveCount: 0,
	},
	{
		name: 'no directives at all',
		format: 'plaintext',
		code: 'acronym.unknown',
		text: 'The Japan Aerospace Exploration Agency (JAXA) met NASA.\nNothing is silenced.',
		directiveCount: 0,
	},
];

/** Offsets where the lines of `text` start, with the same line ends as the LSP. */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (const match of text.matchAll(/\r\n|\n|\r/g)) starts.push((match.index ?? 0) + match[0].length);
	return starts;
}

/** The 0-based lines that a span touches. */
function linesOf(span: Span, starts: readonly number[]): number[] {
	const lines: number[] = [];
	for (let line = 0; line < starts.length; line++) {
		const lineEnd = line + 1 < starts.length ? starts[line + 1] : Number.POSITIVE_INFINITY;
		if (span.start < lineEnd && span.end > starts[line]) lines.push(line);
	}
	return lines;
}

/** Which lines are suppressed for `code`, asked at the start and at the end of each line. */
function suppressedLines(suppressions: Suppressions, text: string, code: string): number[] {
	const starts = lineStarts(text);
	const lines: number[] = [];
	for (let line = 0; line < starts.length; line++) {
		const lastOffset = Math.max(starts[line], (line + 1 < starts.length ? starts[line + 1] : text.length) - 1);
		const atStart = suppressions.isSuppressed(code, starts[line]);
		assert.equal(suppressions.isSuppressed(code, lastOffset), atStart, `line ${line} answers alike at its start and end`);
		if (atStart) lines.push(line);
	}
	return lines;
}

describe('parseSuppressions: which lines are suppressed', () => {
	for (const testCase of cases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			const suppressions = parseSuppressions(text, testCase.format);
			const starts = lineStarts(text);
			const expected = [...new Set(spans.flatMap((span) => linesOf(span, starts)))].sort((left, right) => left - right);
			assert.deepEqual(suppressedLines(suppressions, text, testCase.code), expected);
			assert.deepEqual(suppressions.problems, []);
			if (testCase.directiveCount !== undefined) assert.equal(suppressions.directives.length, testCase.directiveCount);
		});
	}
});

interface ProblemCase {
	readonly name: string;
	readonly format: 'markdown' | 'plaintext';
	/** «…» marks where each problem must be reported. */
	readonly text: string;
	readonly messages: readonly (string | RegExp)[];
}

const unknownDirectiveMessage = (word: string): string =>
	`Unknown directive "${word}"; use policy-lens-disable, policy-lens-enable, policy-lens-disable-line or policy-lens-disable-next-line.`;

const problemCases: readonly ProblemCase[] = [
	{
		name: 'a misspelled directive in Markdown',
		format: 'markdown',
		text: '<!-- «policy-lens-disabel» -->\nLoud NASA.',
		messages: [unknownDirectiveMessage('policy-lens-disabel')],
	},
	{
		name: 'a misspelled directive in plain text',
		format: 'plaintext',
		text: '# «policy-lens-disable-lines» acronym.unknown\nLoud NASA.',
		messages: [unknownDirectiveMessage('policy-lens-disable-lines')],
	},
	{
		name: 'a code with capital letters',
		format: 'markdown',
		text: '<!-- policy-lens-disable-next-line «Acronym.Unknown» -->\nLoud NASA.',
		messages: [/^The code "Acronym\.Unknown" is malformed; .+\.$/],
	},
	{
		name: 'a code without a dot',
		format: 'plaintext',
		text: 'Loud NASA. policy-lens-disable-line «acronym»',
		messages: [/^The code "acronym" is malformed; .+\.$/],
	},
	{
		name: 'text after a plain-text directive without -- is read as malformed codes',
		format: 'plaintext',
		text: 'policy-lens-disable-next-line «because» «of» «NASA»\nLoud NASA.',
		messages: [/"because"/, /"of"/, /"NASA"/],
	},
	{
		name: 'one malformed code voids the whole directive, valid codes included',
		format: 'markdown',
		text: '<!-- policy-lens-disable acronym.unknown «term_variant» -->\nLoud NASA.',
		messages: [/^The code "term_variant" is malformed; .+\.$/],
	},
];

describe('parseSuppressions: problems', () => {
	for (const testCase of problemCases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			const suppressions = parseSuppressions(text, testCase.format);
			assert.deepEqual(suppressions.problems.map((problem) => text.slice(problem.span.start, problem.span.end)), spans.map((span) => text.slice(span.start, span.end)));
			assert.deepEqual(suppressions.problems.map((problem) => problem.span), spans);
			testCase.messages.forEach((message, index) => {
				if (typeof message === 'string') assert.equal(suppressions.problems[index]?.message, message);
				else assert.match(suppressions.problems[index]?.message ?? '', message);
			});
			// The directive is otherwise ignored: nothing is suppressed anywhere.
			assert.deepEqual(suppressions.directives, []);
			assert.deepEqual(suppressedLines(suppressions, text, 'acronym.unknown'), []);
		});
	}
});

describe('parseSuppressions: directives', () => {
	test('each directive is listed with its kind, codes, span and 0-based line', () => {
		const { text, spans } = parseSpanMarkers(
			'Intro.\n«<!-- policy-lens-disable acronym.unknown, term.variant-spelling -- names in quotes -->»\nBody.\n«<!-- policy-lens-enable -->»\nText «<!-- policy-lens-disable-line acronym.undefined -->»',
		);
		assert.deepEqual(parseSuppressions(text, 'markdown').directives, [
			{ kind: 'disable', codes: ['acronym.unknown', 'term.variant-spelling'], span: spans[0], line: 1 },
			{ kind: 'enable', codes: [], span: spans[1], line: 3 },
			{ kind: 'disable-line', codes: ['acronym.undefined'], span: spans[2], line: 4 },
		]);
	});

	test('a plain-text directive’s span runs from its word to the end of its reason', () => {
		const { text, spans } = parseSpanMarkers('Text.\n# «policy-lens-disable-next-line acronym.unknown -- quoted»\n[«policy-lens-enable»]');
		assert.deepEqual(parseSuppressions(text, 'plaintext').directives.map((directive) => directive.span), spans);
	});
});

test('parseSuppressions: time for 1 MB (logged, not asserted)', () => {
	const paragraph = 'The Japan Aerospace Exploration Agency (JAXA) and the agency’s partners met on Tuesday.\n\n';
	const withoutDirectives = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
	const withDirectives = `${withoutDirectives}<!-- policy-lens-disable-next-line acronym.unknown -->\nNASA.\n`;
	for (const [name, text] of [['no directives', withoutDirectives], ['one directive', withDirectives]] as const) {
		const started = performance.now();
		const suppressions = parseSuppressions(text, 'markdown');
		const elapsed = performance.now() - started;
		console.log(`parseSuppressions, ${name}: ${(text.length / 1_000_000).toFixed(2)} MB in ${elapsed.toFixed(1)} ms`);
		assert.equal(suppressions.problems.length, 0);
	}
});
