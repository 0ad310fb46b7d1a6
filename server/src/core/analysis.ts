// One document's analysis: its parsed statement record, the mentions recognized in it and
// the acronym definitions it makes. Pure and serializable, so it can be computed anywhere
// (the server, the CLI, a worker thread) and cached.
import { findAcronymDefinitions } from './definitions';
import { normalizeAcronym, recognize, type Lexicon, type Mention } from './recognizer';
import { parseStatement } from './statement';
import { ownCopy } from './strings';
import type { AcronymDefinition, ParsedDocument, Span, StatementDate } from './types';

export interface LocatedMention extends Mention {
	/** The 1-based paragraph the mention stands in; 0 in a statement's header. */
	readonly paragraph: number;
}

export interface MinedDefinition extends AcronymDefinition {
	/** `normalizeAcronym(acronym)`: the key acronyms are looked up by. */
	readonly key: string;
	readonly paragraph: number;
	/** The whole defining phrase, e.g. "Japan Aerospace Exploration Agency (JAXA)", closing parenthesis included. */
	readonly phraseSpan: Span;
}

export interface DocumentAnalysis {
	readonly uri: string;
	/** The editor's version for an open document; undefined for a file read from disk. */
	readonly version: number | undefined;
	readonly parsed: ParsedDocument;
	/** The statement's title, else a Markdown heading, else the file name. */
	readonly title: string;
	readonly date: StatementDate | undefined;
	/** Offsets at which each line starts, so positions can be computed without the text. */
	readonly lineStarts: readonly number[];
	readonly mentions: readonly LocatedMention[];
	readonly definitions: readonly MinedDefinition[];
}

export function computeLineStarts(text: string): number[] {
	const starts = [0];
	for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
	return starts;
}

/** The 0-based line and UTF-16 character of an offset, by binary search in a line-starts table. */
export function lineAndCharacterAt(lineStarts: ArrayLike<number>, offset: number): { line: number; character: number } {
	const line = lineIndexAt(lineStarts, offset);
	return { line, character: offset - lineStarts[line]! };
}

/** The number of the line holding `offset`, by binary search over the line starts. */
export function lineIndexAt(lineStarts: ArrayLike<number>, offset: number): number {
	let low = 0;
	let high = lineStarts.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (lineStarts[middle]! <= offset) low = middle;
		else high = middle - 1;
	}
	return low;
}

/** Finds the paragraph containing `offset` by binary search; 0 when it is outside every paragraph. */
export function paragraphAt(parsed: ParsedDocument, offset: number): number {
	const paragraphs = parsed.paragraphs;
	let low = 0;
	let high = paragraphs.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const span = paragraphs[middle]!.span;
		if (offset < span.start) high = middle - 1;
		else if (offset >= span.end) low = middle + 1;
		else return paragraphs[middle]!.number;
	}
	return 0;
}

function fileName(uri: string): string {
	const last = uri.slice(uri.lastIndexOf('/') + 1);
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

function headingTitle(text: string): string | undefined {
	const match = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text.slice(0, 4000));
	return match?.[1];
}

export function analyzeDocument(uri: string, text: string, lexicon: Lexicon, version?: number): DocumentAnalysis {
	const parsed = parseStatement(text);
	return {
		uri,
		version,
		parsed,
		title: documentTitle(uri, text, parsed),
		date: parsed.date,
		lineStarts: computeLineStarts(text),
		mentions: recognize(text, lexicon).map((mention) => locateMention(mention, paragraphAt(parsed, mention.start))),
		// The database's banner defines its own institutions (GRIPS, IASA) in every record: search the body only.
		definitions: mineDefinitions(text, parsed.bodyStart).map((definition) => locateDefinition(definition, paragraphAt(parsed, definition.acronymSpan.start))),
	};
}

/** The statement's title, else a Markdown heading, else the file name. */
export function documentTitle(uri: string, text: string, parsed: ParsedDocument): string {
	return ownCopy(parsed.title ?? headingTitle(text) ?? fileName(uri));
}

/** A mention as an analysis holds it, with the paragraph it stands in. */
export function locateMention(mention: Mention, paragraph: number): LocatedMention {
	// Built by hand in the recognizer's three shapes: object spread was a fifth of analysing a long draft.
	const { start, end } = mention;
	if (mention.entityId === undefined) return { start, end, acronym: mention.acronym!, paragraph };
	if (mention.articleSpan === undefined) return { start, end, entityId: mention.entityId, paragraph };
	return { start, end, entityId: mention.entityId, article: mention.article!, articleSpan: mention.articleSpan, paragraph };
}

/** A definition found in the text, with its key and phrase but no paragraph yet. */
export type UnlocatedDefinition = Omit<MinedDefinition, 'paragraph'>;

/** The definitions whose parentheses stand in `text[from, to)`, with their keys and defining phrases. */
export function mineDefinitions(text: string, from: number, to = text.length): UnlocatedDefinition[] {
	// Built property by property: object spread is slow on the indexing path, which mines every file.
	return findAcronymDefinitions(text, from, to).map((definition) => ({
		acronym: definition.acronym,
		expansion: definition.expansion,
		acronymSpan: definition.acronymSpan,
		expansionSpan: definition.expansionSpan,
		form: definition.form,
		key: normalizeAcronym(definition.acronym),
		phraseSpan: definitionPhraseSpan(text, definition),
	}));
}

/** A definition as an analysis holds it, with the paragraph its acronym stands in. */
export function locateDefinition(definition: UnlocatedDefinition, paragraph: number): MinedDefinition {
	return {
		acronym: definition.acronym,
		expansion: definition.expansion,
		acronymSpan: definition.acronymSpan,
		expansionSpan: definition.expansionSpan,
		form: definition.form,
		key: definition.key,
		paragraph,
		phraseSpan: definition.phraseSpan,
	};
}

/**
 * The span of the whole defining phrase: from the first word of the long form (or the acronym)
 * to the parenthesis that closes the definition, wherever it stands ("(WTO; based in Geneva)").
 */
function definitionPhraseSpan(text: string, definition: AcronymDefinition): Span {
	const start = Math.min(definition.expansionSpan.start, definition.acronymSpan.start);
	const inner = Math.max(definition.expansionSpan.end, definition.acronymSpan.end);
	// The first closing parenthesis within 200 characters, looked for in place rather than in a slice.
	const limit = Math.min(text.length, inner + 200);
	for (let position = inner; position < limit; position++) {
		const value = text.charCodeAt(position);
		if (value === 0x29 || value === 0xff09) return { start, end: position + 1 };
	}
	return { start, end: inner };
}
