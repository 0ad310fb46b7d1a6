// The Markdown structure the terminology checks need: where they must not look (front matter,
// code, HTML, link destinations, ...), where the headings are, and the front matter's data.
//
// The parsing itself is micromark's, with GFM and YAML front matter. Chunks are read from its
// events, with one parser made once; the mdast tree (mdast-util-from-markdown) is the reference
// they are tested against, and is read instead for the rare chunk whose definition labels it
// would decode. The parse is not one call over the whole document, though: micromark copies its
// whole event list each time a container (a block quote or a list) closes, so its time grows with
// the square of the document's length, and 80 KB of short block quotes takes minutes. The text is
// therefore cut into segments, each starting where Markdown's block state is known to be fresh (a
// line at column 0 after a blank line), and parsed in chunks of a few segments. The few constructs that
// can run on past such a point (fenced code, some HTML blocks) are detected after parsing, and the
// chunk is grown until they fit. Segments holding no character that could start an excluded
// construct or a heading are not parsed at all: plain prose is most of a policy draft, it has
// nothing to report, and micromark needs one or two microseconds per character.
//
// Where a chunk ends depends on the text there only (an anchor: a segment whose first line hashes
// to one value in four), never on where the chunk began. After an edit the chunking therefore
// falls back into step with the previous version's at the first anchor past the edit, and
// `MarkdownDocument` re-parses only the chunks the edit touched.
//
// Inside a chunk, most characters are still plain words between the markup, and micromark's
// time goes by characters. Long runs of plain words, away from any markup and from the ends of
// their line, are cut out of the source it reads (see `cutPlainRuns`), and the offsets of its tree
// are mapped back (`ParsedSource`). A cut starts after a space and ends before a word, so every
// pair of neighbouring characters micromark sees is a pair of the real text: the only context
// its constructs read past their own characters.

import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { parse, postprocess, preprocess } from 'micromark';
import type { Construct, Event, Extension, ParseContext, Token } from 'micromark-util-types';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { findTextChange } from './textChange';
import type { Span } from './types';
import { ownCopy } from './strings';
import { yamlLibrary } from './libraries';

export interface MarkdownStructure {
	/** Sorted, merged, non-overlapping spans where terminology checks must not look. */
	excluded: Span[];
	/** The YAML front matter, when the document starts with one. */
	frontMatter?: {
		/** The whole block, both `---` fences included. */
		span: Span;
		/** The parsed YAML map; `{}` when the YAML does not parse or is not a map. */
		data: Record<string, unknown>;
		/** The `date:` value as a string (a date is written `YYYY-MM-DD`). */
		dateText?: string;
		/** Where the `date:` value stands, inside the quotes when it is quoted. */
		dateSpan?: Span;
	};
	/** Spans of ATX and setext headings (the whole heading, underline included). */
	headings: Span[];
}

/** The front matter of a structure. */
export type FrontMatter = NonNullable<MarkdownStructure['frontMatter']>;

/** A chunk ends at an anchor or, when none comes, once its source is this long: a cap on micromark's quadratic time. */
const chunkLengthLimit = 32_768;

/** About one segment in this many starts with an anchor. */
const anchorSpacing = 4;

/** How much of a segment's first line decides whether it is an anchor. */
const anchorReach = 80;

/**
 * Anything that could start an excluded construct or a heading: code fences and spans (`` ` ``
 * and `~`), HTML and autolinks (`<`), links, images, definitions and footnotes (`[`), ATX and
 * setext headings (`#`, `=`, a line ending in `-`), GFM literal autolinks (`www.`, `://`, `@`)
 * and indented code (a tab or four spaces). It may match more than it needs to, never less:
 * a chunk without a match is skipped unparsed.
 */
