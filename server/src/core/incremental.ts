// The analysis of an open document, kept up to date edit by edit. An edit changes a few lines
// of a draft, but analysing a whole 1 MB draft again (recognition, definitions, the Markdown
// structure, the suppressions) takes hundreds of milliseconds. `IncrementalAnalysis` reads again
// a window of the text around the change and keeps the rest of the previous analysis, moved by
// the change's length. The result is always what `analyzeDocument` and `checkDocument` give for
// the whole new text; test/unit/incremental.test.ts holds it to that over random edits.
//
// Where the window may end:
// - Definitions never cross a blank line: a long form is looked for back to a blank line at
//   most, and a parenthesis must close before its second line break. The window's ends are
//   therefore block starts (lines right after a blank line).
// - Names may: a run of separators, blank lines included, folds to one space, and an article
//   phrase ("Article V of the ...") is read up to 48 characters before a treaty's name. The
//   window therefore also reaches `guard` non-separator characters past the change on each side,
//   more than twice the longest name of the glossary, and its ends are block starts that no
//   previous mention crosses and no new one crosses either (checked after recognizing).
// - The header, the paragraphs and the line starts are computed for the whole text (linear and
//   cheap), or spliced; the Markdown structure is kept by `MarkdownDocument`.
//
// The checks run over the whole analysis, since their findings depend on the whole document
// (the first use of each acronym, every spelling of a name). But most edits (a word typed in
// prose) change no mention, definition, excluded span or suppression and no line break: then
// every input of the checks is the previous one moved by the change, and so are the findings.
// `check` verifies exactly that, with what the previous check recorded it read (lines, searches
// of the text, the resolver's answers), and moves the previous findings; otherwise it checks anew.
import {
	analyzeDocument, documentTitle, locateDefinition, locateMention, mineDefinitions,
	type DocumentAnalysis, type LocatedMention, type MinedDefinition, type UnlocatedDefinition,
} from './analysis';
import { sameKeysAs } from './corpusIndex';
import { checkDocument, emptyCheckReads, type CheckContext, type CheckReads, type CheckResult, type DocumentFormat } from './checks';
import type { Finding, Fix, TextEdit } from './findings';
import { MarkdownDocument, type MarkdownStructure } from './markdown';
import { recognize, type Lexicon, type Mention } from './recognizer';
import type { Referent } from './resolver';
import { parseStatement, parseStatementAfterEdit } from './statement';
import { parseSuppressions, type Suppressions } from './suppressions';
import { findTextChange, type TextChange } from './textChange';
import type { Paragraph, Span } from './types';

/** How an analysis was made from the one before it. */
interface Lineage {
	readonly previous: DocumentAnalysis;
	readonly change: TextChange;
	/** Whether it is the previous analysis moved by the change, untouched by it otherwise (see `Reanalysis`). */
	readonly moved: boolean;
}

/** What a check was given and what it found and read, for moving its findings after an edit. */
interface CheckState {
	readonly text: string;
	readonly analysis: DocumentAnalysis;
	readonly format: DocumentFormat;
	readonly context: CheckContext;
	/** The options, compared by value: the settings are read again on every change to them. */
	readonly options: string;
	/** `context.resolution` when the check ran. */
	readonly resolution: number | undefined;
	readonly markdown: MarkdownStructure | undefined;
	readonly suppressions: Suppressions;
	readonly result: CheckResult;
	/** The result's findings as those of an earlier check and the changes since; undefined after a check anew. */
	readonly moved: MovedFindings | undefined;
	readonly reads: CheckReads;
}

/** The state of one open document: its last text and analysis, its Markdown structure, its last check. */
export class IncrementalAnalysis {
	private last: { readonly text: string; readonly lexicon: Lexicon; readonly analysis: DocumentAnalysis } | undefined;
	/**
	 * How the last analysis was made from the one before it. Only the last one's: a check can move
	 * findings only from the analysis just before the one it checks. (A map from every analysis to
	 * its lineage, even a weak one, keeps every earlier analysis alive: each lineage holds the
	 * analysis before, whose own lineage stays while it lives.)
	 */
	private lineage: { readonly analysis: DocumentAnalysis; readonly lineage: Lineage } | undefined;
	private readonly markdown = new MarkdownDocument();
	private checked: CheckState | undefined;

	constructor(private readonly uri: string) {}

