// The corpus index: every analysed document (built-in statements, workspace files, open
// documents), with inverted maps from entities and acronyms to the documents that mention or
// define them. It holds analyses, never texts, so its memory grows with mentions, not bytes.
import type { DocumentAnalysis, MinedDefinition } from './analysis';
import { existingKeyNumber, keyNumber, keyNumberCount, NumberedSummary, numberedKey, StoredAnalysis, summaryMentionStride, type DocumentSummary } from './storedAnalysis';

export interface DefinitionReference {
	readonly document: DocumentAnalysis;
	readonly definition: MinedDefinition;
}

/**
 * A set of document numbers as a bitset that grows with the highest number. Adding ten
 * thousand documents' keys is a few hundred thousand bit sets, with no hashing of URIs.
 */
class DocumentSet {
	private words: Uint32Array;
	size = 0;

	/** @param capacity the highest document number it will hold at first, plus one: its words are made at that size, not grown to it. */
	constructor(capacity = 128) {
		this.words = new Uint32Array(Math.max(4, (capacity + 31) >>> 5));
	}

	add(id: number): void {
		const word = id >>> 5;
		if (word >= this.words.length) {
			const grown = new Uint32Array(Math.max(word + 1, this.words.length * 2));
			grown.set(this.words);
			this.words = grown;
		}
		const bit = 1 << (id & 31);
		if ((this.words[word]! & bit) === 0) {
			this.words[word] = this.words[word]! | bit;
			this.size++;
		}
	}

	delete(id: number): void {
		const word = id >>> 5;
		const bit = 1 << (id & 31);
		if (word < this.words.length && (this.words[word]! & bit) !== 0) {
			this.words[word] = this.words[word]! & ~bit;
			this.size--;
		}
	}

	has(id: number): boolean {
		const word = id >>> 5;
		return word < this.words.length && (this.words[word]! & (1 << (id & 31))) !== 0;
	}

	*[Symbol.iterator](): IterableIterator<number> {
		const words = this.words;
		for (let word = 0; word < words.length; word++) {
			let bits = words[word]!;
			while (bits !== 0) {
				const low = bits & -bits;
				yield (word << 5) + 31 - Math.clz32(low);
				bits ^= low;
			}
		}
	}
}

/**
 * The stored documents' mentions by key (entity id or acronym). `documents` and `ids` are the
 * stored documents earliest first (shadowed ones included: readers skip those `isCurrentAt` denies)
 * and their numbers; each key's entries are `rank` (a position
 * in `documents`), start, end, paragraph, ordered by rank, then start.
 *
 * What a walk over tens of thousands of documents reads of each is here too, by rank: reading it
 * from each document's own objects, scattered over a heap of hundreds of megabytes, costs a cache
 * miss or several per document, which grows faster than the corpus.
 */
export interface StoredMentions {
	readonly generation: number;
	readonly documents: readonly StoredAnalysis[];
	readonly ids: Int32Array;
	readonly byKey: ReadonlyMap<string, Int32Array>;
	/**
	 * By acronym, the documents that define it and the number (`keyNumber`) of their first
	 * definition's expansion, what the acronym means there: rank, expansion, ordered by rank.
	 */
	readonly definers: ReadonlyMap<string, Int32Array>;
	/** Every document's line starts, one after the other by rank: rank `r`'s are `lineStarts[lineOffsets[r]]` … `lineStarts[lineOffsets[r + 1] - 1]`. */
	readonly lineStarts: Int32Array;
	readonly lineOffsets: Int32Array;
}

/** Numbers per entry of `StoredMentions.byKey`. */
export const storedMentionStride = 4;

/** Documents read between two yields while `storedMentions` is built step by step. */
const storedMentionSlice = 500;

/** A stored document's line starts, without keeping a view of them in a cached summary that had none: the table reads every document's once. */
function lineStartsOnce(summary: DocumentSummary): Int32Array {
	return summary instanceof NumberedSummary ? summary.lineStartsUnkept() : summary.lineStarts;
}