const markupTrigger = /[`~<[#=@\t]|www\.|:\/\/| {4}|-[ \t]*(?:[\r\n]|$)/gi;

// Every chunk's source is a document start to micromark, so only the chunk at the document's
// real start may read a `---` block as front matter; elsewhere it is a thematic break.
const documentStartOptions = { extensions: [gfm(), frontmatter(['yaml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] };
const laterChunkOptions = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

/**
 * micromark's parser for each of the two syntaxes, made once: making one combines every
 * construct of CommonMark and GFM into lookup tables, which took longer than parsing a small
 * chunk. The state a parse leaves on it (definitions seen, lazy lines, footnotes) is reset before
 * each use, so that each chunk is parsed as by a parser of its own.
 */
class ReusableParser {
	private parser: ParseContext | undefined;
	private ownKeys: ReadonlySet<string> = new Set();

	/** @param extensions Called once, when the parser is first used. */
	constructor(private readonly extensions: () => Extension[]) {}

	/** micromark's events for `source`, as `fromMarkdown` would compile them. */
	events(source: string): Event[] {
		if (this.parser === undefined) {
			this.parser = parse({ extensions: this.extensions() });
			this.ownKeys = new Set(Object.keys(this.parser));
		}
		const parser = this.parser as ParseContext & Record<string, unknown>;
		for (const key of Object.keys(parser)) if (!this.ownKeys.has(key)) delete parser[key];
		parser.defined = [];
		parser.lazy = {};
		return postprocess(parser.document().write(preprocess()(source, undefined, true)));
	}
}

const documentStartParser = new ReusableParser(() => documentStartOptions.extensions);
const laterChunkParser = new ReusableParser(() => laterChunkOptions.extensions);

/**
 * GFM without its e-mail autolink literal, for a source that holds no `@`, where that construct
 * never matches: it is keyed on every letter and digit, so micromark tries it at the start of
 * every word and reads the word before it fails. The events are the same (adjacent text is
 * merged into one token either way), and the parse of a draft about a tenth shorter.
 */
function withoutEmailAutolinks(extension: Extension): Extension {
	const text: Record<string, Construct[]> = {};
	for (const [code, constructs] of Object.entries(extension.text ?? {})) {
		const kept = (Array.isArray(constructs) ? constructs : [constructs]).filter((construct): construct is Construct => construct !== undefined && construct.name !== 'emailAutolink');
		if (kept.length > 0) text[code] = kept;
	}
	return { ...extension, text };
}

const documentStartParserWithoutEmail = new ReusableParser(() => [withoutEmailAutolinks(gfm()), frontmatter(['yaml'])]);
const laterChunkParserWithoutEmail = new ReusableParser(() => [withoutEmailAutolinks(gfm())]);

/** The parser for a chunk's source (with its prefix). */
function parserFor(parsedText: string, atDocumentStart: boolean): ReusableParser {
	if (parsedText.includes('@')) return atDocumentStart ? documentStartParser : laterChunkParser;
	return atDocumentStart ? documentStartParserWithoutEmail : laterChunkParserWithoutEmail;
}

export interface ReferenceDefinition {
	readonly kind: 'link' | 'footnote';
	/** The normalized label, as micromark matches references against it. */
	readonly identifier: string;
	/** The label as written, so that it can be written again. */
	readonly label: string;
}


/** A stretch of the document that a chunk's source holds. */
interface Piece {
	/** Where the stretch starts: in the document while chunking, relative to the chunk's start once stored. */
	readonly start: number;
	/** Where it ends, likewise; a chunk may grow its last piece. */
	end: number;
	/** Where it starts in the chunk's source. */
	readonly sourceStart: number;
}

export interface CollectedStructure {
	readonly excluded: Span[];
	readonly headings: Span[];
	readonly htmlNodes: Span[];
	frontMatterSpan?: Span;
}

/**
 * A parsed chunk, kept between versions of a document. A chunk is parsed from the concatenation
 * of its pieces: segments with markup, without the plain segments between them. Each segment
 * starts in a fresh block state and ends after a blank line, so a plain segment left out cannot
 * change how its neighbours parse. Offsets inside are relative to `start`, so that moving a chunk
 * after an edit changes `start` and `end` only.
 */
interface Chunk {
	/** Where the chunk's first piece starts in the document. */
	readonly start: number;
	/** The segment boundary where chunking goes on after the chunk. */
	readonly end: number;
	readonly pieces: readonly Piece[];
	readonly source: string;
	/** Whether the chunk starts the document, the one place where `---` opens front matter. */
	readonly atDocumentStart: boolean;
	/** Whether the chunk is the front matter, which is never given other chunks' definitions. */
	readonly isFrontMatter: boolean;
	/** The reference definitions the chunk's own text makes. */
	readonly definitions: readonly ReferenceDefinition[];
	/** Other chunks' definitions written before the source when it was parsed; empty for none. */
	readonly prefix: string;
	/** What the chunk holds, relative to `start`. */
	readonly collected: CollectedStructure;
}

/** What one chunking of a text found, kept to chunk its next version. */
interface Chunking {
	readonly text: string;
	readonly first: number;
	readonly frontMatterBoundary: number;
	readonly chunks: readonly Chunk[];
	/** The definitions that chunks' prefixes were chosen from (see `referencesKey`). */
	readonly referencesKey: string;
}

const emptyStructure = (): MarkdownStructure => ({ excluded: [], headings: [] });

/** Finds the Markdown structure of `text`. Never throws: on any failure it reports nothing. */
export function analyzeMarkdown(text: string): MarkdownStructure {
	return new MarkdownDocument().update(text);
}

/**
 * The same analysis with one parser call over the whole text. It is the reference the chunked
 * analysis is tested against; it takes quadratic time on long documents, so nothing else should
 * call it.
 */
export function analyzeMarkdownWithoutChunks(text: string): MarkdownStructure {
	try {
		const collected = emptyCollection();
		const first = byteOrderMarkLength(text);
		const source = text.slice(first);
		walkParsed(text, parseWhole(source), [{ start: first, end: text.length, sourceStart: 0 }], collected, []);
		return buildStructure(text, collected);
	} catch {
		return emptyStructure();
	}
}

/**
 * What one parse of `text` as a whole gives, without chunks or structure built: read as chunks
 * are (micromark's events, plain runs cut out), or as the reference is (the mdast tree of the
 * whole text). The two readings must agree, and the tests compare them.
 */
export function readMarkdownParse(text: string, reader: 'events' | 'tree'): CollectedStructure & { definitions: ReferenceDefinition[]; topLevelBlocks: TopLevelBlock[]; startsWithFrontMatter: boolean } {
	const parsed = reader === 'tree' ? parseWhole(text) : parseMarkdown(text, true);
	const collected = emptyCollection();
	const definitions: ReferenceDefinition[] = [];
	walkParsed(text, parsed, [{ start: 0, end: text.length, sourceStart: 0 }], collected, definitions);
	const blocks = topLevelBlocks(parsed).map((block) => ({ kind: block.kind, start: parsed.offsets.start(block.start), end: parsed.offsets.end(block.end) }));
	return { ...collected, definitions, topLevelBlocks: blocks, startsWithFrontMatter: startsWithFrontMatter(parsed) };
}

/** What the checks read from a Markdown document's parse: the structure and the HTML comments, where suppressions are written. */
export interface MarkdownAnalysis {
	readonly structure: MarkdownStructure;
	readonly htmlComments: Span[];
}

/** `analyzeMarkdown` and `findHtmlComments` from one parse, as `checkDocument` computes them when given neither. */
export function analyzeMarkdownAndComments(text: string): MarkdownAnalysis {
	const document = new MarkdownDocument();
	const structure = document.update(text);
	return { structure, htmlComments: document.htmlComments() };
}

/**
 * `analyzeMarkdownAndComments` with the front matter located but its YAML not read, and the
 * YAML library not loaded: the Markdown thread starts and ends sooner, and the calling thread
 * reads the YAML (`withFrontMatter`), which it may have done while it waited (`frontMatterReader`).
 */
export interface AnalysisWithoutFrontMatter {
	/** The analysis, but for its structure's `frontMatter`. */
	readonly analysis: MarkdownAnalysis;
	/** Where the front matter stands, when the text starts with one. */
	readonly frontMatterSpan?: Span;
}

export function analyzeMarkdownLeavingFrontMatter(text: string): AnalysisWithoutFrontMatter {
	const document = new MarkdownDocument(false);
	const { frontMatter, ...structure } = document.update(text);
	const analysis: MarkdownAnalysis = { structure, htmlComments: document.htmlComments() };
	return frontMatter ? { analysis, frontMatterSpan: frontMatter.span } : { analysis };
}

/** The analysis `analyzeMarkdownAndComments` gives, from `analyzeMarkdownLeavingFrontMatter`'s and the front matter's YAML, read by `read`. */
export function withFrontMatter(text: string, { analysis, frontMatterSpan }: AnalysisWithoutFrontMatter, read: (span: Span) => FrontMatter = (span) => readFrontMatter(text, span)): MarkdownAnalysis {
	if (!frontMatterSpan) return analysis;
	return { structure: { ...analysis.structure, frontMatter: read(frontMatterSpan) }, htmlComments: analysis.htmlComments };
}

/**
 * The front matter of `text` where a parse finds it, as `analyzeMarkdown` reads it. The block it
 * most likely finds (a `---` line first, to the next `---` line) is read at once, so a caller
 * waiting for the parse elsewhere can have the YAML read meanwhile; any other is read when asked.
 */
export function frontMatterReader(text: string): (span: Span) => FrontMatter {
	const likely = /^---[ \t]*\r?\n(?:[^\n]*\n)*?---[ \t]*(?=\r?\n|$)/.exec(text.slice(0, 65_536));
	const early = likely ? readFrontMatter(text, { start: 0, end: likely[0].length }) : undefined;
	return (span) => (early && span.start === early.span.start && span.end === early.span.end ? early : readFrontMatter(text, span));
}

/**
 * Spans of the HTML comments (`<!-- … -->`) that Markdown reads as HTML, in order. A comment
 * shown inside a code block or a code span is text, not HTML, and is not listed.
 */
export function findHtmlComments(text: string): Span[] {
	const document = new MarkdownDocument();
	document.update(text);
	return document.htmlComments();
}

/**
 * The Markdown structure of one document as it is edited. Each `update` parses only the chunks
 * that the change since the previous text touched, keeps the others (moved by the change's
 * length), and gives exactly what `analyzeMarkdown` gives for the new text.
 */
export class MarkdownDocument {
	private chunking: Chunking | undefined;
	private structure: MarkdownStructure = emptyStructure();
	private htmlNodes: Span[] = [];
	private comments: Span[] | undefined = [];
	/** The last front matter read, so that an edit below it does not parse its YAML again. */
	private frontMatter: { readonly text: string; readonly value: FrontMatter } | undefined;

	/** @param readsFrontMatter False to leave the front matter's YAML unread: its `data` is then `{}`. */
	constructor(private readonly readsFrontMatter = true) {}

	/** The structure of `text`. Never throws: on any failure it reports nothing, like `analyzeMarkdown`. */
	update(text: string): MarkdownStructure {
		if (this.chunking?.text === text) return this.structure;
		this.comments = undefined;
		try {
			this.chunking = chunkText(text, this.chunking);
			const collected = assemble(this.chunking.chunks);
			this.htmlNodes = collected.htmlNodes;
			this.structure = buildStructure(text, collected, (span) => this.readFrontMatter(text, span));
		} catch {
			this.chunking = undefined;
			this.htmlNodes = [];
			this.structure = emptyStructure();
		}
		return this.structure;
	}

	/** The HTML comments of the text last given to `update`, as `findHtmlComments` gives them. */
	htmlComments(): Span[] {
		const text = this.chunking?.text;
		if (text === undefined) return [];
		this.comments ??= commentsIn(text, this.htmlNodes);
		return this.comments;
	}

	private readFrontMatter(text: string, span: Span): FrontMatter {
		if (!this.readsFrontMatter) return { span, data: {} };
		const written = text.slice(span.start, span.end);
		if (this.frontMatter?.text !== written || this.frontMatter.value.span.start !== span.start) this.frontMatter = { text: written, value: readFrontMatter(text, span) };
		return this.frontMatter.value;
	}
}

/** The comments inside the HTML nodes, in document order. */
function commentsIn(text: string, htmlNodes: readonly Span[]): Span[] {
	const comments: Span[] = [];
	for (let htmlIndex = 0; htmlIndex < htmlNodes.length; htmlIndex++) {
		const html = htmlNodes[htmlIndex]!;
		let open = text.indexOf('<!--', html.start);
		while (open !== -1 && open < html.end) {
			const close = text.indexOf('-->', open + 4);
			if (close === -1 || close + 3 > html.end) break;
			comments.push({ start: open, end: close + 3 });
			open = text.indexOf('<!--', close + 3);
		}
	}
	return comments.sort((left, right) => left.start - right.start);
}

function emptyCollection(): CollectedStructure {
	return { excluded: [], headings: [], htmlNodes: [] };
}

/**
 * A parse and the way back from its offsets to the source's: micromark's events, or (for the
 * reference, and for the rare label the events cannot give as the tree would) the mdast tree.
 */
type ParsedSource = { readonly offsets: SourceOffsets } & ({ readonly kind: 'tree'; readonly tree: Root } | { readonly kind: 'events'; readonly events: readonly Event[]; readonly parsedText: string });

/** The whole source, read as it is: the reference `analyzeMarkdownWithoutChunks` gives. */
function parseWhole(source: string): ParsedSource {
	return { kind: 'tree', tree: fromMarkdown(source, documentStartOptions), offsets: new SourceOffsets(0, [], []) };
}

/** A chunk's source, with `prefix` (other chunks' definitions) before it and plain runs cut out. */
function parseMarkdown(source: string, atDocumentStart: boolean, prefix = ''): ParsedSource {
	const cut = cutPlainRuns(source);
	const parsedText = prefix + cut.text;
	const offsets = new SourceOffsets(prefix.length, cut.cutAt, cut.removedThrough);
	const events = parserFor(parsedText, atDocumentStart).events(parsedText);
	if (hasLabelNeedingDecoding(events, parsedText)) return { kind: 'tree', tree: fromMarkdown(parsedText, atDocumentStart ? documentStartOptions : laterChunkOptions), offsets };
	return { kind: 'events', events, parsedText, offsets };
}

/**
 * Where the parser's offsets stand in the source: the parser read a prefix, then the source with
 * cuts. A node that starts where a cut was made starts after the cut; one that ends there ends
 * before it.
 */
class SourceOffsets {
	/**
	 * @param cutAt Where each cut was made, in offsets of the cut text, rising.
	 * @param removedThrough How many characters that cut and the ones before it removed.
	 */
	constructor(private readonly prefixLength: number, private readonly cutAt: readonly number[], private readonly removedThrough: readonly number[]) {}

	/** The source offset of a start, or -1 inside the prefix. */
	start(offset: number): number {
		const cutOffset = offset - this.prefixLength;
		return cutOffset < 0 ? -1 : cutOffset + this.removedBefore(cutOffset, 1);
	}

	/** The source offset of an end, or -1 inside the prefix. */
	end(offset: number): number {
		const cutOffset = offset - this.prefixLength;
		return cutOffset < 0 ? -1 : cutOffset + this.removedBefore(cutOffset, 0);
	}

	/** The characters removed by the cuts before `offset`, and at it when `atOffset` is 1. */
	private removedBefore(offset: number, atOffset: 0 | 1): number {
		let low = 0;
		let high = this.cutAt.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (this.cutAt[middle]! < offset + atOffset) low = middle + 1;
			else high = middle;
		}
		return low === 0 ? 0 : this.removedThrough[low - 1]!;
	}
}

/** Characters that are plain text to micromark wherever a line's middle holds them. */
const plainCharacters = (() => {
	const table = new Uint8Array(128);
	for (const character of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;-') table[character.charCodeAt(0)] = 1;
	return table;
})();

/** How many characters around markup, and at each end of a line, are never cut. */
const cutMargin = 4;

/** Shorter runs are not worth a cut. */
const shortestCut = 16;

/**
 * The source with long runs of plain words cut out, and where the cuts were made. Nothing is cut
 * within `cutMargin` characters of markup (any character but ASCII letters, digits, spaces and `.,;-`)
 * or of a `www.` (which starts a GFM literal autolink); between `[` and `]`, since a reference's
 * label must match its definition's; between `<` and `>`; or in a line's indentation and its
 * first and last characters, which decide what block it is. A cut removes whole words: it starts
 * after a space and ends before a non-blank character. What is left reads the same to micromark,
 * only shorter: whether a construct starts, and where it ends, depends on its own characters and
 * their neighbours, and those are unchanged.
 */
function cutPlainRuns(source: string): { text: string; cutAt: number[]; removedThrough: number[] } {
	const length = source.length;
	const guarded = new Uint8Array(length + 1);
	const guard = (from: number, to: number): void => {
		guarded.fill(1, Math.max(0, from), Math.min(length, to));
	};
	let closingBracket = -2;
	let closingAngle = -2;
	let lineStart = 0;
	let indented = true;
	for (let index = 0; index < length; index++) {
		const code = source.charCodeAt(index);
		if (indented && code !== 32 && code !== 9) {
			guard(lineStart, index + cutMargin);
			indented = false;
		}
		if (code < 128 && plainCharacters[code] === 1) {
			if ((code === 119 || code === 87) && isWww(source, index)) guard(index - cutMargin, index + 4 + cutMargin);
			continue;
		}
		guard(index - cutMargin, index + 1 + cutMargin);
		if (code === 10 || code === 13) {
			guard(index - cutMargin, index);
			lineStart = index + 1;
			indented = true;
		} else if (code === 91) {
			if (closingBracket < index && closingBracket !== -1) closingBracket = unescapedIndexOf(source, ']', index + 1);
			if (closingBracket !== -1) guard(index, closingBracket);
		} else if (code === 60) {
			if (closingAngle < index && closingAngle !== -1) closingAngle = source.indexOf('>', index + 1);
			if (closingAngle !== -1) guard(index, closingAngle);
		}
	}
	guard(length - cutMargin, length);

	const parts: string[] = [];
	const cutAt: number[] = [];
	const removedThrough: number[] = [];
	let kept = 0;
	let removed = 0;
	for (let runStart = 0; runStart < length; runStart++) {
		if (guarded[runStart] === 1) continue;
		let runEnd = runStart;
		while (runEnd < length && guarded[runEnd] === 0) runEnd++;
		// Whole words: from after a space to a space followed by a non-blank character.
		let cutStart = runStart;
		while (cutStart < runEnd && source.charCodeAt(cutStart - 1) !== 32) cutStart++;
		let cutEnd = runEnd;
		while (cutEnd > cutStart && !(source.charCodeAt(cutEnd - 1) === 32 && source.charCodeAt(cutEnd) !== 32 && source.charCodeAt(cutEnd) !== 9)) cutEnd--;
		if (cutEnd - cutStart >= shortestCut) {
			parts.push(source.slice(kept, cutStart));
			cutAt.push(cutStart - removed);
			removed += cutEnd - cutStart;
			removedThrough.push(removed);
			kept = cutEnd;
		}
		runStart = runEnd;
	}
	if (kept === 0) return { text: source, cutAt, removedThrough };
	parts.push(source.slice(kept));
	return { text: parts.join(''), cutAt, removedThrough };
}

/** Whether `www.` stands at `index`, in any case (no character but `W` lower-cases to `w`), read without a copy of the text. */
function isWww(source: string, index: number): boolean {
	const second = source.charCodeAt(index + 1);
	const third = source.charCodeAt(index + 2);
	return (second === 119 || second === 87) && (third === 119 || third === 87) && source.charCodeAt(index + 3) === 46;
}

/** The index of the next `character` not escaped by a backslash, or -1. */
function unescapedIndexOf(source: string, character: string, from: number): number {
	let index = source.indexOf(character, from);
	while (index > 0 && source.charCodeAt(index - 1) === 92) index = source.indexOf(character, index + 1);
	return index;
}

/** micromark drops a leading byte order mark, which would shift every offset by one. */
function byteOrderMarkLength(text: string): number {
	return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/**
 * The chunks of `text`. With the chunking of a previous version, it keeps the chunks that end
 * before the change between the two texts (a chunk is decided by its own text and the anchor
 * after it), chunks on from the last of them, and once it starts a chunk past the change where
 * a previous chunk started (moved by the change's length), takes all previous chunks from there:
 * the chunking from a boundary depends on the text from that boundary's line on, which the
 * change did not touch.
 */
function chunkText(text: string, previous: Chunking | undefined): Chunking {
	const first = byteOrderMarkLength(text);
	const frontMatterBoundary = frontMatterEnd(text, first);
	const chunks: Chunk[] = [];
	const fresh = new Set<Chunk>();
	const add = (chunk: Chunk): void => {
		chunks.push(chunk);
		fresh.add(chunk);
	};
	if (!previous) {
		chunkFrom(text, first, frontMatterBoundary, first, () => true, add);
		return resolveReferences(text, { text, first, frontMatterBoundary, chunks, referencesKey: '' }, fresh, true);
	}

	const change = findTextChange(previous.text, text);
	const old = previous.chunks;
	let kept = 0;
	if (first === previous.first && frontMatterBoundary === previous.frontMatterBoundary) {
		while (kept < old.length && old[kept]!.end + anchorReach <= change.start) kept++;
	}
	chunks.push(...old.slice(0, kept));
	const delta = change.nextEnd - change.previousEnd;
	// A boundary past this line start has its whole previous line after the change.
	const newlineAfter = text.indexOf('\n', change.nextEnd);
	const unchangedFrom = newlineAfter === -1 ? text.length + 1 : newlineAfter + 1;
	let candidate = kept;
	const startsChunk = (start: number): boolean => {
		if (start <= unchangedFrom) return true;
		while (candidate < old.length && old[candidate]!.start + delta < start) candidate++;
		if (candidate === old.length || old[candidate]!.start + delta !== start) return true;
		for (let index = candidate; index < old.length; index++) chunks.push(moved(old[index]!, delta));
		return false;
	};
	chunkFrom(text, first, frontMatterBoundary, kept > 0 ? old[kept - 1]!.end : first, startsChunk, add);
	return resolveReferences(text, { text, first, frontMatterBoundary, chunks, referencesKey: previous.referencesKey }, fresh, false);
}

function moved(chunk: Chunk, delta: number): Chunk {
	return delta === 0 ? chunk : { ...chunk, start: chunk.start + delta, end: chunk.end + delta };
}

/**
 * The segment boundaries from a known one on, found as the chunking asks for them: the line
 * starts at column 0 with a non-blank character right after a blank line, the line after the
 * front matter, and the text's end. Nothing before such a line can continue into it (no
 * paragraph, list item, block quote, table or indented code), except a fenced code block or an
 * HTML block, which `findPieceEndingInsideOpenBlock` catches after parsing. Nothing splits the
 * front matter.
 */
class Boundaries {
	private readonly positions: number[];
	private lineStart: number;
	private previousLineBlank = false;
	private done = false;
	/** The next line feed and carriage return at or after `lineStart` (the text's length when none), found by the string's own search. */
	private nextLineFeed = -1;
	private nextCarriageReturn = -1;

	/** From `from`, a boundary: the document's first offset (`first`) or where a chunk ended. */
	constructor(private readonly text: string, first: number, frontMatterBoundary: number, from: number) {
		this.positions = [from];
		if (from === first && frontMatterBoundary > first && frontMatterBoundary < text.length) this.positions.push(frontMatterBoundary);
		this.lineStart = Math.max(from, frontMatterBoundary);
	}

	/** The boundary at `index`, or undefined past the text's end. */
	at(index: number): number | undefined {
		while (index >= this.positions.length && !this.done) this.scanLine();
		return this.positions[index];
	}

	/** The index of a boundary already found. */
	indexOf(position: number): number {
		let low = 0;
		let high = this.positions.length - 1;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (this.positions[middle]! < position) low = middle + 1;
			else high = middle;
		}
		return low;
	}

	/** Reads one more line, adding it when it is a boundary, and the text's end after the last line. */
	private scanLine(): void {
		const text = this.text;
		if (this.lineStart >= text.length) {
			this.positions.push(text.length);
			this.done = true;
			return;
		}
		// The line's end found by `indexOf` rather than by reading each character: this scan goes
		// over the whole document, mostly before V8 optimizes it.
		if (this.nextLineFeed < this.lineStart) this.nextLineFeed = indexOrLength(text, '\n', this.lineStart);
		if (this.nextCarriageReturn < this.lineStart) this.nextCarriageReturn = indexOrLength(text, '\r', this.lineStart);
		const lineEnd = Math.min(this.nextLineFeed, this.nextCarriageReturn);
		let firstNonBlank = this.lineStart;
		while (firstNonBlank < lineEnd && (text.charCodeAt(firstNonBlank) === 32 || text.charCodeAt(firstNonBlank) === 9)) firstNonBlank++;
		const blank = firstNonBlank === lineEnd;
		if (this.previousLineBlank && !blank) {
			const code = text.charCodeAt(this.lineStart);
			if (code !== 32 && code !== 9) this.positions.push(this.lineStart);
		}
		this.previousLineBlank = blank;
		this.lineStart = lineEnd >= text.length ? text.length : lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
	}
}

/** The index of `character` in `text` from `from` on, or the text's length. */
function indexOrLength(text: string, character: string, from: number): number {
	const index = text.indexOf(character, from);
	return index === -1 ? text.length : index;
}

/**
 * Whether a chunk ends before the segment at `position`: at an anchor, chosen by a hash of the
 * segment's first line so that it does not depend on where the chunk began, or at the length cap.
 */
function endsChunk(text: string, position: number, sourceLength: number): boolean {
	if (sourceLength >= chunkLengthLimit) return true;
	let hash = 0x811c9dc5;
	const end = Math.min(text.length, position + anchorReach);
	for (let index = position; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code === 10 || code === 13) break;
		hash = Math.imul(hash ^ code, 0x01000193);
	}
	hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
	hash ^= hash >>> 13;
	return (hash >>> 0) % anchorSpacing === 0;
}

/**
 * Chunks the text from the boundary `from`, passing each chunk to `add`. Before each chunk,
 * `startsChunk` is asked whether to go on from its start; chunking stops when it says no.
 */
function chunkFrom(text: string, first: number, frontMatterBoundary: number, from: number, startsChunk: (start: number) => boolean, add: (chunk: Chunk) => void): void {
	const boundaries = new Boundaries(text, first, frontMatterBoundary, from);
	// The next markup trigger at or after an offset, remembered so that the scan stays linear.
	// Queries mostly move forward; a chunk that regrows moves them back a little.
	let triggerSearchedFrom = Number.POSITIVE_INFINITY;
	let triggerAt = Number.POSITIVE_INFINITY;
	const nextTriggerAt = (offset: number): number => {
		if (offset < triggerSearchedFrom || triggerAt < offset) {
			markupTrigger.lastIndex = offset;
			const match = markupTrigger.exec(text);
			triggerSearchedFrom = offset;
			triggerAt = match ? match.index : Number.POSITIVE_INFINITY;
		}
		return triggerAt;
	};
	const hasSegment = (index: number): boolean => boundaries.at(index + 1) !== undefined;
	const isPlainSegment = (index: number): boolean => nextTriggerAt(boundaries.at(index)!) >= boundaries.at(index + 1)!;

	let segment = 0;
	while (hasSegment(segment)) {
		if (isPlainSegment(segment)) {
			segment++;
			continue;
		}
		const chunkStart = boundaries.at(segment)!;
		if (!startsChunk(chunkStart)) return;
		// The front matter is a chunk of its own, so that definitions can be written before any other chunk.
		const isolated = chunkStart === first && frontMatterBoundary > first;
		const pieces: Piece[] = [];
		let sourceLength = 0;
		do {
			if (!isPlainSegment(segment)) {
				const segmentStart = boundaries.at(segment)!;
				const segmentEnd = boundaries.at(segment + 1)!;
				const lastPiece = pieces[pieces.length - 1];
				if (lastPiece !== undefined && lastPiece.end === segmentStart) lastPiece.end = segmentEnd;
				else pieces.push({ start: segmentStart, end: segmentEnd, sourceStart: sourceLength });
				sourceLength += segmentEnd - segmentStart;
			}
			segment++;
		} while (!isolated && hasSegment(segment) && !endsChunk(text, boundaries.at(segment)!, sourceLength));

		for (;;) {
			const source = pieces.map((piece) => text.slice(piece.start, piece.end)).join('');
			const parsed = parseMarkdown(source, chunkStart === first);
			const open = findPieceEndingInsideOpenBlock(text, parsed, source, pieces);
			if (open === undefined) {
				add(storeChunk(text, pieces, source, parsed, chunkStart === first, boundaries.at(segment)!));
				break;
			}
			// That piece was cut inside a fenced code block or an HTML block, which blank lines do
			// not close: grow it over the document's following text (plain or not) and leave the
			// pieces after it to the next chunk. Doubling keeps the total work of regrowing linear.
			const piece = pieces[open.pieceIndex]!;
			pieces.length = open.pieceIndex + 1;
			const wantedEnd = Math.max(piece.start + 2 * (piece.end - piece.start), likelyBlockEnd(text, source, open.block, open.blockStart, piece));
			let boundary = boundaries.indexOf(piece.end);
			while (hasSegment(boundary) && boundaries.at(boundary)! < wantedEnd) boundary++;
			piece.end = boundaries.at(boundary)!;
			segment = boundary;
		}
	}
}

/** A chunk as stored: walked for its definitions and structure, offsets made relative to its start. */
function storeChunk(text: string, pieces: readonly Piece[], source: string, parsed: ParsedSource, atDocumentStart: boolean, end: number): Chunk {
	const start = pieces[0]!.start;
	const collected = emptyCollection();
	const definitions: ReferenceDefinition[] = [];
	walkParsed(text, parsed, pieces, collected, definitions);
	return {
		start,
		end,
		pieces: pieces.map((piece) => ({ start: piece.start - start, end: piece.end - start, sourceStart: piece.sourceStart })),
		// Kept while edits elsewhere reuse the chunk: not a view into this version's whole text.
		source: ownCopy(source),
		atDocumentStart,
		isFrontMatter: startsWithFrontMatter(parsed),
		definitions,
		prefix: '',
		collected: relativeTo(collected, start),
	};
}

function relativeTo(collected: CollectedStructure, start: number): CollectedStructure {
	const move = (span: Span): Span => ({ start: span.start - start, end: span.end - start });
	return {
		excluded: collected.excluded.map(move),
		headings: collected.headings.map(move),
		htmlNodes: collected.htmlNodes.map(move),
		...(collected.frontMatterSpan && { frontMatterSpan: move(collected.frontMatterSpan) }),
	};
}

/** Every chunk's structure, in the document's offsets. */
function assemble(chunks: readonly Chunk[]): CollectedStructure {
	const collected = emptyCollection();
	for (let chunkIndex = 0; chunkIndex < chunks.length; chunkIndex++) {
		const chunk = chunks[chunkIndex]!;
		const start = chunk.start;
		for (let spanIndex = 0; spanIndex < chunk.collected.excluded.length; spanIndex++) {
			const span = chunk.collected.excluded[spanIndex]!;
			collected.excluded.push({ start: span.start + start, end: span.end + start });
		}
		for (let spanIndex = 0; spanIndex < chunk.collected.headings.length; spanIndex++) {
			const span = chunk.collected.headings[spanIndex]!;
			collected.headings.push({ start: span.start + start, end: span.end + start });
		}
		for (let spanIndex = 0; spanIndex < chunk.collected.htmlNodes.length; spanIndex++) {
			const span = chunk.collected.htmlNodes[spanIndex]!;
			collected.htmlNodes.push({ start: span.start + start, end: span.end + start });
		}
		const frontMatter = chunk.collected.frontMatterSpan;
		if (frontMatter) collected.frontMatterSpan ??= { start: frontMatter.start + start, end: frontMatter.end + start };
	}
	return collected;
}

/**
 * A reference (`[text][id]`, `![alt][id]`, `[^1]`) is only a reference when its definition
 * exists, and micromark only knows the definitions of the chunk it parses. A chunk that mentions
 * a label defined in another chunk is parsed again with those definitions written before its
 * text, so that it reads as it would in the whole document. (Before, not after: a chunk that
 * ends inside an unclosed code fence would swallow definitions written after it.)
 *
 * Which definitions a chunk borrows depends on its own text and on the document's definitions,
 * which `referencesKey` sums up: when they are the same as in the previous chunking, only the
 * chunks parsed now (`fresh`) are looked at.
 */
function resolveReferences(text: string, chunking: Chunking, fresh: ReadonlySet<Chunk>, all: boolean): Chunking {
	const linkDefinitions = new Map<string, ReferenceDefinition>();
	const footnoteDefinitions = new Map<string, ReferenceDefinition>();
	for (let chunkIndex = 0; chunkIndex < chunking.chunks.length; chunkIndex++) {
		const chunk = chunking.chunks[chunkIndex]!;
		for (let definitionIndex = 0; definitionIndex < chunk.definitions.length; definitionIndex++) {
			const definition = chunk.definitions[definitionIndex]!;
			const definitions = definition.kind === 'link' ? linkDefinitions : footnoteDefinitions;
			// The first definition of a label wins, as in CommonMark.
			if (!definitions.has(definition.identifier)) definitions.set(definition.identifier, definition);
		}
	}
	const borrowing = chunking.chunks.length >= 2 && (linkDefinitions.size > 0 || footnoteDefinitions.size > 0);
	const referencesKey = borrowing ? JSON.stringify([[...linkDefinitions.values()], [...footnoteDefinitions.values()]]) : '';
	const recheckAll = all || referencesKey !== chunking.referencesKey;
	const chunks = chunking.chunks.map((chunk) => {
		if (!recheckAll && !fresh.has(chunk)) return chunk;
		const prefix = borrowing ? borrowedDefinitions(chunk, linkDefinitions, footnoteDefinitions) : '';
		return prefix === chunk.prefix ? chunk : parseWithPrefix(text, chunk, prefix);
	});
	return { ...chunking, chunks, referencesKey };
}

/** The definitions a chunk uses but does not make, written as a prefix for its source; empty for none. */
function borrowedDefinitions(chunk: Chunk, linkDefinitions: ReadonlyMap<string, ReferenceDefinition>, footnoteDefinitions: ReadonlyMap<string, ReferenceDefinition>): string {
	const source = chunk.source;
	// Front matter is only front matter at the very start, so its chunk is never given a prefix.
	if (!source.includes('[') || chunk.isFrontMatter) return '';
	const lowerSource = source.toLowerCase();
	const ownLinks = new Set(chunk.definitions.filter((definition) => definition.kind === 'link').map((definition) => definition.identifier));
	const ownFootnotes = new Set(chunk.definitions.filter((definition) => definition.kind === 'footnote').map((definition) => definition.identifier));
	// A label can only be used where it is written in brackets (a label broken across lines
	// is missed, and then read as plain text as if it had no definition).
	const borrowed: string[] = [];
	for (const [identifier, definition] of linkDefinitions) {
		if (!ownLinks.has(identifier) && lowerSource.includes(`[${identifier}]`)) borrowed.push(`[${definition.label}]: x`);
	}
	for (const [identifier, definition] of footnoteDefinitions) {
		if (!ownFootnotes.has(identifier) && lowerSource.includes(`[^${identifier}]`)) borrowed.push(`[^${definition.label}]: x`);
	}
	if (borrowed.length === 0) return '';
	// Blank lines keep each definition out of the one before it, and a thematic break closes the
	// last one, because an indented first line (the document's own may be) would otherwise
	// continue a footnote definition.
	return `${borrowed.join('\n\n')}\n\n***\n`;
}

/** The chunk parsed again with `prefix` written before its source (or without one, for an empty prefix). */
function parseWithPrefix(text: string, chunk: Chunk, prefix: string): Chunk {
	const parsed = prefix === '' ? parseMarkdown(chunk.source, chunk.atDocumentStart) : parseMarkdown(chunk.source, false, prefix);
	const pieces = chunk.pieces.map((piece) => ({ start: piece.start + chunk.start, end: piece.end + chunk.start, sourceStart: piece.sourceStart }));
	const collected = emptyCollection();
	walkParsed(text, parsed, pieces, collected, []);
	return { ...chunk, prefix, collected: relativeTo(collected, chunk.start) };
}

/**
 * Where the open block at the end of `piece` probably closes in the document, so that a long
 * code listing is parsed once rather than regrown many times: the closing fence of a fenced code
 * block, or the `-->` of a comment. The parse that follows checks the guess; 0 when there is none.
 */
function likelyBlockEnd(text: string, source: string, openBlock: TopLevelBlock, start: number, piece: Piece): number {
	const opening = /^ {0,3}(`{3,}|~{3,})/.exec(source.slice(start, start + 64));
	if (openBlock.kind === 'code' && opening) {
		const fence = opening[1];
		const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'gm');
		closing.lastIndex = piece.end;
		const match = closing.exec(text);
		return match ? match.index + match[0].length : text.length;
	}
	if (openBlock.kind === 'html' && source.startsWith('<!--', start)) {
		const close = text.indexOf('-->', piece.end);
		return close === -1 ? text.length : close + 3;
	}
	return 0;
}