	/** The analysis of `text`, the same as `analyzeDocument(uri, text, lexicon, version)`. */
	analyze(text: string, lexicon: Lexicon, version?: number): DocumentAnalysis {
		const last = this.last;
		const reanalysis = last?.lexicon === lexicon ? reanalyze(last.analysis, last.text, text, lexicon, version) : undefined;
		const analysis = reanalysis?.analysis ?? analyzeDocument(this.uri, text, lexicon, version);
		this.lineage = reanalysis && last ? { analysis, lineage: { previous: last.analysis, change: reanalysis.change, moved: reanalysis.moved } } : undefined;
		if (reanalysis?.moved && last) sameKeysAs(analysis, last.analysis);
		this.last = { text, lexicon, analysis };
		return analysis;
	}

	/**
	 * The same as `checkDocument(text, analysis, format, context)`. The Markdown structure is kept
	 * from the previous text where it did not change, and when the edit since the previous check
	 * only moved the checks' inputs, the previous findings are moved rather than found again.
	 */
	check(text: string, analysis: DocumentAnalysis, format: DocumentFormat, context: CheckContext): CheckResult {
		const markdown = format === 'markdown' ? this.markdown.update(text) : undefined;
		// Without carriage returns, the analysis's line starts are the ones suppressions count lines by.
		const lineStarts = text.includes('\r') ? undefined : analysis.lineStarts;
		const suppressions = parseSuppressions(text, format === 'markdown' ? 'markdown' : 'plaintext', { htmlComments: () => this.markdown.htmlComments(), lineStarts });
		const given = { text, analysis, format, context, options: JSON.stringify(context.options), resolution: context.resolution, markdown, suppressions };
		// Checked again for the same text (the corpus or the settings changed): nothing moved.
		const lineage = this.checked?.analysis === analysis && this.checked.text === text ? { previous: analysis, change: noChange(text), moved: true } : this.lineage?.analysis === analysis ? this.lineage.lineage : undefined;
		const moved = this.checked && lineage ? movedCheck(this.checked, given, lineage) : undefined;
		if (moved) {
			this.checked = moved;
			return moved.result;
		}
		const reads = emptyCheckReads();
		const result = checkDocument(text, analysis, format, context, { markdown, suppressions }, reads);
		this.checked = { ...given, result, moved: undefined, reads };
		return result;
	}
}

/** The change between a text and itself: an empty one past its end, which no span touches. */
function noChange(text: string): TextChange {
	return { start: text.length + 1, previousEnd: text.length + 1, nextEnd: text.length + 1 };
}

/** A new analysis, the change it follows, and whether it is the previous analysis only moved. */
interface Reanalysis {
	readonly analysis: DocumentAnalysis;
	readonly change: TextChange;
	/**
	 * True when every mention and definition is the previous one moved by the change (none
	 * touching it), with the same paragraph number, and the header and date are the same.
	 */
	readonly moved: boolean;
}

/** The analysis of `text` from that of `previousText`, or undefined when it must be made afresh. */
function reanalyze(previous: DocumentAnalysis, previousText: string, text: string, lexicon: Lexicon, version: number | undefined): Reanalysis | undefined {
	if (text === previousText) return { analysis: { ...previous, version }, change: noChange(text), moved: true };
	const change = findTextChange(previousText, text);
	const parsed = parseStatementAfterEdit(previous.parsed, previousText, text, change) ?? parseStatement(text);
	// Definitions are searched from the body's start, which a change in a header may move.
	if (parsed.isStatement !== previous.parsed.isStatement || parsed.bodyStart !== previous.parsed.bodyStart || change.start < parsed.bodyStart) return undefined;
	const delta = change.nextEnd - change.previousEnd;
	const window = recognitionWindow(previous.mentions, text, change, guardLength(lexicon));
	let found: Mention[];
	for (;;) {
		// Recognition cannot see past its `to`: it runs a guard's length beyond the window's end,
		// and the window ends where no mention it found crosses.
		found = recognize(text, lexicon, window.start, blockStartAfter(text, window.end, window.guard, () => true));
		if (!found.some((mention) => mention.start < window.end && mention.end > window.end)) break;
		window.end = blockStartAfter(text, window.end, 0, window.acceptsEnd);
	}
	const cursor = paragraphCursor(parsed.paragraphs);
	// The mentions before the window are kept as they are, in a copy of that part of the list, unless
	// their paragraph number changed: copying every mention on every keystroke was most of what an
	// edit allocated, and fresh objects cost collections.
	const index = firstAtOrAfter(previous.mentions, window.start, (mention) => mention.start);
	const mentions = previous.mentions.slice(0, index);
	// Whether every mention kept is only moved, with its paragraph number unchanged.
	let moved = sameData(previous.date, parsed.date);
	// When the paragraphs before the window are the previous ones (`parseStatementAfterEdit` keeps
	// them), so are the paragraph numbers of the mentions there.
	const checkedUpTo = paragraphsKeptBefore(previous.parsed.paragraphs, parsed.paragraphs, window.start) ? 0 : index;
	for (let position = 0; position < checkedUpTo; position++) {
		const mention = mentions[position]!;
		const paragraph = cursor(mention.start);
		if (paragraph !== mention.paragraph) {
			moved = false;
			mentions[position] = movedMention(mention, 0, paragraph);
		}
	}
	const tail = firstAtOrAfter(previous.mentions, window.end - delta, (mention) => mention.start);
	const windowStart = mentions.length;
	for (const mention of found) if (mention.start < window.end) mentions.push(locateMention(mention, cursor(mention.start)));
	moved &&= sameMoved(previous.mentions.slice(index, tail), mentions.slice(windowStart), change);
	for (let position = tail; position < previous.mentions.length; position++) {
		const mention = previous.mentions[position]!;
		const paragraph = cursor(mention.start + delta);
		moved &&= paragraph === mention.paragraph;
		mentions.push(delta === 0 && paragraph === mention.paragraph ? mention : movedMention(mention, delta, paragraph));
	}
	const definitions = updatedDefinitions(previous.definitions, text, parsed.bodyStart, parsed.paragraphs, window.start, window.end, change);
	const analysis: DocumentAnalysis = {
		uri: previous.uri,
		version,
		parsed,
		title: documentTitle(previous.uri, text, parsed),
		date: parsed.date,
		lineStarts: splicedLineStarts(previous.lineStarts, text, change),
		mentions,
		definitions: definitions.definitions,
	};
	return { analysis, change, moved: moved && definitions.moved };
}

