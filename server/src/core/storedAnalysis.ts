// The corpus's form of a document's analysis. A `PackedRecord` holds what `DocumentAnalysis`
// holds in a few typed arrays and one table of strings, so it serializes small and fast: it is
// what index workers send to the server, what the index cache stores, and what the index keeps
// for files that are not open. A `DocumentSummary` holds just what the index's inverted maps
// and ordering need, so a document can be indexed without unpacking its record at all.
import {
	computeLineStarts, documentTitle, locateDefinition, mineDefinitions, paragraphAt, type DocumentAnalysis, type LocatedMention, type MinedDefinition,
} from './analysis';
import { recognize, type Lexicon, type Mention } from './recognizer';
import { parseStatement } from './statement';
import type { Paragraph, ParsedDocument, StatementDate } from './types';

/** Plain, structured-clone-safe data. Offsets are UTF-16 code units, as everywhere in the core. */
export interface PackedRecord {
	readonly uri: string;
	readonly title: string;
	/** The parsed header without its paragraphs (those are packed below). */
	readonly header: Omit<ParsedDocument, 'paragraphs'>;
	/** Every string the arrays below refer to, each once. */
	readonly strings: readonly string[];
	readonly lineStarts: Int32Array;
	/** Per paragraph: number, start, end, label (a string index, or -1). */
	readonly paragraphs: Int32Array;
	/** Per mention: start, end, key (string index × 2, plus 1 for an acronym), paragraph. */
	readonly mentions: Int32Array;
	/** Per mention with a treaty article: mention index, article, article start, article end. */
	readonly articles: Int32Array;
	/** Per definition: the columns of `definitionColumn`. */
	readonly definitions: Int32Array;
}

const paragraphStride = 4;
const mentionStride = 4;
const articleStride = 4;
const definitionColumn = {
	acronym: 0, expansion: 1, key: 2, acronymStart: 3, acronymEnd: 4, expansionStart: 5, expansionEnd: 6, form: 7, paragraph: 8, phraseStart: 9, phraseEnd: 10,
} as const;
const definitionStride = 11;

/** What the index needs of a document without unpacking it. */
export interface DocumentSummary {
	readonly uri: string;
	readonly isStatement: boolean;
	readonly date: StatementDate | undefined;
	readonly entityKeys: readonly string[];
	readonly acronymKeys: readonly string[];
	/** The acronym of every definition, in the order of the acronyms in the text; an acronym defined twice is here twice. */
	readonly definitionKeys: readonly string[];
	/** For each of `definitionKeys`, that definition's expansion. The first for an acronym is what it means in the document. */
	readonly definitionExpansions: readonly string[];
	/**
	 * Per mention, in document order: start, end, key, paragraph (`summaryMentionStride` numbers).
	 * The key indexes `entityKeys`, then `acronymKeys` after them. Kept in memory for every
	 * document, so references and corpus-wide counts never load a record.
	 */
	readonly mentions: Int32Array;
	/** Where each line starts, for turning the mentions' offsets into positions. */
	readonly lineStarts: Int32Array;
	/**
	 * The keys' process-wide numbers (`keyNumber`), when whoever made the summary had them at
	 * hand (the cache does): entity keys then acronym keys, and the definitions' keys.
	 */
	readonly numbers?: SummaryNumbers;
}

/** A summary's keys as process-wide numbers (`keyNumber`). */
export interface SummaryNumbers {
	/** Entity keys, then acronym keys. */
	readonly keys: Int32Array;
	readonly entityCount: number;
	/** The definitions' keys. */
	readonly definitions: Int32Array;
}

/**
 * Where a numbered summary's arrays come from when they are not held: the index cache's columns,
 * read for a document (a row) only when something first asks for them. A warm start files ten
 * thousand summaries before its first answer, and most are never asked for their line starts.
 */
export interface SummaryColumns {
	dateOf(row: number): StatementDate | undefined;
	mentionsOf(row: number): Int32Array;
	lineStartsOf(row: number): Int32Array;
	numbersOf(row: number): SummaryNumbers;
	expansionNumbersOf(row: number): Int32Array;
	/**
	 * The column holding every row's key counts and keys, when the columns have one: at
	 * `keyStartOf(row)`, the entity, acronym and definition key counts, then those keys in that
	 * order. The index files a start's documents from it without a view per document.
	 */
	readonly keyColumn?: Int32Array;
	keyStartOf?(row: number): number;
}

/** The columns of a summary that holds its arrays itself: never asked, since its arrays are set. */
const heldColumns: SummaryColumns = {
	dateOf: heldArraysOnly,
	mentionsOf: heldArraysOnly,
	lineStartsOf: heldArraysOnly,
	numbersOf: heldArraysOnly,
	expansionNumbersOf: heldArraysOnly,
};