/**
 * Where the line after the closing fence of a front matter block that opens the text starts
 * (a superset of what micromark accepts), or `first` when there is none.
 */
function frontMatterEnd(text: string, first: number): number {
	const opening = /^---[ \t]*(?:\r\n|\n|\r)/y;
	opening.lastIndex = first;
	if (!opening.test(text)) return first;
	const closing = /(?:\r\n|\n|\r)---[ \t]*(?:\r\n|\n|\r|$)/g;
	closing.lastIndex = opening.lastIndex - 1;
	const match = closing.exec(text);
	return match ? match.index + match[0].length : first;
}


/**
 * The first piece whose text ends inside a fenced code block or an HTML block: a top-level one
 * that starts in the piece and runs past the piece's last non-blank line. In the document it
 * would go on into the text after the piece.
 */
function findPieceEndingInsideOpenBlock(text: string, parsed: ParsedSource, source: string, pieces: readonly Piece[]): { pieceIndex: number; block: TopLevelBlock; blockStart: number } | undefined {
	for (const block of topLevelBlocks(parsed)) {
		const start = parsed.offsets.start(block.start);
		const end = parsed.offsets.end(block.end);
		const index = pieceIndex(pieces, start);
		const piece = pieces[index];
		// Nothing follows the document's last piece, so a block open there is open in the document too.
		if (piece.end === text.length) continue;
		let contentEnd = piece.sourceStart + (piece.end - piece.start);
		while (contentEnd > piece.sourceStart && ' \t\r\n'.includes(source[contentEnd - 1])) contentEnd--;
		while (contentEnd < source.length && source[contentEnd] !== '\r' && source[contentEnd] !== '\n') contentEnd++;
		if (end > contentEnd) return { pieceIndex: index, block, blockStart: start };
	}
	return undefined;
}