interface RecognitionWindow {
	/** Where recognition starts again: a block start no previous mention crosses. */
	readonly start: number;
	/** Where the mentions found again end and the previous ones, moved, take over. */
	end: number;
	readonly guard: number;
	/** Whether a block start after the change may end the window: no previous mention crosses it. */
	readonly acceptsEnd: (position: number) => boolean;
}

/** The window around `change` in which mentions are recognized again. */
function recognitionWindow(previous: readonly LocatedMention[], text: string, change: TextChange, guard: number): RecognitionWindow {
	const delta = change.nextEnd - change.previousEnd;
	// Offsets before the change are the same in both texts; after it, they differ by `delta`.
	const crossesPrevious = (position: number): boolean => {
		const index = firstAtOrAfter(previous, position, (mention) => mention.start) - 1;
		return index >= 0 && previous[index]!.end > position;
	};
	const acceptsEnd = (position: number) => !crossesPrevious(position - delta);
	return {
		start: blockStartBefore(text, change.start, guard, (position) => !crossesPrevious(position)),
		end: blockStartAfter(text, change.nextEnd, guard, acceptsEnd),
		guard,
		acceptsEnd,
	};
}

/**
 * The previous definitions, with those standing in the window `[start, end)` found again. No
 * definition crosses a block start, so the window's ends divide the previous ones cleanly.
 * `moved` tells whether all are the previous ones only moved, with their paragraph numbers.
 */
function updatedDefinitions(previous: readonly MinedDefinition[], text: string, bodyStart: number, paragraphs: readonly Paragraph[], start: number, end: number, change: TextChange): { definitions: MinedDefinition[]; moved: boolean } {
	const delta = change.nextEnd - change.previousEnd;
	const cursor = paragraphCursor(paragraphs);
	let moved = true;
	const located = (definition: UnlocatedDefinition | MinedDefinition, fresh: boolean): MinedDefinition => {
		const paragraph = cursor(definition.acronymSpan.start);
		if (!fresh && 'paragraph' in definition && definition.paragraph === paragraph) return definition;
		return locateDefinition(definition, paragraph);
	};
	const definitions: MinedDefinition[] = [];
	let index = 0;
	for (; index < previous.length && previous[index]!.acronymSpan.start < start; index++) definitions.push(located(previous[index]!, false));
	const tail = firstAtOrAfter(previous, end - delta, (definition) => definition.acronymSpan.start);
	const windowStart = definitions.length;
	for (const definition of mineDefinitions(text, Math.max(start, bodyStart), end)) definitions.push(located(definition, true));
	moved &&= sameMoved(previous.slice(index, tail), definitions.slice(windowStart), change);
	for (let position = tail; position < previous.length; position++) {
		const definition = previous[position]!;
		const relocated = delta === 0 ? located(definition, false) : located(movedDefinition(definition, delta), true);
		moved &&= relocated.paragraph === definition.paragraph;
		definitions.push(relocated);
	}
	// Kept definitions are reused when their paragraph is the same; a new object means it changed.
	for (let position = 0; position < windowStart; position++) moved &&= definitions[position] === previous[position];
	return { definitions, moved };
}