/** `StoredMentions.definers` from triples of acronym number, rank, expansion number, in rank order. */
function groupDefiners(triples: readonly number[]): Map<string, Int32Array> {
	const counts = new Map<number, number>();
	for (let at = 0; at < triples.length; at += 3) counts.set(triples[at]!, (counts.get(triples[at]!) ?? 0) + 1);
	const lists = new Map<number, { pairs: Int32Array; filled: number }>();
	for (const [number, count] of counts) lists.set(number, { pairs: new Int32Array(count * 2), filled: 0 });
	for (let at = 0; at < triples.length; at += 3) {
		const list = lists.get(triples[at]!)!;
		list.pairs[list.filled++] = triples[at + 1]!;
		list.pairs[list.filled++] = triples[at + 2]!;
	}
	const definers = new Map<string, Int32Array>();
	for (const [number, { pairs }] of lists) definers.set(numberedKey(number), pairs);
	return definers;
}

/**
 * Inverted maps from a key (by its process-wide number, `keyNumber`) to the documents (by
 * number) that carry it, kept in step with `documents`.
 */
class Postings {
	private readonly sets: Array<DocumentSet | undefined> = [];

	/** Files document `id` under each of `keys[from]` … `keys[to - 1]`. */
	addAll(keys: ArrayLike<number>, from: number, to: number, id: number): void {
		const sets = this.sets;
		for (let position = from; position < to; position++) {
			const key = keys[position]!;
			// Filled, not assigned past the end: an array with holes may turn into a slow dictionary.
			while (sets.length <= key) sets.push(undefined);
			let set = sets[key];
			if (set === undefined) sets[key] = set = new DocumentSet();
			set.add(id);
		}
	}

	/**
	 * Files many documents at once: document `ids[index]` under the keys `lists[index][from[index]]`
	 * … `lists[index][to[index] - 1]`. Each key's set is made at the size its highest document
	 * number needs, and the loops are few and tight, so ten thousand documents take milliseconds.
	 */
	addRanges(lists: ReadonlyArray<ArrayLike<number>>, from: Int32Array, to: Int32Array, ids: Int32Array): void {
		const highest = new Int32Array(keyNumberCount()).fill(-1);
		for (let index = 0; index < lists.length; index++) {
			const keys = lists[index]!;
			const id = ids[index]!;
			for (let position = from[index]!; position < to[index]!; position++) {
				const key = keys[position]!;
				if (highest[key]! < id) highest[key] = id;
			}
		}
		const sets = this.sets;
		while (sets.length < highest.length) sets.push(undefined);
		for (let key = 0; key < highest.length; key++) if (highest[key]! >= 0 && sets[key] === undefined) sets[key] = new DocumentSet(highest[key]! + 1);
		for (let index = 0; index < lists.length; index++) {
			const keys = lists[index]!;
			const id = ids[index]!;
			for (let position = from[index]!; position < to[index]!; position++) sets[keys[position]!]!.add(id);
		}
	}

	removeAll(keys: ArrayLike<number>, from: number, to: number, id: number): void {
		const sets = this.sets;
		for (let position = from; position < to; position++) {
			const key = keys[position]!;
			const set = sets[key];
			if (!set) continue;
			set.delete(id);
			if (set.size === 0) sets[key] = undefined;
		}
	}

	get(key: string): DocumentSet | undefined {
		const number = existingKeyNumber(key);
		return number === -1 ? undefined : this.sets[number];
	}

	*keys(): IterableIterator<string> {
		for (let number = 0; number < this.sets.length; number++) if (this.sets[number]) yield numberedKey(number);
	}
}