/** A code or HTML block at the top level of a parse, in the parser's offsets. */
export interface TopLevelBlock {
	readonly kind: 'code' | 'html';
	readonly start: number;
	readonly end: number;
}

/** The code and HTML blocks at the top level of a parse (not in a list or a quote), in order. */
function topLevelBlocks(parsed: ParsedSource): TopLevelBlock[] {
	const blocks: TopLevelBlock[] = [];
	if (parsed.kind === 'tree') {
		for (const node of parsed.tree.children) {
			if (node.type !== 'code' && node.type !== 'html') continue;
			if (node.position?.start.offset === undefined || node.position.end.offset === undefined) continue;
			blocks.push({ kind: node.type, start: node.position.start.offset, end: node.position.end.offset });
		}
		return blocks;
	}
	let depth = 0;
	// Indexed, not destructured: a loop over tens of thousands of events runs mostly before V8
	// optimizes it, and destructuring an event then goes through the iterator protocol.
	const events = parsed.events;
	for (let index = 0; index < events.length; index++) {
		const event = events[index]!;
		if (event[0] === 'exit') {
			depth--;
			continue;
		}
		const token = event[1];
		if (depth === 0 && (token.type === 'codeFenced' || token.type === 'codeIndented' || token.type === 'htmlFlow')) blocks.push({ kind: token.type === 'htmlFlow' ? 'html' : 'code', start: token.start.offset, end: token.end.offset });
		depth++;
	}
	return blocks;
}