function heldArraysOnly(): never {
	throw new Error('A summary made with its arrays has no columns to read them from.');
}

/**
 * A summary that holds its key lists as numbers: the index's form of it. Strings are shared
 * process-wide instead of copied into every document, and the lists of strings are made only
 * for the documents whose lists something reads. Its arrays are held, or read from `columns`
 * (the cache's) at `row` when first asked for.
 */
export class NumberedSummary implements DocumentSummary {
	private lists: { entityKeys: string[]; acronymKeys: string[]; definitionKeys: string[]; definitionExpansions: string[] } | undefined = undefined;
	private mentionData: Int32Array | undefined = undefined;
	private lineData: Int32Array | undefined = undefined;
	private numberData: SummaryNumbers | undefined = undefined;
	private expansionData: Int32Array | undefined = undefined;
	/** Null until read. */
	private dateData: StatementDate | undefined | null = null;

	constructor(
		readonly uri: string,
		readonly isStatement: boolean,
		readonly columns: SummaryColumns,
		readonly row: number,
	) {}

	/** A summary holding these arrays. */
	static held(uri: string, isStatement: boolean, date: StatementDate | undefined, mentions: Int32Array, lineStarts: Int32Array, numbers: SummaryNumbers, expansionNumbers: Int32Array): NumberedSummary {
		const summary = new NumberedSummary(uri, isStatement, heldColumns, 0);
		summary.dateData = date;
		summary.mentionData = mentions;
		summary.lineData = lineStarts;
		summary.numberData = numbers;
		summary.expansionData = expansionNumbers;
		return summary;
	}

	get date(): StatementDate | undefined {
		if (this.dateData === null) this.dateData = this.columns.dateOf(this.row);
		return this.dateData;
	}

	get mentions(): Int32Array {
		return (this.mentionData ??= this.columns.mentionsOf(this.row));
	}

	get lineStarts(): Int32Array {
		return (this.lineData ??= this.columns.lineStartsOf(this.row));
	}

	/** The line starts, without keeping a view of them when they are read from the columns: for a caller that reads every document's once. */
	lineStartsUnkept(): Int32Array {
		return this.lineData ?? this.columns.lineStartsOf(this.row);
	}

	get numbers(): SummaryNumbers {
		return (this.numberData ??= this.columns.numbersOf(this.row));
	}

	/** The number of each definition's expansion. */
	get expansionNumbers(): Int32Array {
		return (this.expansionData ??= this.columns.expansionNumbersOf(this.row));
	}

	/** The same summary with its lists numbered. */
	static of(summary: DocumentSummary): NumberedSummary {
		if (summary instanceof NumberedSummary) return summary;
		const keys = Int32Array.from([...summary.entityKeys, ...summary.acronymKeys], keyNumber);
		const numbers = { keys, entityCount: summary.entityKeys.length, definitions: Int32Array.from(summary.definitionKeys, keyNumber) };
		return NumberedSummary.held(summary.uri, summary.isStatement, summary.date, summary.mentions, summary.lineStarts, numbers, Int32Array.from(summary.definitionExpansions, keyNumber));
	}

	private materialized() {
		if (!this.lists) {
			const { keys, entityCount, definitions } = this.numbers;
			this.lists = {
				entityKeys: Array.from(keys.subarray(0, entityCount), numberedKey),
				acronymKeys: Array.from(keys.subarray(entityCount), numberedKey),
				definitionKeys: Array.from(definitions, numberedKey),
				definitionExpansions: Array.from(this.expansionNumbers, numberedKey),
			};
		}
		return this.lists;
	}

	get entityKeys(): readonly string[] {
		return this.materialized().entityKeys;
	}

	get acronymKeys(): readonly string[] {
		return this.materialized().acronymKeys;
	}

	get definitionKeys(): readonly string[] {
		return this.materialized().definitionKeys;
	}

	get definitionExpansions(): readonly string[] {
		return this.materialized().definitionExpansions;
	}
}

export const summaryMentionStride = 4;

class StringTable {
	readonly strings: string[] = [];
	private readonly indices = new Map<string, number>();

	indexOf(value: string): number {
		let index = this.indices.get(value);
		if (index === undefined) {
			index = this.strings.length;
			this.strings.push(value);
			this.indices.set(value, index);
		}
		return index;
	}
}

export function packAnalysis(analysis: DocumentAnalysis): PackedRecord {
	return packParts(analysis.uri, analysis.title, analysis.parsed, analysis.lineStarts, analysis.mentions, (mention) => mention.paragraph, analysis.definitions);
}