export class CorpusIndex {
	private readonly documents = new Map<string, DocumentAnalysis>();
	/** A number for every URI the index has held, so postings are bitsets; a URI keeps its number. */
	private readonly ids = new Map<string, number>();
	private readonly uris: string[] = [];
	/** By number, the document the index holds for that URI: `isCurrentAt` without hashing the URI. */
	private readonly current: Array<DocumentAnalysis | undefined> = [];
	/** The stored documents, earliest first (`compareDocuments`), for one `storedGeneration`. */
	private storedOrder: { generation: number; documents: StoredAnalysis[]; ids: Int32Array } | undefined;
	private storedMentionTable: StoredMentions | undefined;
	/** Bumped whenever a stored document becomes, or stops being, the one the index holds for its URI: what `currentRanks` depends on besides the table. */
	private currentStoredChanges = 0;
	private currentRankFlags: { table: StoredMentions; changes: number; flags: Uint8Array } | undefined;
	/** The documents that are not stored (open ones): few, sorted when asked for. */
	private readonly live = new Set<DocumentAnalysis>();
	/** By URI, the stored documents that open documents stand in for (see `set`). */
	private readonly shadowed = new Map<string, StoredAnalysis>();
	private readonly entityMentions = new Postings();
	private readonly acronymMentions = new Postings();
	private readonly acronymDefinitions = new Postings();
	/** Stored documents filed by `addStored` whose keys are not in the postings yet (see `post`). */
	private readonly unposted = new Set<StoredAnalysis>();
	private statements = 0;
	/** `definitionsOf` answers by acronym, sorted; an entry goes when a document defining that acronym comes or goes. */
	private readonly sortedDefinitions = new Map<string, DefinitionReference[]>();
	/** By acronym defined in few documents, those documents sorted (`definers`), kept until a document defining it comes or goes, as `sortedDefinitions` is. */
	private readonly sortedDefiners = new Map<string, DocumentAnalysis[]>();
	/** Bumped on every change, so callers can cache what they derive from the index. */
	generation = 0;
	/** Bumped when a stored (not open) document comes or goes: what corpus-wide tables are derived from. */
	storedGeneration = 0;
	/**
	 * Bumped on every change but an open document replaced by its own analysis moved by an edit
	 * (same keys, same definitions in the same order): what an acronym resolves to can change only when this does.
	 */
	resolutionGeneration = 0;

	get size(): number {
		return this.documents.size;
	}

	get statementCount(): number {
		return this.statements;
	}

	get(uri: string): DocumentAnalysis | undefined {
		return this.documents.get(uri);
	}

	all(): IterableIterator<DocumentAnalysis> {
		return this.documents.values();
	}

	/** The number of a URI, given when first seen. */
	idOf(uri: string): number {
		let id = this.ids.get(uri);
		if (id === undefined) {
			this.ids.set(uri, (id = this.uris.length));
			this.uris.push(uri);
			this.current.push(undefined);
		}
		return id;
	}

	set(analysis: DocumentAnalysis): void {
		const previous = this.documents.get(analysis.uri);
		// An open document edited without changing what it mentions or defines: the postings stay as they are.
		if (previous && !(analysis instanceof StoredAnalysis) && !(previous instanceof StoredAnalysis) && keysOf(previous) === keysOf(analysis)) {
			this.documents.set(analysis.uri, analysis);
			this.setCurrent(this.idOf(analysis.uri), analysis);
			this.live.delete(previous);
			this.live.add(analysis);
			// The sorted definitions hold the document itself, whose definitions moved.
			this.forgetSortedDefinitions(keysOf(analysis).definitions);
			this.generation++;
			return;
		}
		const shadow = this.shadowed.get(analysis.uri);
		if (previous) this.remove(previous);
		if (analysis instanceof StoredAnalysis) {
			this.shadowed.delete(analysis.uri);
			// The stored document an open one stood in for, coming back as it was, changes nothing stored.
			if (analysis !== shadow || previous instanceof StoredAnalysis) this.storedGeneration++;
		} else if (previous instanceof StoredAnalysis) {
			// Opening a file: its stored document stays in the stored tables, shadowed, so they need no rebuild.
			this.shadowed.set(analysis.uri, previous);
		}
		this.documents.set(analysis.uri, analysis);
		if (!(analysis instanceof StoredAnalysis)) this.live.add(analysis);
		const id = this.idOf(analysis.uri);
		this.setCurrent(id, analysis);
		const { isStatement, keys, entityCount, definitions } = keysOf(analysis);
		if (isStatement) this.statements++;
		this.entityMentions.addAll(keys, 0, entityCount, id);
		this.acronymMentions.addAll(keys, entityCount, keys.length, id);
		this.acronymDefinitions.addAll(definitions, 0, definitions.length, id);
		this.forgetSortedDefinitions(definitions);
		this.generation++;
		this.resolutionGeneration++;
	}