/** Whether a parse starts with front matter (its first node, in the tree). */
function startsWithFrontMatter(parsed: ParsedSource): boolean {
	return parsed.kind === 'tree' ? parsed.tree.children[0]?.type === 'yaml' : (parsed.events[0]?.[1].type as string | undefined) === 'yaml';
}

/** The piece that holds a source offset. */
function pieceIndex(pieces: readonly Piece[], sourceOffset: number): number {
	let low = 0;
	let high = pieces.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (pieces[middle].sourceStart <= sourceOffset) low = middle;
		else high = middle - 1;
	}
	return low;
}


/** Records what the checks need from a chunk's parse, in offsets of the document. */
function walkParsed(text: string, parsed: ParsedSource, pieces: readonly Piece[], collected: CollectedStructure, definitions: ReferenceDefinition[]): void {
	const spanOf = documentSpans(parsed.offsets, pieces);
	if (parsed.kind === 'tree') walkTree(text, parsed.tree, parsed.offsets, spanOf, collected, definitions);
	else walkEvents(text, parsed.events, parsed.parsedText, parsed.offsets, spanOf, collected, definitions);
}

/**
 * The document span of a node or token, from its start and end in the parser's offsets; undefined
 * for one in the prefix of definitions written before the chunk's source. A recorded node never
 * crosses from one piece into the next (lists and quotes may, but they are not recorded), so its
 * end is placed relative to its start and kept inside its piece.
 */
