// Suppression directives, in the manner of ESLint's: `policy-lens-disable` and
// `policy-lens-enable` open and close regions, `policy-lens-disable-line` and
// `policy-lens-disable-next-line` silence one line. Each may name codes (`acronym.undefined`,
// `term.variant-spelling`); without codes it covers every code. A reason may follow ` -- `.
//
// In Markdown a directive is an HTML comment that starts with the directive
// (`<!-- policy-lens-disable -->`), and only comments Markdown reads as HTML count, so a directive
// shown in a code block is inert. In plain text a directive may stand anywhere on a line, after
// whatever comment marker the author likes (`#`, `//`, `[…]`) or none.
//
// Answers are per line: a line is suppressed for a code when the code is disabled at any point
// on that line, so a region covers the lines of its own `disable` and `enable` directives.

import { lineAndCharacterAt } from './analysis';
import { findHtmlComments } from './markdown';
import type { Span } from './types';

export type SuppressionKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

export interface Suppressions {
	/** Whether findings with `code` are suppressed on the line that contains `offset`. */
	isSuppressed(code: string, offset: number): boolean;
	/** The valid directives, in document order; `line` is 0-based. */
	directives: Array<{ kind: SuppressionKind; codes: string[]; span: Span; line: number }>;
	/** Directives that were ignored because they are misspelled or name malformed codes. */
	problems: Array<{ span: Span; message: string }>;
}

type Directive = Suppressions['directives'][number];
type Problem = Suppressions['problems'][number];

const directivePrefix = 'policy-lens-';
const directiveKinds: ReadonlySet<string> = new Set<SuppressionKind>(['disable', 'enable', 'disable-line', 'disable-next-line']);
const codeShape = /^[a-z]+\.[a-z-]+$/;
/** The directive word: the prefix and whatever word characters follow it. */
const directiveWord = /policy-lens-[\w-]*/y;
/** A reason starts at `--` standing alone as a word. */
const reasonSeparator = /(?:^|\s)--(?:\s|$)/;
/** Where a plain-text directive's codes end: a reason, or the end of a `[…]`, `/* … *\/` or `<!-- … -->` wrapper. */
const plainTextDirectiveEnd = /(?:^|\s)--(?:\s|$)|\]|\*\/|-->/;

/** What a caller that keeps a document's structure between edits may already know of its text. */
export interface KnownText {
	/** The HTML comments of a Markdown text, as `findHtmlComments` finds them. */
	readonly htmlComments?: () => readonly Span[];
	/** Where lines start, a line break being CRLF, LF or a lone CR. */
	readonly lineStarts?: readonly number[];
}

export function parseSuppressions(text: string, format: 'markdown' | 'plaintext', known: KnownText = {}): Suppressions {
	// Most documents hold no directive at all; they must not pay for a Markdown parse.
	if (!text.includes(directivePrefix)) return noSuppressions();
	if (format === 'markdown' && !/<!--\s*policy-lens-/.test(text)) return noSuppressions();

	const directives: Directive[] = [];
	const problems: Problem[] = [];
	const lineStarts = known.lineStarts ?? findLineStarts(text);
	const lineOf = (offset: number): number => lineIndex(lineStarts, offset);

	if (format === 'markdown') {
		for (const comment of known.htmlComments?.() ?? findHtmlComments(text)) {
			const bodyStart = comment.start + 4;
			const bodyEnd = comment.end - 3;
			let wordStart = bodyStart;
			while (wordStart < bodyEnd && /\s/.test(text[wordStart])) wordStart++;
			if (!text.startsWith(directivePrefix, wordStart)) continue;
			const parsed = readDirective(text, wordStart, bodyEnd, reasonSeparator, problems);
			if (parsed) directives.push({ kind: parsed.kind, codes: parsed.codes, span: comment, line: lineOf(comment.start) });
		}
	} else {
		for (let found = text.indexOf(directivePrefix); found !== -1;) {
			const line = lineOf(found);
			const lineEnd = line + 1 < lineStarts.length ? lineBreakStart(text, lineStarts[line + 1]) : text.length;
			// A prefix glued to a word (`my-policy-lens-notes`) is not a directive; look further on the line.
			if (found > 0 && /[\w-]/.test(text[found - 1])) {
				found = text.indexOf(directivePrefix, found + 1);
				continue;
			}
			const parsed = readDirective(text, found, lineEnd, plainTextDirectiveEnd, problems);
			if (parsed) {
				// The span keeps the reason but stops before the end of a `[…]`, `/* … */` or `<!-- … -->` wrapper.
				const wrapperEnd = text.slice(found, lineEnd).search(/\]|\*\/|-->/);
				let spanEnd = wrapperEnd === -1 ? lineEnd : found + wrapperEnd;
				while (spanEnd > found && /\s/.test(text[spanEnd - 1])) spanEnd--;
				directives.push({ kind: parsed.kind, codes: parsed.codes, span: { start: found, end: spanEnd }, line });
			}
			// One directive per line: anything after it is its codes or its reason.
			found = text.indexOf(directivePrefix, lineEnd);
		}
	}

	return { isSuppressed: buildLookup(directives, lineStarts, lineOf), directives, problems };
}