	/**
	 * Files stored documents (the cache read at start): the same as `set` for each, except that
	 * the keys of the documents the index held nothing for go into the postings later, all
	 * together, when first needed (`post`). A start files ten thousand cached documents without
	 * reading their keys; the first question, or the server once the index is ready, posts them.
	 */
	addStored(documents: readonly StoredAnalysis[]): void {
		// Replacements (and a URI given twice) go through `set`, after the others.
		const replacing: StoredAnalysis[] = [];
		let added = 0;
		for (const document of documents) {
			const uri = document.uri;
			if (this.documents.has(uri) || this.shadowed.has(uri)) {
				replacing.push(document);
				continue;
			}
			this.documents.set(uri, document);
			this.setCurrent(this.idOf(uri), document);
			if (document.summary.isStatement) this.statements++;
			this.unposted.add(document);
			added++;
		}
		if (added > 0) {
			// Answers kept per acronym may lack the new documents' definitions.
			this.sortedDefinitions.clear();
			this.sortedDefiners.clear();
			this.storedGeneration++;
			this.generation++;
			this.resolutionGeneration++;
		}
		for (const document of replacing) this.set(document);
	}

	/** Whether documents filed by `addStored` wait to be posted. */
	get hasUnposted(): boolean {
		return this.unposted.size > 0;
	}

	/**
	 * Puts the keys of the documents `addStored` filed into the postings, in a few passes over all
	 * of them whose loops run optimised, each key's bitset made at its final size, and a cached
	 * summary's keys read where they lie in the cache's key column. Every reader of the postings
	 * calls it first.
	 */
	post(): void {
		if (this.unposted.size === 0) return;
		const fresh = [...this.unposted];
		this.unposted.clear();
		const count = fresh.length;
		const ids = new Int32Array(count);
		const keyLists: Int32Array[] = [];
		const definitionLists: Int32Array[] = [];
		const entityEnds = new Int32Array(count);
		const keyEnds = new Int32Array(count);
		const definitionEnds = new Int32Array(count);
		const keyStarts = new Int32Array(count);
		const definitionStarts = new Int32Array(count);
		for (let index = 0; index < count; index++) {
			const document = fresh[index]!;
			ids[index] = this.ids.get(document.uri)!;
			const summary = document.summary;
			// A cached summary's keys are read where they lie in the cache's key column.
			const columns = summary instanceof NumberedSummary ? summary.columns : undefined;
			const column = columns?.keyColumn;
			if (column && columns.keyStartOf) {
				const start = columns.keyStartOf((summary as NumberedSummary).row);
				keyLists.push(column);
				definitionLists.push(column);
				keyStarts[index] = start + 3;
				entityEnds[index] = start + 3 + column[start]!;
				keyEnds[index] = definitionStarts[index] = entityEnds[index]! + column[start + 1]!;
				definitionEnds[index] = keyEnds[index]! + column[start + 2]!;
			} else {
				const { keys, entityCount, definitions } = document.keyNumbers();
				keyLists.push(keys);
				definitionLists.push(definitions);
				entityEnds[index] = entityCount;
				keyEnds[index] = keys.length;
				definitionEnds[index] = definitions.length;
			}
		}
		this.entityMentions.addRanges(keyLists, keyStarts, entityEnds, ids);
		this.acronymMentions.addRanges(keyLists, entityEnds, keyEnds, ids);
		this.acronymDefinitions.addRanges(definitionLists, definitionStarts, definitionEnds, ids);
	}

	delete(uri: string): boolean {
		const previous = this.documents.get(uri);
		if (!previous) {
			// A closed file that is gone from disk too: its shadowed stored document goes now.
			if (!this.shadowed.delete(uri)) return false;
			this.storedGeneration++;
			this.generation++;
			this.resolutionGeneration++;
			return true;
		}
		this.remove(previous);
		if (previous instanceof StoredAnalysis) this.storedGeneration++;
		this.generation++;
		this.resolutionGeneration++;
		return true;
	}