/**
 * Analyses a corpus file straight into its packed form: the same record as
 * `packAnalysis(analyzeDocument(...))`, without making an object per mention on the way, which
 * is most of the garbage an index worker would otherwise collect.
 */
export function packDocument(uri: string, text: string, lexicon: Lexicon): PackedRecord {
	const parsed = parseStatement(text);
	const definitions = mineDefinitions(text, parsed.bodyStart).map((definition) => locateDefinition(definition, paragraphAt(parsed, definition.acronymSpan.start)));
	return packParts(uri, documentTitle(uri, text, parsed), parsed, computeLineStarts(text), recognize(text, lexicon), (mention) => paragraphAt(parsed, mention.start), definitions);
}

function packParts<M extends Mention>(
	uri: string,
	title: string,
	parsed: ParsedDocument,
	lineStarts: readonly number[],
	mentionList: readonly M[],
	paragraphOf: (mention: M) => number,
	definitionList: readonly MinedDefinition[],
): PackedRecord {
	const table = new StringTable();
	const { paragraphs: parsedParagraphs, ...header } = parsed;
	const paragraphs = new Int32Array(parsedParagraphs.length * paragraphStride);
	parsedParagraphs.forEach((paragraph, index) => {
		const base = index * paragraphStride;
		paragraphs[base] = paragraph.number;
		paragraphs[base + 1] = paragraph.span.start;
		paragraphs[base + 2] = paragraph.span.end;
		paragraphs[base + 3] = paragraph.label === undefined ? -1 : table.indexOf(paragraph.label);
	});
	const mentions = new Int32Array(mentionList.length * mentionStride);
	const articles: number[] = [];
	for (let index = 0; index < mentionList.length; index++) {
		const mention = mentionList[index]!;
		const base = index * mentionStride;
		mentions[base] = mention.start;
		mentions[base + 1] = mention.end;
		mentions[base + 2] = mention.entityId !== undefined ? table.indexOf(mention.entityId) * 2 : table.indexOf(mention.acronym!) * 2 + 1;
		mentions[base + 3] = paragraphOf(mention);
		if (mention.article !== undefined) articles.push(index, mention.article, mention.articleSpan?.start ?? -1, mention.articleSpan?.end ?? -1);
	}
	const definitions = new Int32Array(definitionList.length * definitionStride);
	definitionList.forEach((definition, index) => {
		const base = index * definitionStride;
		definitions[base + definitionColumn.acronym] = table.indexOf(definition.acronym);
		definitions[base + definitionColumn.expansion] = table.indexOf(definition.expansion);
		definitions[base + definitionColumn.key] = table.indexOf(definition.key);
		definitions[base + definitionColumn.acronymStart] = definition.acronymSpan.start;
		definitions[base + definitionColumn.acronymEnd] = definition.acronymSpan.end;
		definitions[base + definitionColumn.expansionStart] = definition.expansionSpan.start;
		definitions[base + definitionColumn.expansionEnd] = definition.expansionSpan.end;
		definitions[base + definitionColumn.form] = definition.form === 'long-short' ? 0 : 1;
		definitions[base + definitionColumn.paragraph] = definition.paragraph;
		definitions[base + definitionColumn.phraseStart] = definition.phraseSpan.start;
		definitions[base + definitionColumn.phraseEnd] = definition.phraseSpan.end;
	});
	return { uri, title, header, strings: table.strings, lineStarts: Int32Array.from(lineStarts), paragraphs, mentions, articles: Int32Array.from(articles), definitions };
}

export function summarize(record: PackedRecord): DocumentSummary {
	// A record's key code indexes its string table; a summary's indexes its entity keys, then its acronym keys.
	const entityKeys: string[] = [];
	const acronymKeys: string[] = [];
	const listPosition = new Int32Array(record.strings.length * 2).fill(-1);
	const source = record.mentions;
	for (let base = 0; base < source.length; base += mentionStride) {
		const key = source[base + 2]!;
		if (listPosition[key] !== -1) continue;
		const list = key & 1 ? acronymKeys : entityKeys;
		listPosition[key] = list.length;
		list.push(record.strings[key >> 1]!);
	}
	const mentions = new Int32Array((source.length / mentionStride) * summaryMentionStride);
	for (let base = 0, target = 0; base < source.length; base += mentionStride, target += summaryMentionStride) {
		const key = source[base + 2]!;
		mentions[target] = source[base]!;
		mentions[target + 1] = source[base + 1]!;
		mentions[target + 2] = key & 1 ? entityKeys.length + listPosition[key]! : listPosition[key]!;
		mentions[target + 3] = source[base + 3]!;
	}
	// Every definition's key and expansion; the miner gives them in the order of their acronyms in the text.
	const definitionOrder: number[] = [];
	for (let base = 0; base < record.definitions.length; base += definitionStride) definitionOrder.push(base);
	return {
		uri: record.uri,
		isStatement: record.header.isStatement,
		date: record.header.date,
		entityKeys,
		acronymKeys,
		definitionKeys: definitionOrder.map((base) => record.strings[record.definitions[base + definitionColumn.key]!]!),
		definitionExpansions: definitionOrder.map((base) => record.strings[record.definitions[base + definitionColumn.expansion]!]!),
		mentions,
		lineStarts: Int32Array.from(record.lineStarts),
	};
}