function noSuppressions(): Suppressions {
	return { isSuppressed: () => false, directives: [], problems: [] };
}

/**
 * Reads the directive that starts at `wordStart` and whose text ends at `end` (or earlier, at
 * the first match of `codesEnd`). Returns undefined, after recording a problem, when the
 * directive word is unknown or a code is malformed: a half-understood directive is ignored
 * rather than applied to the wrong codes.
 */
function readDirective(text: string, wordStart: number, end: number, codesEnd: RegExp, problems: Problem[]): { kind: SuppressionKind; codes: string[] } | undefined {
	directiveWord.lastIndex = wordStart;
	const wordEnd = Math.min(wordStart + (directiveWord.exec(text)?.[0].length ?? directivePrefix.length), end);
	// The word is cut at `end`: in `<!--policy-lens-enable-->` the hyphens after it belong to `-->`.
	const kind = text.slice(wordStart + directivePrefix.length, wordEnd);
	if (!isSuppressionKind(kind)) {
		problems.push({
			span: { start: wordStart, end: wordEnd },
			message: `Unknown directive "${text.slice(wordStart, wordEnd)}"; use policy-lens-disable, policy-lens-enable, policy-lens-disable-line or policy-lens-disable-next-line.`,
		});
		return undefined;
	}

	const rest = text.slice(wordEnd, end);
	const restEnd = rest.search(codesEnd);
	const codesText = restEnd === -1 ? rest : rest.slice(0, restEnd);
	const codes: string[] = [];
	let malformed = false;
	for (const match of codesText.matchAll(/[^\s,]+/g)) {
		const code = match[0];
		if (codeShape.test(code)) {
			if (!codes.includes(code)) codes.push(code);
			continue;
		}
		const start = wordEnd + (match.index ?? 0);
		problems.push({
			span: { start, end: start + code.length },
			message: `The code "${code}" is malformed; write a code as lower-case letters, a dot, then lower-case letters or hyphens, like acronym.undefined.`,
		});
		malformed = true;
	}
	return malformed ? undefined : { kind, codes };
}

function isSuppressionKind(kind: string): kind is SuppressionKind {
	return directiveKinds.has(kind);
}

/** The code's state inside regions, after some sequence of `disable` and `enable` directives. */
interface RegionState {
	/** A `disable` without codes is in force. */
	readonly blanket: boolean;
	/** Codes enabled again by name while the blanket is in force. */
	readonly blanketExceptions: ReadonlySet<string>;
	/** Codes disabled by name. */
	readonly codes: ReadonlySet<string>;
}

interface RegionCheckpoint {
	readonly line: number;
	/** The state at the line's start and after each region directive on it. */
	readonly statesOnLine: RegionState[];
	/** The state from the end of the line until the next checkpoint. */
	stateAfter: RegionState;
}

const noRegion: RegionState = { blanket: false, blanketExceptions: new Set(), codes: new Set() };

function regionSuppresses(state: RegionState, code: string): boolean {
	return (state.blanket && !state.blanketExceptions.has(code)) || state.codes.has(code);
}