	/** The stored documents, earliest first, shadowed ones included: what the stored tables are built over. */
	storedDocuments(): readonly StoredAnalysis[] {
		return this.storedInOrder().documents;
	}

	/** Whether the document with this number (as `StoredMentions.ids` gives it) is the one the index holds for its URI, not a shadowed or replaced one. */
	isCurrentAt(id: number, document: DocumentAnalysis): boolean {
		return this.current[id] === document;
	}

	private setCurrent(id: number, document: DocumentAnalysis | undefined): void {
		if (this.current[id] instanceof StoredAnalysis || document instanceof StoredAnalysis) this.currentStoredChanges++;
		this.current[id] = document;
	}

	/**
	 * By rank in `table` (`storedMentions()`), 1 where that document is the one the index holds for
	 * its URI (`isCurrentAt`) and 0 where it is not (an open document shadows it). Worked out again
	 * only when a stored document becomes or stops being current, so a walk over the table reads a
	 * byte per document in order instead of looking each one up by number, all over a large array.
	 */
	currentRanks(table: StoredMentions): Uint8Array {
		if (this.currentRankFlags?.table !== table || this.currentRankFlags.changes !== this.currentStoredChanges) {
			const { documents, ids } = table;
			const flags = new Uint8Array(documents.length);
			for (let rank = 0; rank < documents.length; rank++) if (this.isCurrentAt(ids[rank]!, documents[rank]!)) flags[rank] = 1;
			this.currentRankFlags = { table, changes: this.currentStoredChanges, flags };
		}
		return this.currentRankFlags.flags;
	}

	/** The open (not stored) documents. */
	liveDocuments(): IterableIterator<DocumentAnalysis> {
		return this.live.values();
	}

	/** Stored documents that open documents stand in for: in the stored tables, but not current. */
	shadowedDocuments(): IterableIterator<StoredAnalysis> {
		return this.shadowed.values();
	}

	private remove(previous: DocumentAnalysis): void {
		const uri = previous.uri;
		this.documents.delete(uri);
		this.live.delete(previous);
		const id = this.idOf(uri);
		this.setCurrent(id, undefined);
		if (previous instanceof StoredAnalysis && this.unposted.delete(previous)) {
			// Never posted: nothing to take out of the postings, and no answer kept holds it.
			if (previous.summary.isStatement) this.statements--;
			return;
		}
		const { isStatement, keys, entityCount, definitions } = keysOf(previous);
		if (isStatement) this.statements--;
		this.entityMentions.removeAll(keys, 0, entityCount, id);
		this.acronymMentions.removeAll(keys, entityCount, keys.length, id);
		this.acronymDefinitions.removeAll(definitions, 0, definitions.length, id);
		this.forgetSortedDefinitions(definitions);
	}

	/** Drops the sorted definitions kept for these acronyms (by key number): a document defining them came, went or moved. */
	private forgetSortedDefinitions(definitions: ArrayLike<number>): void {
		if (this.sortedDefinitions.size) for (let position = 0; position < definitions.length; position++) this.sortedDefinitions.delete(numberedKey(definitions[position]!));
		if (this.sortedDefiners.size) for (let position = 0; position < definitions.length; position++) this.sortedDefiners.delete(numberedKey(definitions[position]!));
	}

	/**
	 * Every stored document's mentions, by key, in document order: built once per
	 * `storedGeneration` from the summaries, so a question about a name mentioned in thousands
	 * of documents walks its mentions, not the documents.
	 */
	storedMentions(): StoredMentions {
		for (const _ of this.storedMentionSteps());
		return this.storedMentionTable!;
	}

	/** Whether `storedMentions` is built for the stored documents as they are. */
	hasStoredMentions(): boolean {
		return this.storedMentionTable?.generation === this.storedGeneration;
	}