function documentSpans(offsets: SourceOffsets, pieces: readonly Piece[]): (parserStart: number, parserEnd: number) => Span | undefined {
	return (parserStart, parserEnd) => {
		const start = offsets.start(parserStart);
		const end = offsets.end(parserEnd);
		if (start < 0) return undefined;
		const piece = pieces[pieceIndex(pieces, start)];
		const documentStart = piece.start + (start - piece.sourceStart);
		if (documentStart >= piece.end) return undefined;
		return { start: documentStart, end: Math.min(documentStart + (end - start), piece.end) };
	};
}

/**
 * Walks a chunk's mdast tree (without recursion, since lists and quotes nest arbitrarily deep)
 * and records what the checks need. Nodes in the prefix are skipped.
 */
function walkTree(text: string, tree: Root, offsets: SourceOffsets, documentSpan: ReturnType<typeof documentSpans>, collected: CollectedStructure, definitions: ReferenceDefinition[]): void {
	const stack: Nodes[] = [];
	for (let index = tree.children.length - 1; index >= 0; index--) stack.push(tree.children[index]);
	const spanOf = (node: Nodes): Span | undefined => {
		if (node.position?.start.offset === undefined || node.position.end.offset === undefined) return undefined;
		return documentSpan(node.position.start.offset, node.position.end.offset);
	};
	const pushChildren = (node: Nodes): void => {
		if (!('children' in node)) return;
		const children: readonly Nodes[] = node.children;
		for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
	};

	for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
		const span = spanOf(node);
		if (span === undefined) continue;
		switch (node.type) {
			case 'yaml':
				collected.excluded.push(span);
				collected.frontMatterSpan ??= span;
				break;
			case 'html':
				collected.excluded.push(span);
				collected.htmlNodes.push(span);
				break;
			case 'code':
			case 'inlineCode':
			case 'image':
			case 'imageReference':
			case 'footnoteReference':
				collected.excluded.push(span);
				break;
			case 'definition':
				collected.excluded.push(span);
				definitions.push({ kind: 'link', identifier: node.identifier, label: node.label ?? node.identifier });
				break;
			case 'footnoteDefinition':
				definitions.push({ kind: 'footnote', identifier: node.identifier, label: node.label ?? node.identifier });
				pushChildren(node);
				break;
			case 'link':
			case 'linkReference':
				// An autolink (`<https://…>`) or a GFM literal (`www.x.org`) shows its destination
				// as its text; only a bracketed link has visible text worth checking.
				if (text[span.start] !== '[') collected.excluded.push(span);
				else {
					excludeLinkDestination(text, span, linkChildrenEnd(node, span, offsets), collected);
					pushChildren(node);
				}
				break;
			case 'heading':
				collected.headings.push(span);
				pushChildren(node);
				break;
			default:
				pushChildren(node);
		}
	}
}