/**
 * A mention moved by `delta`: its span and its article phrase's, with its new paragraph. Built
 * property by property in the three shapes `recognize` makes (a name, a name with an article, an
 * acronym): tens of thousands are copied per edit, and object spread is several times slower.
 */
function movedMention(mention: LocatedMention, delta: number, paragraph: number): LocatedMention {
	const start = mention.start + delta;
	const end = mention.end + delta;
	if (mention.entityId === undefined) return { start, end, acronym: mention.acronym!, paragraph };
	if (mention.articleSpan === undefined) return { start, end, entityId: mention.entityId, paragraph };
	return { start, end, entityId: mention.entityId, article: mention.article!, articleSpan: movedSpan(mention.articleSpan, delta), paragraph };
}

function movedDefinition(definition: MinedDefinition, delta: number): MinedDefinition {
	return {
		...definition,
		acronymSpan: movedSpan(definition.acronymSpan, delta),
		expansionSpan: movedSpan(definition.expansionSpan, delta),
		phraseSpan: movedSpan(definition.phraseSpan, delta),
	};
}

function movedSpan(span: Span, delta: number): Span {
	return { start: span.start + delta, end: span.end + delta };
}

/** The previous line starts, with those of the changed stretch found again and the later ones moved. */
function splicedLineStarts(previous: readonly number[], text: string, change: TextChange): number[] {
	const delta = change.nextEnd - change.previousEnd;
	// A line starts after each line feed; the changed stretch holds the line feeds in [start, nextEnd).
	const lineStarts = previous.slice(0, firstAtOrAfter(previous, change.start + 1, (start) => start));
	for (let index = text.indexOf('\n', change.start); index !== -1 && index < change.nextEnd; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
	for (let index = firstAtOrAfter(previous, change.previousEnd + 1, (start) => start); index < previous.length; index++) lineStarts.push(previous[index]! + delta);
	return lineStarts;
}

/**
 * Whether every offset before `end` lies in the same paragraph (or in none) in both lists: the
 * paragraphs until one starts at `end` or later are the very same objects.
 */
function paragraphsKeptBefore(previous: readonly Paragraph[], next: readonly Paragraph[], end: number): boolean {
	let index = 0;
	while (index < previous.length && index < next.length && previous[index] === next[index]) index++;
	return (previous[index]?.span.start ?? end) >= end && (next[index]?.span.start ?? end) >= end;
}

/** The paragraph number at each of a rising series of offsets, as `paragraphAt` gives it, in one pass. */
function paragraphCursor(paragraphs: readonly Paragraph[]): (offset: number) => number {
	let index = 0;
	return (offset) => {
		while (index < paragraphs.length && paragraphs[index]!.span.end <= offset) index++;
		const paragraph = paragraphs[index];
		return paragraph !== undefined && paragraph.span.start <= offset ? paragraph.number : 0;
	};
}

/** The index of the first item whose key is at least `value`, in items sorted by that key. */
function firstAtOrAfter<T>(items: ArrayLike<T>, value: number, key: (item: T) => number): number {
	let low = 0;
	let high = items.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (key(items[middle]!) < value) low = middle + 1;
		else high = middle;
	}
	return low;
}

// ---------------------------------------------------------------------------------------------
// Moving the previous check's findings
// ---------------------------------------------------------------------------------------------

/** Marks a value that touches the change: its content may have changed, so it cannot be moved. */
const touches = Symbol('touches the change');

/**
 * A value of the previous text's results (a span, a mention, a finding, an array of them) as it
 * stands in the next text: spans that end a character or more before the change stay, spans
 * that start a character or more after it move by the change's length. The gap keeps every
 * comparison of two offsets the same on both sides of the change. Unchanged parts are returned
 * as they are; `touches` when a span touches or holds the change.
 */
function moveValue<T>(value: T, change: TextChange): T | typeof touches {
	if (Array.isArray(value)) {
		let result: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const item: unknown = value[index];
			const moved = moveValue(item, change);
			if (moved === touches) return touches;
			if (moved !== item) (result ??= value.slice())[index] = moved;
		}
		return (result ?? value) as T;
	}
	if (typeof value !== 'object' || value === null) return value;
	const record = value as Record<string, unknown>;
	let result: Record<string, unknown> | undefined;
	if (typeof record.start === 'number' && typeof record.end === 'number') {
		if (record.start > change.previousEnd) result = { ...record, start: record.start + change.nextEnd - change.previousEnd, end: record.end + change.nextEnd - change.previousEnd };
		else if (record.end >= change.start) return touches;
	}
	for (const key in record) {
		const child = record[key];
		if (typeof child !== 'object' || child === null) continue;
		const moved = moveValue(child, change);
		if (moved === touches) return touches;
		if (moved !== child) (result ??= { ...record })[key] = moved;
	}
	return (result ?? value) as T;
}