	/**
	 * Builds `storedMentions` a slice of documents at a time, yielding between slices; it stops,
	 * leaving the table unbuilt, when the stored documents change meanwhile.
	 */
	*storedMentionSteps(documentsPerStep = storedMentionSlice): Generator<void, void, undefined> {
		if (this.hasStoredMentions()) return;
		const generation = this.storedGeneration;
		const { documents, ids } = this.storedInOrder();
		// Two passes over the summaries: count each key's mentions, then fill arrays of exactly that size.
		const numbers: Int32Array[] = [];
		const counts = new Int32Array(keyNumberCount());
		const lineOffsets = new Int32Array(documents.length + 1);
		// Each acronym's definers as they come, rank then expansion number, in one list: most documents define a few.
		const definitions: number[] = [];
		for (let rank = 0; rank < documents.length; rank++) {
			const document = documents[rank]!;
			const { summary } = document;
			const { mentions } = summary;
			const { keys: own, definitions: defined } = document.keyNumbers();
			numbers.push(own);
			for (let base = 2; base < mentions.length; base += summaryMentionStride) counts[own[mentions[base]!]!]!++;
			if (defined.length) {
				const expansions = document.expansionNumbers();
				// The first definition of an acronym is what it means in the document.
				for (let position = 0; position < defined.length; position++) if (defined.indexOf(defined[position]!) === position) definitions.push(defined[position]!, rank, expansions[position]!);
			}
			lineOffsets[rank + 1] = lineOffsets[rank]! + lineStartsOnce(summary).length;
			if (rank % documentsPerStep === documentsPerStep - 1) {
				yield;
				if (this.storedGeneration !== generation) return;
			}
		}
		const arrays: Array<Int32Array | undefined> = [];
		const filled = new Int32Array(counts.length);
		counts.forEach((count, number) => count && (arrays[number] = new Int32Array(count * storedMentionStride)));
		const lineStarts = new Int32Array(lineOffsets[documents.length]!);
		for (let rank = 0; rank < documents.length; rank++) {
			const { summary } = documents[rank]!;
			const { mentions } = summary;
			lineStarts.set(lineStartsOnce(summary), lineOffsets[rank]!);
			const own = numbers[rank]!;
			for (let base = 0; base < mentions.length; base += summaryMentionStride) {
				const number = own[mentions[base + 2]!]!;
				const array = arrays[number]!;
				const at = filled[number]!;
				array[at] = rank;
				array[at + 1] = mentions[base]!;
				array[at + 2] = mentions[base + 1]!;
				array[at + 3] = mentions[base + 3]!;
				filled[number] = at + storedMentionStride;
			}
			if (rank % documentsPerStep === documentsPerStep - 1) {
				yield;
				if (this.storedGeneration !== generation) return;
			}
		}
		const byKey = new Map<string, Int32Array>();
		arrays.forEach((array, number) => array && byKey.set(numberedKey(number), array));
		this.storedMentionTable = { generation, documents, ids, byKey, definers: groupDefiners(definitions), lineStarts, lineOffsets };
	}

	/** The documents mentioning any of the entity ids or acronyms, earliest first: for when `storedMentions` is not worth building. */
	documentsMentioning(keys: readonly string[]): DocumentAnalysis[] {
		this.post();
		const found = new Set<DocumentAnalysis>();
		for (const key of keys) for (const set of [this.entityMentions.get(key), this.acronymMentions.get(key)]) for (const document of this.documentsIn(set)) found.add(document);
		return [...found].sort(compareDocuments);
	}

	/** Whether the document with this number defines the acronym. */
	defines(id: number, acronym: string): boolean {
		this.post();
		return this.acronymDefinitions.get(acronym)?.has(id) ?? false;
	}

	/** The open (not stored) documents mentioning any of the keys, earliest first. */
	liveDocumentsMentioning(keys: readonly string[]): DocumentAnalysis[] {
		this.post();
		const sets = keys.flatMap((key) => [this.entityMentions.get(key), this.acronymMentions.get(key)]).filter((set) => set !== undefined);
		return [...this.live].filter((document) => sets.some((set) => set.has(this.ids.get(document.uri)!))).sort(compareDocuments);
	}