/**
 * The tokens whose mdast nodes are recorded whole, their insides unread: micromark nests in its
 * events every token the tree would hold as the node's children (or not hold at all, like an
 * image's alt text).
 */
const wholeTokens: ReadonlyMap<string, 'excluded' | 'html' | 'yaml' | 'definition'> = new Map([
	['yaml', 'yaml'],
	['htmlFlow', 'html'],
	['htmlText', 'html'],
	['codeFenced', 'excluded'],
	['codeIndented', 'excluded'],
	['codeText', 'excluded'],
	['image', 'excluded'],
	['gfmFootnoteCall', 'excluded'],
	['definition', 'definition'],
] as const);

/**
 * The same walk as `walkTree`, over micromark's events instead of the tree compiled from them:
 * a token's enter event stands where its node would be met in the tree, in the same order, and
 * the node's children are the tokens between its enter and exit. The tree's extra work (text
 * values, list spreads, the GFM literal links it adds without positions) changes nothing
 * recorded here; `test/unit/markdown.test.ts` compares the two walks.
 */
function walkEvents(text: string, events: readonly Event[], parsedText: string, offsets: SourceOffsets, documentSpan: ReturnType<typeof documentSpans>, collected: CollectedStructure, definitions: ReferenceDefinition[]): void {
	for (let index = 0; index < events.length; index++) {
		const event = events[index]!;
		if (event[0] === 'exit') continue;
		const token = event[1];
		const type = token.type as string;
		const whole = wholeTokens.get(type);
		if (whole !== undefined) {
			const span = documentSpan(token.start.offset, token.end.offset);
			if (span !== undefined) {
				collected.excluded.push(span);
				if (whole === 'yaml') collected.frontMatterSpan ??= span;
				else if (whole === 'html') collected.htmlNodes.push(span);
				else if (whole === 'definition') definitions.push(labelOf('link', events, index, 'definitionLabelString', parsedText));
			}
			index = exitOf(events, index);
			continue;
		}
		switch (type) {
			case 'gfmFootnoteDefinition':
			case 'link':
			case 'autolink':
			case 'literalAutolink':
			case 'atxHeading':
			case 'setextHeading': {
				const span = documentSpan(token.start.offset, token.end.offset);
				// The tree skips a node it cannot place, and its children with it.
				if (span === undefined) {
					index = exitOf(events, index);
					break;
				}
				if (type === 'gfmFootnoteDefinition') definitions.push(labelOf('footnote', events, index, 'gfmFootnoteDefinitionLabelString', parsedText));
				else if (type === 'atxHeading' || type === 'setextHeading') collected.headings.push(span);
				else if (text[span.start] !== '[') {
					collected.excluded.push(span);
					index = exitOf(events, index);
				} else excludeLinkDestination(text, span, linkLabelEnd(events, index, offsets, span), collected);
				break;
			}
		}
	}
}