/** `moveValue` of a plain span (`{ start, end }` and nothing else). */
function moveSpan(span: Span, change: TextChange): Span | typeof touches {
	if (span.start > change.previousEnd) return { start: span.start + change.nextEnd - change.previousEnd, end: span.end + change.nextEnd - change.previousEnd };
	return span.end >= change.start ? touches : span;
}

/** `moveValue` of plain spans, without the generic walk. */
function moveSpans(spans: readonly Span[], change: TextChange): Span[] | typeof touches {
	let result: Span[] | undefined;
	for (let index = 0; index < spans.length; index++) {
		const span = spans[index]!;
		const moved = moveSpan(span, change);
		if (moved === touches) return touches;
		if (moved !== span) (result ??= spans.slice())[index] = moved;
	}
	return result ?? (spans as Span[]);
}

/**
 * Findings moved through `changes`, none of which touches them, shaped as `checkDocument` makes
 * them (plain spans, in the findings and in their fixes' edits), without walking their strings.
 * What did not move is kept as it is.
 */
function moveFindings(findings: readonly Finding[], changes: readonly TextChange[]): Finding[] {
	const move = (span: Span): Span => {
		const start = movedOffset(span.start, changes);
		return start === span.start ? span : { start, end: movedOffset(span.end, changes) };
	};
	const moved: Finding[] = [];
	for (const finding of findings) {
		const span = move(finding.span);
		let fixes = finding.fixes;
		for (let index = 0; index < fixes.length; index++) {
			const fix = fixes[index]!;
			let edits = fix.edits;
			for (let position = 0; position < edits.length; position++) {
				const edit = edits[position]!;
				const editSpan = move(edit.span);
				if (editSpan !== edit.span) {
					if (edits === fix.edits) edits = edits.slice();
					(edits as TextEdit[])[position] = { span: editSpan, newText: edit.newText };
				}
			}
			if (edits !== fix.edits) {
				if (fixes === finding.fixes) fixes = fixes.slice();
				(fixes as Fix[])[index] = { ...fix, edits };
			}
		}
		moved.push(span === finding.span && fixes === finding.fixes ? finding : { ...finding, span, fixes });
	}
	return moved;
}

/** Whether `next` is `previous` moved by the change, none of it touching the change. */
function sameMoved<T>(previous: T, next: T, change: TextChange): boolean {
	const moved = moveValue(previous, change);
	return moved !== touches && sameData(moved, next);
}

/** `sameMoved` for plain spans, compared in place: a long draft has thousands of excluded spans. */
function sameMovedSpans(previous: readonly Span[], next: readonly Span[], change: TextChange): boolean {
	if (previous.length !== next.length) return false;
	const delta = change.nextEnd - change.previousEnd;
	for (let index = 0; index < previous.length; index++) {
		const { start, end } = previous[index]!;
		const moved = next[index]!;
		if (start > change.previousEnd) {
			if (moved.start !== start + delta || moved.end !== end + delta) return false;
		} else if (end >= change.start || moved.start !== start || moved.end !== end) return false;
	}
	return true;
}

/** Structural equality of plain data (records, arrays, primitives), as the analyses hold it. */
function sameData(left: unknown, right: unknown): boolean {
	if (left === right) return true;
	if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
	if (Array.isArray(left) !== Array.isArray(right)) return false;
	const leftKeys = Object.keys(left);
	if (leftKeys.length !== Object.keys(right).length) return false;
	return leftKeys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && sameData((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}

/** Whether the resolver means the same by an answer, as far as the checks look: the entity, or the mined expansion. */
function sameReferent(left: Referent | undefined, right: Referent | undefined): boolean {
	if (left === undefined || right === undefined) return left === right;
	if (left.kind === 'entity') return right.kind === 'entity' && left.entity === right.entity;
	return right.kind === 'mined' && left.acronym === right.acronym && left.expansion === right.expansion;
}

function holdsLineBreak(text: string, start: number, end: number): boolean {
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code === 10 || code === 13) return true;
	}
	return false;
}

/**
 * The previous check moved to the next text, when the change between them cannot have changed
 * any finding but by moving it: the analysis is the previous one moved (see `Reanalysis`), no
 * line break came or went (suppressions go by lines), the Markdown exclusions and the
 * suppressions are the previous ones moved, the resolver answers as before, and nothing else the
 * previous check read (whole lines, searches for expansions) touches the change. Undefined otherwise.
 */