	/** The open (not stored) documents that define the acronym, earliest first. */
	liveDefiners(acronym: string): DocumentAnalysis[] {
		this.post();
		const set = this.acronymDefinitions.get(acronym);
		if (!set) return [];
		return [...this.live].filter((document) => set.has(this.ids.get(document.uri)!)).sort(compareDocuments);
	}

	/** The stored documents, earliest first, with their numbers; sorted once per `storedGeneration`. */
	private storedInOrder(): { readonly documents: readonly StoredAnalysis[]; readonly ids: Int32Array } {
		if (this.storedOrder?.generation !== this.storedGeneration) {
			// Shadowed documents too: the tables built on this order stay valid while files are opened and closed.
			const documents: StoredAnalysis[] = [...this.shadowed.values()];
			for (const document of this.documents.values()) if (document instanceof StoredAnalysis) documents.push(document);
			documents.sort(compareDocuments);
			this.storedOrder = { generation: this.storedGeneration, documents, ids: Int32Array.from(documents, (document) => this.ids.get(document.uri)!) };
		}
		return this.storedOrder;
	}

	private documentsIn(set: DocumentSet | undefined): DocumentAnalysis[] {
		if (!set) return [];
		const result: DocumentAnalysis[] = [];
		for (const id of set) result.push(this.documents.get(this.uris[id]!)!);
		return result;
	}

	/** Every definition of the acronym in the corpus, earliest statement first (undated documents last). */
	definitionsOf(acronym: string): readonly DefinitionReference[] {
		let sorted = this.sortedDefinitions.get(acronym);
		if (!sorted) this.sortedDefinitions.set(acronym, (sorted = this.collectDefinitions(acronym)));
		return sorted;
	}

	/**
	 * The definitions of the acronym in the same order as `definitionsOf`, produced lazily: a
	 * caller that wants the first few reads only the first few defining documents. `accept`
	 * (by document and expansion) filters them before any record is read.
	 */
	*definitionsInOrder(acronym: string, accept: (document: DocumentAnalysis, expansion: string) => boolean = () => true): Generator<DefinitionReference> {
		for (const document of this.definers(acronym)) {
			// A stored document's record is read only when its summary holds a definition the caller accepts.
			if (document instanceof StoredAnalysis) {
				const { definitionKeys, definitionExpansions } = document.summary;
				if (!definitionKeys.some((key, position) => key === acronym && accept(document, definitionExpansions[position]!))) continue;
			}
			const own = document.definitions.filter((definition) => definition.key === acronym).sort((a, b) => a.acronymSpan.start - b.acronymSpan.start);
			for (const definition of own) if (accept(document, definition.expansion)) yield { document, definition };
		}
	}

	/**
	 * The expansions of the acronym's definitions, in the order of `definitionsOf`; a stored
	 * document's come from its summary, so no record is read.
	 */
	*definitionExpansions(acronym: string): Generator<string> {
		for (const document of this.definers(acronym)) {
			if (document instanceof StoredAnalysis) {
				const { definitionKeys, definitionExpansions } = document.summary;
				for (let position = 0; position < definitionKeys.length; position++) if (definitionKeys[position] === acronym) yield definitionExpansions[position]!;
			} else {
				const own = document.definitions.filter((definition) => definition.key === acronym).sort((a, b) => a.acronymSpan.start - b.acronymSpan.start);
				for (const definition of own) yield definition.expansion;
			}
		}
	}

	private collectDefinitions(acronym: string): DefinitionReference[] {
		this.post();
		const references: DefinitionReference[] = [];
		for (const document of this.documentsIn(this.acronymDefinitions.get(acronym))) {
			for (const definition of document.definitions) if (definition.key === acronym) references.push({ document, definition });
		}
		return references.sort((a, b) => compareDocuments(a.document, b.document) || a.definition.acronymSpan.start - b.definition.acronymSpan.start);
	}