/** The index of the exit event of the token entered at `enterIndex`. */
function exitOf(events: readonly Event[], enterIndex: number): number {
	const token = events[enterIndex]![1];
	let index = enterIndex + 1;
	while (index < events.length && events[index]![1] !== token) index++;
	return index;
}

/** A definition's label as the tree gives it, from the first `labelType` token inside the token entered at `enterIndex`. */
function labelOf(kind: ReferenceDefinition['kind'], events: readonly Event[], enterIndex: number, labelType: string, parsedText: string): ReferenceDefinition {
	const end = exitOf(events, enterIndex);
	for (let index = enterIndex + 1; index < end; index++) {
		const token = events[index]![1];
		if (token.type === labelType) {
			const label = parsedText.slice(token.start.offset, token.end.offset);
			return { kind, identifier: normalizeIdentifier(label), label };
		}
	}
	return { kind, identifier: '', label: '' };
}

/** Whether a definition's label holds what the tree would decode (an escape, a character reference, a NUL): such a chunk is read from the tree. */
function hasLabelNeedingDecoding(events: readonly Event[], parsedText: string): boolean {
	for (let index = 0; index < events.length; index++) {
		const event = events[index]!;
		if (event[0] !== 'enter') continue;
		const token = event[1];
		if ((token.type === 'definitionLabelString' || token.type === 'gfmFootnoteDefinitionLabelString') && /[\\&\0]/.test(parsedText.slice(token.start.offset, token.end.offset))) return true;
	}
	return false;
}

/** A label as micromark matches references against it (micromark-util-normalize-identifier), in lower case as mdast keeps it. */
function normalizeIdentifier(label: string): string {
	return label.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '').toLowerCase().toUpperCase().toLowerCase();
}

/**
 * Where a bracketed link's text ends in the document, as `linkChildrenEnd` finds it in the tree:
 * the end of the text inside its first brackets, or just after the `[` when they hold nothing.
 * The tree's last child may end a little earlier, before trailing blanks, never before a `]`.
 */
function linkLabelEnd(events: readonly Event[], enterIndex: number, offsets: SourceOffsets, span: Span): number {
	const link = events[enterIndex]![1];
	const label = events[enterIndex + 1]?.[1];
	if (label === undefined || label.type !== 'label') return span.start + 1;
	for (let index = enterIndex + 2; index < events.length && events[index]![1] !== label; index++) {
		const token: Token = events[index]![1];
		if (token.type === 'labelText') return span.start + (offsets.end(token.end.offset) - offsets.start(link.start.offset));
	}
	return span.start + 1;
}

/** Excludes a bracketed link's destination or reference: from the `]` that closes its text to its end. */
function excludeLinkDestination(text: string, span: Span, childrenEnd: number, collected: CollectedStructure): void {
	const bracket = text.indexOf(']', childrenEnd);
	const textEnd = bracket === -1 || bracket >= span.end ? span.end : bracket;
	if (span.end - textEnd > 1) collected.excluded.push({ start: textEnd, end: span.end });
}

/** Where the text of a bracketed link's last child ends in the document (just after the `[` when it has none). */
function linkChildrenEnd(node: Nodes, span: Span, offsets: SourceOffsets): number {
	let childrenEnd = span.start + 1;
	const nodeStart = node.position?.start.offset;
	if ('children' in node && node.children.length > 0 && nodeStart !== undefined) {
		const lastChildEnd = node.children[node.children.length - 1].position?.end.offset;
		if (lastChildEnd !== undefined) childrenEnd = span.start + (offsets.end(lastChildEnd) - offsets.start(nodeStart));
	}
	return childrenEnd;
}

function buildStructure(text: string, collected: CollectedStructure, frontMatterOf = (span: Span) => readFrontMatter(text, span)): MarkdownStructure {
	const structure: MarkdownStructure = {
		excluded: mergeSpans(collected.excluded),
		headings: [...collected.headings].sort((left, right) => left.start - right.start),
	};
	if (collected.frontMatterSpan) structure.frontMatter = frontMatterOf(collected.frontMatterSpan);
	return structure;
}

function mergeSpans(spans: readonly Span[]): Span[] {
	const sorted = [...spans].sort((left, right) => left.start - right.start || left.end - right.end);
	const merged: Span[] = [];
	for (let spanIndex = 0; spanIndex < sorted.length; spanIndex++) {
		const span = sorted[spanIndex]!;
		const previous = merged[merged.length - 1];
		if (previous !== undefined && span.start <= previous.end) {
			if (span.end > previous.end) merged[merged.length - 1] = { start: previous.start, end: span.end };
		} else merged.push(span);
	}
	return merged;
}

/**
 * Parses the YAML between the fences. The YAML is read from the original text, not from the
 * node's value, so that the date's offsets point into the document even with CRLF line ends.
 */
function readFrontMatter(text: string, span: Span): FrontMatter {
	const frontMatter: FrontMatter = { span, data: {} };
	let contentStart = span.start;
	while (contentStart < span.end && text[contentStart] !== '\n' && text[contentStart] !== '\r') contentStart++;
	contentStart += text.startsWith('\r\n', contentStart) ? 2 : 1;
	const closingLineStart = Math.max(text.lastIndexOf('\n', span.end - 1), text.lastIndexOf('\r', span.end - 1)) + 1;
	if (closingLineStart <= contentStart) return frontMatter;

	try {
		// Loaded when first needed: the Markdown thread never reads YAML, and starts sooner without the library.
		const { isMap, isScalar, parseDocument, Scalar } = yamlLibrary();
		// The default options use YAML 1.2's core schema, which keeps `2024-01-15` a string.
		const document = parseDocument(text.slice(contentStart, closingLineStart));
		if (document.errors.length > 0 || !isMap(document.contents)) return frontMatter;
		const data: unknown = document.toJS();
		if (typeof data !== 'object' || data === null || Array.isArray(data)) return frontMatter;
		frontMatter.data = data as Record<string, unknown>;

		const dateNode = document.contents.get('date', true);
		if (!isScalar(dateNode) || !dateNode.range) return frontMatter;
		const dateText = scalarText(dateNode.value);
		if (dateText === undefined) return frontMatter;
		frontMatter.dateText = dateText;
		const quoted = dateNode.type === Scalar.QUOTE_DOUBLE || dateNode.type === Scalar.QUOTE_SINGLE;
		frontMatter.dateSpan = {
			start: contentStart + dateNode.range[0] + (quoted ? 1 : 0),
			end: contentStart + dateNode.range[1] - (quoted ? 1 : 0),
		};
	} catch {
		// Pathological YAML (an alias bomb, say) must not take the whole analysis down.
		frontMatter.data = {};
		delete frontMatter.dateText;
		delete frontMatter.dateSpan;
	}
	return frontMatter;
}

function scalarText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
	return undefined;
}