function applyRegionDirective(state: RegionState, directive: Directive): RegionState {
	if (directive.kind === 'disable') {
		if (directive.codes.length === 0) return { blanket: true, blanketExceptions: new Set(), codes: state.codes };
		const blanketExceptions = new Set(state.blanketExceptions);
		for (const code of directive.codes) blanketExceptions.delete(code);
		return { blanket: state.blanket, blanketExceptions, codes: new Set([...state.codes, ...directive.codes]) };
	}
	if (directive.codes.length === 0) return noRegion;
	const codes = new Set(state.codes);
	for (const code of directive.codes) codes.delete(code);
	// Enabling a code by name under a blanket disable re-enables that code only.
	const blanketExceptions = state.blanket ? new Set([...state.blanketExceptions, ...directive.codes]) : state.blanketExceptions;
	return { blanket: state.blanket, blanketExceptions, codes };
}

function buildLookup(directives: readonly Directive[], lineStarts: readonly number[], lineOf: (offset: number) => number): Suppressions['isSuppressed'] {
	// Line directives: every line the directive touches, or the line after it.
	const lineSuppressions = new Map<number, { all: boolean; codes: Set<string> }>();
	const suppressLine = (line: number, codes: readonly string[]): void => {
		const entry = lineSuppressions.get(line) ?? { all: false, codes: new Set<string>() };
		if (codes.length === 0) entry.all = true;
		for (const code of codes) entry.codes.add(code);
		lineSuppressions.set(line, entry);
	};

	const checkpoints: RegionCheckpoint[] = [];
	let state = noRegion;
	for (const directive of directives) {
		const lastLine = lineOf(Math.max(directive.span.start, directive.span.end - 1));
		if (directive.kind === 'disable-line') {
			for (let line = directive.line; line <= lastLine; line++) suppressLine(line, directive.codes);
		} else if (directive.kind === 'disable-next-line') {
			if (lastLine + 1 < lineStarts.length) suppressLine(lastLine + 1, directive.codes);
		} else {
			let checkpoint = checkpoints[checkpoints.length - 1];
			if (checkpoint === undefined || checkpoint.line !== directive.line) {
				checkpoint = { line: directive.line, statesOnLine: [state], stateAfter: state };
				checkpoints.push(checkpoint);
			}
			state = applyRegionDirective(state, directive);
			checkpoint.statesOnLine.push(state);
			checkpoint.stateAfter = state;
		}
	}

	return (code: string, offset: number): boolean => {
		const line = lineOf(offset);
		const lineEntry = lineSuppressions.get(line);
		if (lineEntry && (lineEntry.all || lineEntry.codes.has(code))) return true;
		let low = 0;
		let high = checkpoints.length - 1;
		let found = -1;
		while (low <= high) {
			const middle = (low + high) >> 1;
			if (checkpoints[middle].line <= line) {
				found = middle;
				low = middle + 1;
			} else high = middle - 1;
		}
		if (found === -1) return false;
		const checkpoint = checkpoints[found];
		if (checkpoint.line === line) return checkpoint.statesOnLine.some((lineState) => regionSuppresses(lineState, code));
		return regionSuppresses(checkpoint.stateAfter, code);
	};
}

/** Offsets where lines start; `\r\n`, `\n` and a lone `\r` each end a line, as in LSP. */
function findLineStarts(text: string): number[] {
	const starts = [0];
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === 13) {
			if (text.charCodeAt(index + 1) === 10) index++;
			starts.push(index + 1);
		} else if (code === 10) starts.push(index + 1);
	}
	return starts;
}

/** The 0-based line that holds `offset`; offsets outside the text are clamped to it. */
function lineIndex(lineStarts: readonly number[], offset: number): number {
	return lineAndCharacterAt(lineStarts, offset).line;
}

/** Where the line break before the line starting at `nextLineStart` begins. */
function lineBreakStart(text: string, nextLineStart: number): number {
	let end = nextLineStart - 1;
	if (end > 0 && text[end] === '\n' && text[end - 1] === '\r') end--;
	return end;
}