	/**
	 * The documents defining the acronym, earliest first, produced lazily: the stored ones in
	 * the order sorted once per `storedGeneration`, tested against the acronym's bitset, with
	 * the open ones merged in. An acronym defined in thousands of documents costs no sort, and a
	 * walk that stops at the first definition reads no further.
	 */
	private *definers(acronym: string): Generator<DocumentAnalysis> {
		this.post();
		const set = this.acronymDefinitions.get(acronym);
		if (!set) return;
		// A rare acronym: sorting its few documents beats walking the whole corpus. The sorted list is
		// kept: at 50,000 statements "few" is up to three thousand, and sorting them again for every
		// hover on the acronym took milliseconds.
		if (set.size * 16 < this.documents.size) {
			let sorted = this.sortedDefiners.get(acronym);
			if (!sorted) this.sortedDefiners.set(acronym, (sorted = this.documentsIn(set).sort(compareDocuments)));
			yield* sorted;
			return;
		}
		const open = this.liveDefiners(acronym);
		let nextOpen = 0;
		const { documents, ids } = this.storedInOrder();
		for (let position = 0; position < documents.length; position++) {
			if (!set.has(ids[position]!)) continue;
			const document = documents[position]!;
			if (!this.isCurrentAt(ids[position]!, document)) continue;
			while (nextOpen < open.length && compareDocuments(open[nextOpen]!, document) < 0) yield open[nextOpen++]!;
			yield document;
		}
		while (nextOpen < open.length) yield open[nextOpen++]!;
	}

	/** Acronyms defined somewhere in the corpus. */
	definedAcronyms(): IterableIterator<string> {
		this.post();
		return this.acronymDefinitions.keys();
	}
}

/** A document's keys by process-wide number (`keyNumber`). */
/** The key numbers a document is filed under: `keys` holds its entity keys, then (from `entityCount`) its acronym keys, each once. */
interface DocumentKeys {
	readonly isStatement: boolean;
	readonly keys: ArrayLike<number>;
	readonly entityCount: number;
	readonly definitions: ArrayLike<number>;
}

/**
 * An open document's keys, made once per analysis: a long draft has tens of thousands of mentions
 * to walk, and its previous analysis's keys are needed again when the next one replaces it.
 */
const liveKeys = new WeakMap<DocumentAnalysis, DocumentKeys>();

/**
 * Records that `next` mentions and defines exactly what `previous` does (an edit only moved
 * them; see `IncrementalAnalysis`), so filing `next` in place of `previous` leaves the postings be.
 */
export function sameKeysAs(next: DocumentAnalysis, previous: DocumentAnalysis): void {
	const keys = liveKeys.get(previous);
	if (keys) liveKeys.set(next, keys);
}

/** What the inverted maps file a document under; a stored document's numbers come without unpacking or copying. */
function keysOf(analysis: DocumentAnalysis): DocumentKeys {
	if (analysis instanceof StoredAnalysis) {
		const { keys, entityCount, definitions } = analysis.keyNumbers();
		return { isStatement: analysis.summary.isStatement, keys, entityCount, definitions };
	}
	let keys = liveKeys.get(analysis);
	if (!keys) liveKeys.set(analysis, (keys = liveKeysOf(analysis)));
	return keys;
}

function liveKeysOf(analysis: DocumentAnalysis): DocumentKeys {
	const entities = new Set<number>();
	const acronyms = new Set<number>();
	for (let mentionIndex = 0; mentionIndex < analysis.mentions.length; mentionIndex++) {
		const mention = analysis.mentions[mentionIndex]!;
		if (mention.entityId !== undefined) entities.add(keyNumber(mention.entityId));
		if (mention.acronym !== undefined) acronyms.add(keyNumber(mention.acronym));
	}
	const definitions = [...new Set(analysis.definitions.map((definition) => keyNumber(definition.key)))];
	return { isStatement: analysis.parsed.isStatement, keys: [...entities, ...acronyms], entityCount: entities.size, definitions };
}

/** Earliest date first; undated documents after dated ones, then by URI for a stable order. */
export function compareDocuments(a: DocumentAnalysis, b: DocumentAnalysis): number {
	const dateA = a.date?.iso;
	const dateB = b.date?.iso;
	if (dateA !== dateB) {
		if (dateA === undefined) return 1;
		if (dateB === undefined) return -1;
		return dateA < dateB ? -1 : 1;
	}
	return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}