function movedCheck(previous: CheckState, next: Omit<CheckState, 'result' | 'moved' | 'reads'>, lineage: Lineage): CheckState | undefined {
	const change = lineage.change;
	if (!lineage.moved || lineage.previous !== previous.analysis) return undefined;
	if (next.format !== previous.format || next.options !== previous.options || next.context.lexicon !== previous.context.lexicon || next.context.resolver !== previous.context.resolver) return undefined;
	// A change right after a carriage return may split a CRLF line break.
	if (holdsLineBreak(previous.text, change.start, change.previousEnd) || holdsLineBreak(next.text, change.start, change.nextEnd) || next.text.charCodeAt(change.start - 1) === 13) return undefined;
	if (previous.markdown?.frontMatter?.dateText !== next.markdown?.frontMatter?.dateText) return undefined;
	if (!sameMovedSpans(previous.markdown?.excluded ?? [], next.markdown?.excluded ?? [], change)) return undefined;
	if (!sameMoved(previous.suppressions.directives, next.suppressions.directives, change) || !sameMoved(previous.suppressions.problems, next.suppressions.problems, change)) return undefined;
	const reads = previous.reads;
	if (!reads.searches.every((search) => sameSearchAround(previous.text, next.text, search, change))) return undefined;
	const resolver = next.context.resolver;
	// The analysis only moved, so with the corpus as it was every answer is the one before: asking
	// again is left to the times the corpus changed (hundreds of acronyms, on every keystroke).
	const corpusAsBefore = next.resolution !== undefined && next.resolution === previous.resolution;
	if (!corpusAsBefore && !sameAnswers(reads, resolver, next.analysis)) return undefined;
	const pending = previous.moved ?? { base: previous.result.findings, changes: [], spans: undefined };
	const spans = pending.spans ?? spanIndexOf(pending.base);
	if (touchesAny(spans, pending.changes, change)) return undefined;
	const directiveProblems = moveValue(previous.result.directiveProblems, change);
	// The lines read whole (to tell capitals that are no acronym) move only when the change is on none of them.
	const lines = moveSpans(reads.lines, change);
	if (directiveProblems === touches || lines === touches) return undefined;
	const changes = [...pending.changes, change];
	// A long run of changes is moved once, so that reading the findings never walks many.
	const moved: MovedFindings = changes.length < maximumPendingChanges ? { base: pending.base, changes, spans } : { base: moveFindings(pending.base, changes), changes: [], spans: undefined };
	const searches = reads.searches.map((search) => ({ ...search, from: search.from > change.previousEnd ? search.from + change.nextEnd - change.previousEnd : search.from }));
	const result = movedResult(moved, directiveProblems, previous.result.date);
	resultMoves.set(result, { previous: new WeakRef(previous.result), change, moved });
	return { ...next, result, moved, reads: { ...reads, lines, searches } };
}

// ---------------------------------------------------------------------------------------------
// Findings moved when read
// ---------------------------------------------------------------------------------------------

/**
 * Findings as an earlier check found them (`base`) and the changes made since, none touching any
 * of their spans (the findings' or their fixes' edits'). Moving thousands of findings and their
 * fixes on every keystroke allocated more than anything else an edit did, and an editor reads
 * only the few on the edited line (`FindingsMove`): a result's findings are moved when first read.
 */
interface MovedFindings {
	readonly base: readonly Finding[];
	readonly changes: readonly TextChange[];
	/** Every span of `base`, made when first needed and kept while `base` is. */
	readonly spans: SpanIndex | undefined;
}

/** How many changes wait before the findings are moved through them. */
const maximumPendingChanges = 64;

/** Spans sorted by start, with the furthest end reached so far at each: whether any span touches a stretch is a binary search. */
export interface SpanIndex {
	readonly starts: Int32Array;
	readonly reach: Int32Array;
}

/** The index of every span of the findings, their fixes' edits' included. */
export function spanIndexOf(findings: readonly Finding[]): SpanIndex {
	const spans: Span[] = [];
	for (const finding of findings) {
		spans.push(finding.span);
		for (const fix of finding.fixes) for (const edit of fix.edits) spans.push(edit.span);
	}
	spans.sort((left, right) => left.start - right.start);
	const starts = new Int32Array(spans.length);
	const reach = new Int32Array(spans.length);
	let furthest = -1;
	for (let index = 0; index < spans.length; index++) {
		starts[index] = spans[index]!.start;
		furthest = Math.max(furthest, spans[index]!.end);
		reach[index] = furthest;
	}
	return { starts, reach };
}