function unpackMentions(record: PackedRecord, keep: (key: string) => boolean = () => true): LocatedMention[] {
	const articles = new Map<number, number>();
	for (let base = 0; base < record.articles.length; base += articleStride) articles.set(record.articles[base]!, base);
	const result: LocatedMention[] = [];
	const data = record.mentions;
	for (let index = 0, base = 0; base < data.length; index++, base += mentionStride) {
		const keyCode = data[base + 2]!;
		const key = record.strings[keyCode >> 1]!;
		if (!keep(key)) continue;
		const start = data[base]!;
		const end = data[base + 1]!;
		const named = keyCode & 1 ? { start, end, acronym: key } : { start, end, entityId: key };
		const article = articles.get(index);
		const withArticle = article === undefined ? named : {
			...named,
			article: record.articles[article + 1]!,
			...(record.articles[article + 2]! >= 0 ? { articleSpan: { start: record.articles[article + 2]!, end: record.articles[article + 3]! } } : {}),
		};
		result.push({ ...withArticle, paragraph: data[base + 3]! });
	}
	return result;
}

function unpackDefinitions(record: PackedRecord): MinedDefinition[] {
	const result: MinedDefinition[] = [];
	const data = record.definitions;
	const text = (column: number) => record.strings[column]!;
	for (let base = 0; base < data.length; base += definitionStride) {
		result.push({
			acronym: text(data[base + definitionColumn.acronym]!),
			expansion: text(data[base + definitionColumn.expansion]!),
			acronymSpan: { start: data[base + definitionColumn.acronymStart]!, end: data[base + definitionColumn.acronymEnd]! },
			expansionSpan: { start: data[base + definitionColumn.expansionStart]!, end: data[base + definitionColumn.expansionEnd]! },
			form: data[base + definitionColumn.form] === 0 ? 'long-short' : 'short-long',
			key: text(data[base + definitionColumn.key]!),
			paragraph: data[base + definitionColumn.paragraph]!,
			phraseSpan: { start: data[base + definitionColumn.phraseStart]!, end: data[base + definitionColumn.phraseEnd]! },
		});
	}
	return result;
}

function unpackParagraphs(record: PackedRecord): Paragraph[] {
	const result: Paragraph[] = [];
	const data = record.paragraphs;
	for (let base = 0; base < data.length; base += paragraphStride) {
		const label = data[base + 3]!;
		result.push({ number: data[base]!, ...(label >= 0 ? { label: record.strings[label]! } : {}), span: { start: data[base + 1]!, end: data[base + 2]! } });
	}
	return result;
}

interface Unpacked {
	readonly record: PackedRecord;
	rest?: { parsed: ParsedDocument; definitions: MinedDefinition[] };
}

/**
 * The most recently used stored documents keep their loaded record and unpacked parts; the
 * rest are loaded again when next needed. This bounds the memory that questions touching many
 * documents (references to a common name) leave behind.
 */
const recentlyUnpacked = new Map<StoredAnalysis, Unpacked>();
const recentlyUnpackedLimit = 2048;

/**
 * A document of the corpus as the index keeps it. The summary answers the index's questions;
 * the packed record is loaded when needed (from the bytes a worker or the cache gave) and
 * unpacked piece by piece: mentions each time they are asked for, the rest once while the
 * document is among the recently used.
 */
export class StoredAnalysis implements DocumentAnalysis {
	readonly version = undefined;

	/** @param load where the record comes from; a subclass without one overrides `loadRecord`. */
	constructor(
		readonly summary: DocumentSummary,
		private readonly load?: () => PackedRecord,
	) {}

	/** The record, read from wherever it is kept. */
	protected loadRecord(): PackedRecord {
		if (!this.load) throw new Error(`No record source for ${this.summary.uri}.`);
		return this.load();
	}

