// The Markdown structure the terminology checks need: where they must not look (front matter,
// code, HTML, link destinations, ...), where the headings are, and the front matter's data.
//
// The parsing itself is micromark's, through mdast-util-from-markdown with GFM and YAML front
// matter. It is not one call over the whole document, though: micromark copies its whole event
// list each time a container (a block quote or a list) closes, so its time grows with the square
// of the document's length, and 80 KB of short block quotes takes minutes. The text is therefore
// cut into segments, each starting where Markdown's block state is known to be fresh (a line at
// column 0 after a blank line), and parsed in chunks of a few kilobytes of segments. The few
// constructs that can run on past such a point (fenced code, some HTML blocks) are detected
// after parsing, and the chunk is grown until they fit. Segments holding no character that could
// start an excluded construct or a heading are not parsed at all: plain prose is most of a policy
// draft, it has nothing to report, and micromark needs one or two microseconds per character.

import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
import type { Span } from './types';

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

/** Chunks grow past this length only to reach the next point where a chunk may end. */
const chunkTargetLength = 4096;

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

interface ReferenceDefinition {
	readonly kind: 'link' | 'footnote';
	/** The normalized label, as micromark matches references against it. */
	readonly identifier: string;
	/** The label as written, so that it can be written again. */
	readonly label: string;
}

/** A stretch of the document that a chunk's source holds. */
interface Piece {
	/** Where the stretch starts in the document. */
	readonly start: number;
	/** Where it ends in the document; a chunk may grow its last piece. */
	end: number;
	/** Where it starts in the chunk's source. */
	readonly sourceStart: number;
}

/**
 * A chunk is parsed from the concatenation of its pieces: segments with markup, without the
 * plain segments between them. Each segment starts in a fresh block state and ends after a blank
 * line, so a plain segment left out cannot change how its neighbours parse.
 */
interface ParsedChunk {
	readonly pieces: Piece[];
	readonly source: string;
	tree: Root;
	/** Length of the definitions written before the source when it was parsed again. */
	prefixLength: number;
	readonly definitions: ReferenceDefinition[];
}

interface CollectedStructure {
	readonly excluded: Span[];
	readonly headings: Span[];
	readonly htmlNodes: Span[];
	frontMatterSpan?: Span;
}

/** Finds the Markdown structure of `text`. Never throws: on any failure it reports nothing. */
export function analyzeMarkdown(text: string): MarkdownStructure {
	try {
		return buildStructure(text, collectChunked(text));
	} catch {
		return { excluded: [], headings: [] };
	}
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
		const chunk: ParsedChunk = { pieces: [{ start: first, end: text.length, sourceStart: 0 }], source, tree: parseMarkdown(source, true), prefixLength: 0, definitions: [] };
		walkTree(text, chunk, collected, []);
		return buildStructure(text, collected);
	} catch {
		return { excluded: [], headings: [] };
	}
}

/**
 * Spans of the HTML comments (`<!-- … -->`) that Markdown reads as HTML, in order. A comment
 * shown inside a code block or a code span is text, not HTML, and is not listed.
 */
export function findHtmlComments(text: string): Span[] {
	try {
		const comments: Span[] = [];
		for (const html of collectChunked(text).htmlNodes) {
			let open = text.indexOf('<!--', html.start);
			while (open !== -1 && open < html.end) {
				const close = text.indexOf('-->', open + 4);
				if (close === -1 || close + 3 > html.end) break;
				comments.push({ start: open, end: close + 3 });
				open = text.indexOf('<!--', close + 3);
			}
		}
		return comments.sort((left, right) => left.start - right.start);
	} catch {
		return [];
	}
}

function emptyCollection(): CollectedStructure {
	return { excluded: [], headings: [], htmlNodes: [] };
}

function parseMarkdown(source: string, atDocumentStart: boolean): Root {
	return fromMarkdown(source, atDocumentStart ? documentStartOptions : laterChunkOptions);
}