/**
 * Whether a change (in the text after `changes`) touches a span of the index (in the text before
 * them), as `moveSpan` decides: a span touches when it starts at or before the change's end and
 * ends at or after its start. The change is carried back through `changes`; since no span touches
 * any of them, a span touches the change there exactly when its moved self touches it here.
 */
export function touchesAny(spans: SpanIndex, changes: readonly TextChange[], change: TextChange): boolean {
	let from = change.start;
	let to = change.previousEnd;
	for (let index = changes.length - 1; index >= 0; index--) {
		const earlier = changes[index]!;
		const delta = earlier.nextEnd - earlier.previousEnd;
		from = from < earlier.start ? from : from > earlier.nextEnd ? from - delta : earlier.start;
		to = to < earlier.start ? to : to > earlier.nextEnd ? to - delta : earlier.previousEnd;
	}
	const last = firstAtOrAfter(spans.starts, to + 1, (start) => start) - 1;
	return last >= 0 && spans.reach[last]! >= from;
}

/** An offset of the text before `changes` (touched by none) in the text after them. */
function movedOffset(offset: number, changes: readonly TextChange[]): number {
	for (const change of changes) if (offset > change.previousEnd) offset += change.nextEnd - change.previousEnd;
	return offset;
}

/** A check result whose findings are moved when first read. */
function movedResult(moved: MovedFindings, directiveProblems: CheckResult['directiveProblems'], date: CheckResult['date']): CheckResult {
	let findings: Finding[] | undefined = moved.changes.length === 0 ? (moved.base as Finding[]) : undefined;
	return {
		get findings(): Finding[] {
			return (findings ??= moveFindings(moved.base, moved.changes));
		},
		directiveProblems,
		date,
	};
}

/** How a result was made from the one before it by `IncrementalAnalysis.check`, when it was moved. */
export interface FindingsMove {
	/** Whether `result` is the result before the change. */
	follows(result: object | undefined): boolean;
	/** The change, which added and removed no line break and touched no finding. */
	readonly change: TextChange;
	/** The findings (as `findings` has them) whose span starts in `[from, to)`, and the index of the first. */
	findingsStartingIn(from: number, to: number): { readonly first: number; readonly findings: readonly Finding[] };
}

/**
 * Each moved result's move. The result before it is held weakly: each result would otherwise keep
 * the one before it, and that one its own, every result since the last check anew.
 */
const resultMoves = new WeakMap<CheckResult, { readonly previous: WeakRef<CheckResult>; readonly change: TextChange; readonly moved: MovedFindings }>();

/** How `result` was moved from the result before it, if it was: a caller can then redo only the findings near the change. */
export function findingsMoveOf(result: CheckResult): FindingsMove | undefined {
	const move = resultMoves.get(result);
	if (!move) return undefined;
	const { base, changes } = move.moved;
	return {
		follows: (result) => result !== undefined && move.previous.deref() === result,
		change: move.change,
		findingsStartingIn: (from, to) => {
			// Moving keeps the order of the findings, which are sorted by start.
			const first = firstAtOrAfter(base, from, (finding) => movedOffset(finding.span.start, changes));
			const end = firstAtOrAfter(base, to, (finding) => movedOffset(finding.span.start, changes));
			return { first, findings: moveFindings(base.slice(first, end), changes) };
		},
	};
}

/** Whether the resolver gives every answer the previous check read, for the next analysis. */
function sameAnswers(reads: CheckReads, resolver: CheckContext['resolver'], analysis: DocumentAnalysis): boolean {
	// An acronym's mentions resolve as the acronym does (see `Resolver`), so each acronym is asked once.
	const acronymAnswers = new Map<string, Referent | undefined>();
	const resolveAcronym = (acronym: string): Referent | undefined => {
		if (!acronymAnswers.has(acronym)) acronymAnswers.set(acronym, resolver.resolveAcronym(acronym, analysis));
		return acronymAnswers.get(acronym);
	};
	for (const [acronym, referent] of reads.acronyms) if (!sameReferent(referent, resolveAcronym(acronym))) return false;
	for (const { mention, referent } of reads.entityMentions.values()) if (!sameReferent(referent, resolver.resolveMention(mention, analysis))) return false;
	for (const { mention, referent } of reads.acronymMentions.values()) if (!sameReferent(referent, resolveAcronym(mention.acronym!))) return false;
	return true;
}

const wordOrSpace = /[\p{L}\p{N}\s]/u;

/**
 * Whether a search for an expansion finds the same matches, moved, near the change, and none
 * touching it. A match is made of the expansion's characters (letters in any case) and white
 * space, so any match touching the change lies in the run of such characters around it; the run
 * is bounded by other characters, so the search finds there what it finds scanning the whole text.
 */