	static of(record: PackedRecord): StoredAnalysis {
		return new StoredAnalysis(summarize(record), () => record);
	}

	private unpacked(): Unpacked {
		let entry = recentlyUnpacked.get(this);
		if (entry) recentlyUnpacked.delete(this);
		else entry = { record: this.loadRecord() };
		recentlyUnpacked.set(this, entry);
		if (recentlyUnpacked.size > recentlyUnpackedLimit) recentlyUnpacked.delete(recentlyUnpacked.keys().next().value!);
		return entry;
	}

	get record(): PackedRecord {
		return this.unpacked().record;
	}

	private get rest(): { parsed: ParsedDocument; definitions: MinedDefinition[] } {
		const entry = this.unpacked();
		if (!entry.rest) {
			const record = entry.record;
			entry.rest = {
				parsed: { ...record.header, paragraphs: unpackParagraphs(record) } as ParsedDocument,
				definitions: unpackDefinitions(record),
			};
		}
		return entry.rest;
	}

	get uri(): string {
		return this.summary.uri;
	}

	get date(): StatementDate | undefined {
		return this.summary.date;
	}

	get title(): string {
		return this.record.title;
	}

	get parsed(): ParsedDocument {
		return this.rest.parsed;
	}

	private lineStartList: number[] | undefined;

	get lineStarts(): readonly number[] {
		return (this.lineStartList ??= Array.from(this.summary.lineStarts));
	}

	get definitions(): readonly MinedDefinition[] {
		return this.rest.definitions;
	}

	get mentions(): readonly LocatedMention[] {
		return unpackMentions(this.record);
	}

	/** Visits every mention's key and paragraph from the summary, without loading the record. */
	forEachMention(visit: (key: string, isAcronym: boolean, paragraph: number, start: number, end: number) => void): void {
		const { mentions } = this.summary;
		// By number, so a numbered summary's string lists are not made.
		const { keys, entityCount } = this.keyNumbers();
		for (let base = 0; base < mentions.length; base += summaryMentionStride) {
			const code = mentions[base + 2]!;
			visit(numberedKey(keys[code]!), code >= entityCount, mentions[base + 3]!, mentions[base]!, mentions[base + 1]!);
		}
	}

	/** The expansion of the document's first definition of `acronym`, found by number where the summary is numbered, so no key lists are made. */
	expansionOf(acronym: string): string | undefined {
		const summary = this.summary;
		if (!(summary instanceof NumberedSummary)) {
			const position = summary.definitionKeys.indexOf(acronym);
			return position === -1 ? undefined : summary.definitionExpansions[position];
		}
		const number = existingKeyNumber(acronym);
		const position = number === -1 ? -1 : summary.numbers.definitions.indexOf(number);
		return position === -1 ? undefined : numberedKey(summary.expansionNumbers[position]!);
	}

	/** The number (`keyNumber`) of each definition's expansion, in the order of `keyNumbers().definitions`. */
	expansionNumbers(): Int32Array {
		const summary = this.summary;
		return summary instanceof NumberedSummary ? summary.expansionNumbers : Int32Array.from(summary.definitionExpansions, keyNumber);
	}

	private numbers: SummaryNumbers | undefined;

	/** The process-wide numbers (`keyNumber`) of the summary's keys: entity keys then acronym keys, and the definitions'; made when first needed. */
	keyNumbers(): SummaryNumbers {
		if (!this.numbers) {
			const summary = this.summary;
			// Only when the summary has no numbers: reading its key lists may turn a cached summary's columns into strings.
			this.numbers = summary.numbers ?? {
				keys: Int32Array.from([...summary.entityKeys, ...summary.acronymKeys], keyNumber),
				entityCount: summary.entityKeys.length,
				definitions: Int32Array.from(summary.definitionKeys, keyNumber),
			};
		}
		return this.numbers;
	}
}

/** Entity ids and acronyms, numbered once per process, so that tables over the corpus index arrays instead of hashing strings. */
const keyNumbers = new Map<string, number>();
const numberedKeys: string[] = [];

/** The key's number, or -1 when no key by that name has been numbered (so nothing mentions it). */
export function existingKeyNumber(key: string): number {
	return keyNumbers.get(key) ?? -1;
}

export function keyNumber(key: string): number {
	let number = keyNumbers.get(key);
	if (number === undefined) {
		keyNumbers.set(key, (number = numberedKeys.length));
		numberedKeys.push(key);
	}
	return number;
}

/** The key with this number; `keyNumberCount()` numbers are given so far. */
export function numberedKey(number: number): string {
	return numberedKeys[number]!;
}

export function keyNumberCount(): number {
	return numberedKeys.length;
}