/** micromark drops a leading byte order mark, which would shift every offset by one. */
function byteOrderMarkLength(text: string): number {
	return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

function collectChunked(text: string): CollectedStructure {
	const first = byteOrderMarkLength(text);
	const frontMatterBoundary = frontMatterEnd(text, first);
	const boundaries = findChunkBoundaries(text, first, frontMatterBoundary);
	const chunks: ParsedChunk[] = [];

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
	const isPlainSegment = (index: number): boolean => nextTriggerAt(boundaries[index]) >= boundaries[index + 1];
	const lastSegment = boundaries.length - 2;

	let segment = 0;
	while (segment <= lastSegment) {
		if (isPlainSegment(segment)) {
			segment++;
			continue;
		}
		// The front matter is a chunk of its own, so that definitions can be written before any other chunk.
		const isolated = boundaries[segment] === first && frontMatterBoundary > first;
		const pieces: Piece[] = [];
		let sourceLength = 0;
		do {
			if (!isPlainSegment(segment)) {
				const segmentStart = boundaries[segment];
				const segmentEnd = boundaries[segment + 1];
				const lastPiece = pieces[pieces.length - 1];
				if (lastPiece !== undefined && lastPiece.end === segmentStart) lastPiece.end = segmentEnd;
				else pieces.push({ start: segmentStart, end: segmentEnd, sourceStart: sourceLength });
				sourceLength += segmentEnd - segmentStart;
			}
			segment++;
		} while (!isolated && segment <= lastSegment && sourceLength < chunkTargetLength);

		for (;;) {
			const source = pieces.map((piece) => text.slice(piece.start, piece.end)).join('');
			const tree = parseMarkdown(source, pieces[0].start === first);
			const open = findPieceEndingInsideOpenBlock(text, tree, source, pieces);
			if (open === undefined) {
				chunks.push({ pieces, source, tree, prefixLength: 0, definitions: [] });
				break;
			}
			// That piece was cut inside a fenced code block or an HTML block, which blank lines do
			// not close: grow it over the document's following text (plain or not) and leave the
			// pieces after it to the next chunk. Doubling keeps the total work of regrowing linear.
			const piece = pieces[open.pieceIndex];
			pieces.length = open.pieceIndex + 1;
			const wantedEnd = Math.max(piece.start + 2 * (piece.end - piece.start), likelyBlockEnd(text, source, open.block, piece));
			let boundary = boundaryIndex(boundaries, piece.end);
			while (boundary < boundaries.length - 1 && boundaries[boundary] < wantedEnd) boundary++;
			piece.end = boundaries[boundary];
			segment = boundary;
		}
	}

	const collected = emptyCollection();
	for (const chunk of chunks) walkTree(text, chunk, emptyCollection(), chunk.definitions);
	resolveReferencesAcrossChunks(chunks);
	for (const chunk of chunks) walkTree(text, chunk, collected, []);
	return collected;
}

/**
 * Where the open block at the end of `piece` probably closes in the document, so that a long
 * code listing is parsed once rather than regrown many times: the closing fence of a fenced code
 * block, or the `-->` of a comment. The parse that follows checks the guess; 0 when there is none.
 */
function likelyBlockEnd(text: string, source: string, openBlock: Nodes, piece: Piece): number {
	const start = openBlock.position?.start.offset;
	if (start === undefined) return 0;
	const opening = /^ {0,3}(`{3,}|~{3,})/.exec(source.slice(start, start + 64));
	if (openBlock.type === 'code' && opening) {
		const fence = opening[1];
		const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'gm');
		closing.lastIndex = piece.end;
		const match = closing.exec(text);
		return match ? match.index + match[0].length : text.length;
	}
	if (openBlock.type === 'html' && source.startsWith('<!--', start)) {
		const close = text.indexOf('-->', piece.end);
		return close === -1 ? text.length : close + 3;
	}
	return 0;
}

/** The index of `offset` in the sorted `boundaries`, where it is known to be. */
function boundaryIndex(boundaries: readonly number[], offset: number): number {
	let low = 0;
	let high = boundaries.length - 1;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (boundaries[middle] < offset) low = middle + 1;
		else high = middle;
	}
	return low;
}

/**
 * A reference (`[text][id]`, `![alt][id]`, `[^1]`) is only a reference when its definition
 * exists, and micromark only knows the definitions of the chunk it parses. A chunk that mentions
 * a label defined in another chunk is parsed again with those definitions written before its
 * text, so that it reads as it would in the whole document. (Before, not after: a chunk that
 * ends inside an unclosed code fence would swallow definitions written after it.)
 */
function resolveReferencesAcrossChunks(chunks: ParsedChunk[]): void {
	const linkDefinitions = new Map<string, ReferenceDefinition>();
	const footnoteDefinitions = new Map<string, ReferenceDefinition>();
	for (const chunk of chunks) {
		for (const definition of chunk.definitions) {
			const definitions = definition.kind === 'link' ? linkDefinitions : footnoteDefinitions;
			// The first definition of a label wins, as in CommonMark.
			if (!definitions.has(definition.identifier)) definitions.set(definition.identifier, definition);
		}
	}
	if (linkDefinitions.size === 0 && footnoteDefinitions.size === 0) return;
	if (chunks.length < 2) return;

	for (const chunk of chunks) {
		const source = chunk.source;
		// Front matter is only front matter at the very start, so its chunk is never given a prefix.
		if (!source.includes('[') || chunk.tree.children[0]?.type === 'yaml') continue;
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
		if (borrowed.length === 0) continue;
		// Blank lines keep each definition out of the one before it, and a thematic break closes the
		// last one, because an indented first line (the document's own may be) would otherwise
		// continue a footnote definition.
		const prefix = `${borrowed.join('\n\n')}\n\n***\n`;
		chunk.tree = parseMarkdown(prefix + source, false);
		chunk.prefixLength = prefix.length;
	}
}

/**
 * Offsets where a chunk may start: the first offset, the text's end, and every line that starts
 * at column 0 with a non-blank character right after a blank line. Nothing before such a line
 * can continue into it (no paragraph, list item, block quote, table or indented code), except a
 * fenced code block or an HTML block, which `findPieceEndingInsideOpenBlock` catches after parsing. The line
 * after the front matter's closing fence is a boundary too, and nothing splits the front matter.
 */
function findChunkBoundaries(text: string, first: number, frontMatterBoundary: number): number[] {
	const boundaries = [first];
	if (frontMatterBoundary > first && frontMatterBoundary < text.length) boundaries.push(frontMatterBoundary);
	let lineStart = Math.max(first, frontMatterBoundary);
	let previousLineBlank = false;
	while (lineStart < text.length) {
		let lineEnd = lineStart;
		let blank = true;
		for (; lineEnd < text.length; lineEnd++) {
			const code = text.charCodeAt(lineEnd);
			if (code === 10 || code === 13) break;
			if (code !== 32 && code !== 9) blank = false;
		}
		if (previousLineBlank && !blank) {
			const code = text.charCodeAt(lineStart);
			if (code !== 32 && code !== 9) boundaries.push(lineStart);
		}
		previousLineBlank = blank;
		if (lineEnd >= text.length) break;
		lineStart = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
	}
	boundaries.push(text.length);
	return boundaries;
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
function findPieceEndingInsideOpenBlock(text: string, tree: Root, source: string, pieces: readonly Piece[]): { pieceIndex: number; block: Nodes } | undefined {
	for (const node of tree.children) {
		if (node.type !== 'code' && node.type !== 'html') continue;
		const start = node.position?.start.offset;
		const end = node.position?.end.offset;
		if (start === undefined || end === undefined) continue;
		const index = pieceIndex(pieces, start);
		const piece = pieces[index];
		// Nothing follows the document's last piece, so a block open there is open in the document too.
		if (piece.end === text.length) continue;
		let contentEnd = piece.sourceStart + (piece.end - piece.start);
		while (contentEnd > piece.sourceStart && ' \t\r\n'.includes(source[contentEnd - 1])) contentEnd--;
		while (contentEnd < source.length && source[contentEnd] !== '\r' && source[contentEnd] !== '\n') contentEnd++;
		if (end > contentEnd) return { pieceIndex: index, block: node };
	}
	return undefined;
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

/**
 * Walks a chunk's tree (without recursion, since lists and quotes nest arbitrarily deep) and
 * records what the checks need, in offsets of the document. Nodes in the prefix of definitions
 * written before the chunk's source are skipped.
 */
function walkTree(text: string, chunk: ParsedChunk, collected: CollectedStructure, definitions: ReferenceDefinition[]): void {
	const { tree, pieces, prefixLength } = chunk;
	const stack: Nodes[] = [];
	for (let index = tree.children.length - 1; index >= 0; index--) stack.push(tree.children[index]);
	// A recorded node never crosses from one piece into the next (lists and quotes may, but they
	// are not recorded), so its end is placed relative to its start and kept inside its piece.
	const spanOf = (node: Nodes): Span | undefined => {
		const start = node.position?.start.offset;
		const end = node.position?.end.offset;
		if (start === undefined || end === undefined || start < prefixLength) return undefined;
		const piece = pieces[pieceIndex(pieces, start - prefixLength)];
		const documentStart = piece.start + (start - prefixLength - piece.sourceStart);
		if (documentStart >= piece.end) return undefined;
		return { start: documentStart, end: Math.min(documentStart + (end - start), piece.end) };
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
					const textEnd = linkTextEnd(text, node, span);
					if (span.end - textEnd > 1) collected.excluded.push({ start: textEnd, end: span.end });
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

/** The offset of the `]` that closes a bracketed link's text. */
function linkTextEnd(text: string, node: Nodes, span: Span): number {
	let childrenEnd = span.start + 1;
	const nodeStart = node.position?.start.offset;
	if ('children' in node && node.children.length > 0 && nodeStart !== undefined) {
		const lastChildEnd = node.children[node.children.length - 1].position?.end.offset;
		if (lastChildEnd !== undefined) childrenEnd = span.start + (lastChildEnd - nodeStart);
	}
	const bracket = text.indexOf(']', childrenEnd);
	return bracket === -1 || bracket >= span.end ? span.end : bracket;
}

function buildStructure(text: string, collected: CollectedStructure): MarkdownStructure {
	const structure: MarkdownStructure = {
		excluded: mergeSpans(collected.excluded),
		headings: [...collected.headings].sort((left, right) => left.start - right.start),
	};
	if (collected.frontMatterSpan) structure.frontMatter = readFrontMatter(text, collected.frontMatterSpan);
	return structure;
}

function mergeSpans(spans: readonly Span[]): Span[] {
	const sorted = [...spans].sort((left, right) => left.start - right.start || left.end - right.end);
	const merged: Span[] = [];
	for (const span of sorted) {
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
function readFrontMatter(text: string, span: Span): NonNullable<MarkdownStructure['frontMatter']> {
	const frontMatter: NonNullable<MarkdownStructure['frontMatter']> = { span, data: {} };
	let contentStart = span.start;
	while (contentStart < span.end && text[contentStart] !== '\n' && text[contentStart] !== '\r') contentStart++;
	contentStart += text.startsWith('\r\n', contentStart) ? 2 : 1;
	const closingLineStart = Math.max(text.lastIndexOf('\n', span.end - 1), text.lastIndexOf('\r', span.end - 1)) + 1;
	if (closingLineStart <= contentStart) return frontMatter;

	try {
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