function sameSearchAround(previousText: string, nextText: string, search: CheckReads['searches'][number], change: TextChange): boolean {
	if (search.from > change.previousEnd) return true;
	const matchesAround = (text: string, end: number): Span[] => {
		const allowed = (code: number) => search.expansion.includes(String.fromCharCode(code)) || wordOrSpace.test(String.fromCharCode(code));
		let from = change.start;
		while (from > search.from && allowed(text.charCodeAt(from - 1))) from--;
		let to = end;
		while (to < text.length && allowed(text.charCodeAt(to))) to++;
		from = Math.max(from, search.from);
		// One character on each side, for the pattern's look-behind and look-ahead.
		const sliceStart = Math.max(0, from - 1);
		const region = text.slice(sliceStart, Math.min(text.length, to + 1));
		const pattern = new RegExp(search.pattern.source, search.pattern.flags);
		pattern.lastIndex = from - sliceStart;
		const matches: Span[] = [];
		for (let match = pattern.exec(region); match && match.index < to - sliceStart; match = pattern.exec(region)) {
			matches.push({ start: sliceStart + match.index, end: sliceStart + match.index + match[0].length });
			if (match[0].length === 0) pattern.lastIndex++;
		}
		return matches;
	};
	const previousMatches = matchesAround(previousText, change.previousEnd);
	const nextMatches = matchesAround(nextText, change.nextEnd);
	if (nextMatches.some((match) => match.end >= change.start && match.start <= change.nextEnd)) return false;
	return sameMoved(previousMatches, nextMatches, change);
}

// ---------------------------------------------------------------------------------------------
// Block starts and the guard
// ---------------------------------------------------------------------------------------------

const guards = new WeakMap<Lexicon, number>();

/**
 * How many non-separator characters the window reaches past a change: recognition decides at a
 * word from at most the longest name's characters after it and 48 characters before it, so twice
 * the longest name and some more is safe.
 */
function guardLength(lexicon: Lexicon): number {
	let guard = guards.get(lexicon);
	if (guard === undefined) {
		let longest = 0;
		for (const entity of lexicon.glossary.entities.values()) {
			for (const name of [entity.name, entity.preferred ?? '', entity.ja ?? '', ...entity.aliases, ...entity.jaAliases, ...entity.acronyms]) longest = Math.max(longest, name.length);
		}
		guard = 2 * longest + 256;
		guards.set(lexicon, guard);
	}
	return guard;
}

/**
 * Characters that may separate the words of a name, counted generously (every control character,
 * space, hyphen and dash): the guard counts the others, so counting too few only widens the window.
 */
function isSeparatorLike(code: number): boolean {
	return code <= 32 || code === 45 || code === 0xa0 || code === 0x3000 || code === 0x30fb || code === 0xfeff || code === 0xff0d || code === 0x2212 || (code >= 0x2000 && code <= 0x206f);
}

function nonSeparators(text: string, from: number, to: number): number {
	let count = 0;
	for (let index = from; index < to; index++) if (!isSeparatorLike(text.charCodeAt(index))) count++;
	return count;
}

/** Whether a line starts at `position` right after a blank line (spaces and tabs only). */
function isBlockStart(text: string, position: number): boolean {
	if (position <= 0 || position >= text.length || text.charCodeAt(position - 1) !== 10) return false;
	let index = position - 2;
	if (index >= 0 && text.charCodeAt(index) === 13) index--;
	for (; index >= 0; index--) {
		const code = text.charCodeAt(index);
		if (code === 10) return true;
		if (code !== 32 && code !== 9) return false;
	}
	return true;
}

/**
 * The nearest block start before `position` with at least `guard` non-separator characters
 * between them that `accept` takes, or 0.
 */
function blockStartBefore(text: string, position: number, guard: number, accept: (position: number) => boolean): number {
	let count = 0;
	let lineStart = position;
	while (lineStart > 0) {
		const previous = lineStart >= 2 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
		count += nonSeparators(text, previous, lineStart);
		lineStart = previous;
		if (count >= guard && isBlockStart(text, lineStart) && accept(lineStart)) return lineStart;
	}
	return 0;
}

/**
 * The nearest block start after `position` with at least `guard` non-separator characters
 * between them that `accept` takes, or the text's end.
 */
function blockStartAfter(text: string, position: number, guard: number, accept: (position: number) => boolean): number {
	let count = 0;
	let lineStart = position;
	while (lineStart < text.length) {
		const newline = text.indexOf('\n', lineStart);
		const next = newline === -1 ? text.length : newline + 1;
		count += nonSeparators(text, lineStart, next);
		lineStart = next;
		if (count >= guard && isBlockStart(text, next) && accept(next)) return next;
	}
	return text.length;
}
