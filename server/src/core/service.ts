// The language service: hover, definition, references and symbols over the corpus index.
// It knows nothing of LSP; results are plain records with URIs and offsets, converted to
// protocol types at the boundary (server/src/lsp/convert.ts).
import { type DocumentAnalysis, type LocatedMention, type MinedDefinition } from './analysis';
import { compareDocuments, storedMentionStride, type CorpusIndex, type DefinitionReference } from './corpusIndex';
import type { Entity } from './glossary';
import { foldText } from './characters';
import type { Lexicon } from './recognizer';
import { numberedKey, StoredAnalysis, summaryMentionStride } from './storedAnalysis';
import { createResolver, ownExpansionOf, type Referent } from './resolver';

export type { Referent } from './resolver';
import type { Span } from './types';

export interface ResolvedMention {
	readonly mention: LocatedMention;
	readonly referent: Referent;
}

export interface HoverResult {
	readonly span: Span;
	/** Markdown; text taken from documents is escaped. */
	readonly markdown: string;
}

export interface DefinitionTarget {
	readonly uri: string;
	/** The whole paragraph (or glossary entry) the definition stands in. */
	readonly span: Span;
	/** The defining phrase or mention inside it. */
	readonly selectionSpan: Span;
	/** The mention the request was made on. */
	readonly originSpan: Span;
	readonly reason: 'document-definition' | 'corpus-definition' | 'mention' | 'glossary';
}

export interface ReferenceLocation {
	readonly uri: string;
	readonly span: Span;
}

/**
 * One document's mentions of a name, as `forEachReference` hands them over: numbers read where
 * they lie (a stored document's from the corpus table), so no object is made per mention or per
 * document. Valid only during the call: the same object is filled again for the next document.
 */
export interface MentionRun {
	readonly document: DocumentAnalysis;
	/** The document's number in the index (`CorpusIndex.idOf`): a URI keeps its number for the index's life. */
	readonly id: number;
	/** The document's line starts: `lineStarts[lineFrom]` … `lineStarts[lineTo - 1]`. */
	readonly lineStarts: Int32Array;
	readonly lineFrom: number;
	readonly lineTo: number;
	/** The mentions in document order: for `at` from `from` below `to` by `stride`, one from `spans[at]` to `spans[at + 1]`, in paragraph `spans[at + 2]`. */
	readonly spans: Int32Array;
	readonly from: number;
	readonly to: number;
	readonly stride: number;
}

export interface DocumentSymbol {
	readonly name: string;
	readonly detail?: string;
	readonly kind: 'field' | 'paragraph';
	readonly span: Span;
	readonly selectionSpan: Span;
}

export interface WorkspaceSymbol {
	readonly name: string;
	readonly containerName: string;
	readonly entityKind: string;
	readonly uri: string;
	readonly span: Span;
}

export interface LanguageServiceOptions {
	/** The lexicon in force; read on every call so a reloaded glossary takes effect at once. */
	readonly getLexicon: () => Lexicon;
	readonly index: CorpusIndex;
	/**
	 * Whether the corpus has settled (indexing finished, no burst of file changes under way).
	 * While it has, corpus-wide figures come from a table built once per corpus version; while
	 * it has not, they are counted at each request. Without this option they are always counted.
	 */
	readonly isCorpusSettled?: () => boolean;
	/**
	 * Whether the corpus-wide tables are built only by `preparation`, step by step, as the server
	 * does so that no question waits for them: until they are complete, questions count as while
	 * the corpus is changing. Otherwise the first question after a change builds them.
	 */
	readonly tablesInSteps?: boolean;
}

/** How often a referent is mentioned: documents, and distinct paragraphs summed over them. */
interface MentionCounts {
	statements: number;
	others: number;
	paragraphs: number;
}

/** Corpus-wide figures over the stored documents, valid for one `storedGeneration` of the index. */
interface CorpusTable {
	readonly generation: number;
	/** By referent key (see `referentKey`). */
	readonly counts: ReadonlyMap<string, MentionCounts>;
	/** Acronyms absent from the glossary whose earliest corpus definition names an entity, by entity id. */
	readonly corpusAcronyms: ReadonlyMap<string, readonly string[]>;
}

function referentKey(referent: Referent): string {
	return referent.kind === 'entity' ? `entity:${referent.entity.id}` : `mined:${referent.acronym}`;
}

export interface LanguageService {
	resolveAt(uri: string, offset: number): ResolvedMention | undefined;
	getHover(uri: string, offset: number): HoverResult | undefined;
	getDefinition(uri: string, offset: number): DefinitionTarget[];
	findReferences(uri: string, offset: number): ReferenceLocation[];
	/**
	 * What `findReferences` lists, handed over document by document with the document's line
	 * starts: for a caller that makes its own locations, without an object per mention in between.
	 */
	forEachReference(uri: string, offset: number, visit: (run: MentionRun) => void): void;
	getDocumentSymbols(uri: string): DocumentSymbol[];
	getWorkspaceSymbols(query: string, limit?: number): WorkspaceSymbol[];
	getSemanticTokens(uri: string): SemanticToken[];
	/** Whether the corpus has settled and its tables are built for the stored documents as they are. */
	hasTables(): boolean;
	/**
	 * Builds the corpus-wide tables, if the corpus has settled and they are out of date, a slice
	 * of documents per step (500 unless told); it stops when the corpus changes meanwhile.
	 */
	preparation(documentsPerStep?: number): Generator<void, void, undefined>;
}

/** Token types, one per family of entity kinds; declared in package.json in this order. */
export const semanticTokenTypes = ['agency', 'organization', 'program', 'treaty', 'initiative', 'acronym'] as const;
/** Token modifiers, declared in package.json in this order. */
export const semanticTokenModifiers = ['abbreviation', 'outdated', 'definition'] as const;

export type SemanticTokenType = (typeof semanticTokenTypes)[number];
export type SemanticTokenModifier = (typeof semanticTokenModifiers)[number];

export interface SemanticToken {
	readonly span: Span;
	readonly type: SemanticTokenType;
	readonly modifiers: readonly SemanticTokenModifier[];
}

const tokenTypeOfKind: Record<string, SemanticTokenType> = {
	agency: 'agency', ministry: 'agency', department: 'agency', office: 'agency', council: 'agency', legislature: 'agency', court: 'agency', military: 'agency',
	organization: 'organization', forum: 'organization', dialogue: 'organization',
	program: 'program', mission: 'program', spacecraft: 'program', system: 'program', facility: 'program',
	treaty: 'treaty', agreement: 'treaty',
	initiative: 'initiative', strategy: 'initiative', concept: 'initiative', document: 'initiative', term: 'initiative',
};

/** Documents counted per step while the corpus table is built (`preparation`). */
const corpusTableSlice = 500;

/** The most places go-to-definition offers when it falls back to mentions. */
const maximumMentionTargets = 20;

export function createLanguageService(options: LanguageServiceOptions): LanguageService {
	const { index } = options;
	const { resolveAcronym, resolveMention } = createResolver(options.getLexicon, index);

	function mentionAt(document: DocumentAnalysis, offset: number): LocatedMention | undefined {
		const mentions = document.mentions;
		let low = 0;
		let high = mentions.length - 1;
		while (low <= high) {
			const middle = (low + high) >> 1;
			const mention = mentions[middle]!;
			if (offset < mention.start) high = middle - 1;
			else if (offset > mention.end) low = middle + 1;
			else if (offset === mention.end && middle + 1 < mentions.length && mentions[middle + 1]!.start === offset) low = middle + 1;
			else return mention;
		}
		return undefined;
	}

	function resolveAt(uri: string, offset: number): ResolvedMention | undefined {
		const document = index.get(uri);
		if (!document) return undefined;
		const mention = mentionAt(document, offset);
		if (!mention) return undefined;
		const referent = resolveMention(mention, document);
		return referent ? { mention, referent } : undefined;
	}

	let corpusTable: CorpusTable | undefined;

	/** The corpus-wide table, built when the corpus has settled and its stored documents changed since the last one. */
	function settledTable(): CorpusTable | undefined {
		if (!options.isCorpusSettled?.()) return undefined;
		if (corpusTable?.generation !== index.storedGeneration) {
			if (options.tablesInSteps) return undefined;
			corpusTable = buildCorpusTable();
		}
		return corpusTable;
	}

	/** Whether mentions are read from `CorpusIndex.storedMentions` rather than gathered document by document. */
	function useStoredMentions(): boolean {
		return options.isCorpusSettled?.() !== false && (!options.tablesInSteps || index.hasStoredMentions());
	}

	/** Acronyms defined in the corpus (absent from the glossary) whose earliest definition is one of an entity's names. */
	function collectCorpusAcronyms(): Map<string, string[]> {
		const lexicon = options.getLexicon();
		const byEntity = new Map<string, string[]>();
		for (const acronym of index.definedAcronyms()) {
			if (lexicon.acronymEntities.has(acronym)) continue;
			const first = index.definitionsOf(acronym)[0];
			const entity = first && lexicon.entityByFoldedName.get(foldText(first.definition.expansion));
			if (!entity) continue;
			let list = byEntity.get(entity.id);
			if (!list) byEntity.set(entity.id, (list = []));
			list.push(acronym);
		}
		return byEntity;
	}

	/**
	 * One pass over the stored documents' packed mentions, resolving each as `resolveMention`
	 * would: what an acronym means in a document depends only on the document's own first
	 * definition of it (in its summary), so resolutions are shared between documents.
	 */
	function buildCorpusTable(): CorpusTable {
		let table: CorpusTable | undefined;
		for (const built of corpusTableSteps()) table = built;
		return table!;
	}

	/** Builds the corpus table a slice of documents at a time; the last step gives it, unless the stored documents changed meanwhile. */
	function* corpusTableSteps(documentsPerStep = corpusTableSlice): Generator<CorpusTable | undefined, void, undefined> {
		const generation = index.storedGeneration;
		const corpusAcronyms = collectCorpusAcronyms();
		const documents = index.storedDocuments();
		const counts = new Map<string, MentionCounts>();
		for (let start = 0; start < documents.length; start += documentsPerStep) {
			if (start > 0) {
				yield undefined;
				if (index.storedGeneration !== generation) return;
			}
			countMentions(documents.slice(start, start + documentsPerStep), corpusAcronyms, counts);
		}
		yield { generation, counts, corpusAcronyms };
	}

	let liveTable: { generation: number; counts: ReadonlyMap<string, MentionCounts> } | undefined;

	/** The mention counts of the documents the corpus table leaves out (open documents), for one version of the index. */
	function liveCounts(corpusAcronyms: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, MentionCounts> {
		if (liveTable?.generation !== index.generation) {
			// The corpus table still counts the stored documents that open ones stand in for: take them off.
			const counts = countMentions(index.liveDocuments(), corpusAcronyms);
			liveTable = { generation: index.generation, counts: countMentions(index.shadowedDocuments(), corpusAcronyms, counts, -1) };
		}
		return liveTable.counts;
	}

	/** Adds (or, with `sign` -1, takes off) every referent's mentions in the documents. */
	function countMentions(documents: Iterable<DocumentAnalysis>, corpusAcronyms: ReadonlyMap<string, readonly string[]>, counts = new Map<string, MentionCounts>(), sign = 1): Map<string, MentionCounts> {
		const lexicon = options.getLexicon();
		const resolutions = new Map<string, Map<string | undefined, string | undefined>>();
		const resolveKey = (acronym: string, ownExpansion: string | undefined): string | undefined => {
			let byExpansion = resolutions.get(acronym);
			if (!byExpansion) resolutions.set(acronym, (byExpansion = new Map()));
			if (byExpansion.has(ownExpansion)) return byExpansion.get(ownExpansion);
			const referent = resolveAcronym(acronym, ownExpansion === undefined ? undefined : definingStandIn(acronym, ownExpansion));
			// As in mentionsOf: an acronym counts for an entity only when it is one the entity is written as.
			const writtenAs = referent?.kind !== 'entity' || lexicon.acronymEntities.get(acronym)?.includes(referent.entity) || corpusAcronyms.get(referent.entity.id)?.includes(acronym);
			const key = referent && writtenAs ? referentKey(referent) : undefined;
			byExpansion.set(ownExpansion, key);
			return key;
		};
		const referentOf = (key: string, isAcronym: boolean, own: ReadonlyMap<string, string>) =>
			isAcronym ? resolveKey(key, own.get(key)) : lexicon.glossary.entities.has(key) ? `entity:${key}` : undefined;
		const add = (referent: string, isStatement: boolean, paragraphs: number) => {
			let entry = counts.get(referent);
			if (!entry) counts.set(referent, (entry = { statements: 0, others: 0, paragraphs: 0 }));
			if (isStatement) entry.statements += sign;
			else entry.others += sign;
			entry.paragraphs += sign * paragraphs;
		};
		for (const document of documents) {
			if (document instanceof StoredAnalysis) {
				countStored(document, referentOf, add);
				continue;
			}
			const own = new Map<string, string>();
			for (const definition of document.definitions) if (!own.has(definition.key)) own.set(definition.key, definition.expansion);
			const paragraphs = new Map<string, Set<number>>();
			for (const mention of document.mentions) {
				const referent = referentOf(mention.entityId ?? mention.acronym!, mention.entityId === undefined, own);
				if (referent === undefined) continue;
				let set = paragraphs.get(referent);
				if (!set) paragraphs.set(referent, (set = new Set()));
				set.add(mention.paragraph);
			}
			for (const [referent, set] of paragraphs) add(referent, document.parsed.isStatement, set.size);
		}
		return counts;
	}

	/**
	 * A stored document's share of `countMentions`, from its summary: each of its keys is
	 * resolved once, not each mention, and since mentions come in document order, a referent's
	 * paragraphs are counted by noting when its paragraph changes.
	 */
	function countStored(
		document: StoredAnalysis,
		referentOf: (key: string, isAcronym: boolean, own: ReadonlyMap<string, string>) => string | undefined,
		add: (referent: string, isStatement: boolean, paragraphs: number) => void,
	): void {
		const { summary } = document;
		const own = new Map<string, string>();
		summary.definitionKeys.forEach((key, position) => own.has(key) || own.set(key, summary.definitionExpansions[position]!));
		const { keys, entityCount } = document.keyNumbers();
		// Each key's referent as a slot; keys meaning the same referent share one.
		const slots = new Map<string, number>();
		const slotOfCode = new Int32Array(keys.length).fill(-1);
		for (let code = 0; code < keys.length; code++) {
			const referent = referentOf(numberedKey(keys[code]!), code >= entityCount, own);
			if (referent === undefined) continue;
			let slot = slots.get(referent);
			if (slot === undefined) slots.set(referent, (slot = slots.size));
			slotOfCode[code] = slot;
		}
		const lastParagraph = new Int32Array(slots.size).fill(-1);
		const paragraphs = new Int32Array(slots.size);
		const { mentions } = summary;
		for (let base = 0; base < mentions.length; base += summaryMentionStride) {
			const slot = slotOfCode[mentions[base + 2]!]!;
			if (slot === -1) continue;
			const paragraph = mentions[base + 3]!;
			if (lastParagraph[slot] === paragraph) continue;
			lastParagraph[slot] = paragraph;
			paragraphs[slot]!++;
		}
		for (const [referent, slot] of slots) if (paragraphs[slot]! > 0) add(referent, summary.isStatement, paragraphs[slot]!);
	}

	/** Acronyms under which a referent may be written. */
	function acronymsOf(referent: Referent): string[] {
		if (referent.kind === 'mined') return [referent.acronym];
		const lexicon = options.getLexicon();
		const keys = new Set<string>();
		for (const [key, entities] of lexicon.acronymEntities) if (entities.includes(referent.entity)) keys.add(key);
		// An acronym defined in the corpus with one of the entity's names, absent from the glossary ("CLDs").
		const table = settledTable();
		const corpusAcronyms = table ? table.corpusAcronyms.get(referent.entity.id) ?? [] : collectCorpusAcronyms().get(referent.entity.id) ?? [];
		for (const acronym of corpusAcronyms) keys.add(acronym);
		return [...keys];
	}

	/**
	 * Every mention of the referent, document by document, earliest document first, visited until
	 * `visit` returns false, so a caller that wants the first few mentions reads only the first few
	 * documents. A stored document's mentions and line starts come from the corpus table (or its
	 * summary while there is none) and are handed over where they lie: a common name has a hundred
	 * thousand mentions in tens of thousands of documents, and no object is made for either.
	 */
	function mentionsInOrder(referent: Referent, visit: (run: MentionRun) => boolean | void): void {
		const acronyms = acronymsOf(referent);
		const target = referentKey(referent);
		const entityIds = referent.kind === 'entity' ? [referent.entity.id] : [];
		// What each acronym means in a document that does not define it: the same in most documents.
		const usual = new Set(acronyms.filter((acronym) => acronymReferentKey(acronym, undefined) === target));
		const means = (document: DocumentAnalysis, acronym: string, defined: boolean) => (defined ? acronymReferentKey(acronym, ownExpansionOf(document, acronym)) === target : usual.has(acronym));
		const run = new FilledRun();
		const visitOpen = (document: DocumentAnalysis) => {
			const keys = [...entityIds, ...acronyms.filter((acronym) => means(document, acronym, index.defines(index.idOf(document.uri), acronym)))];
			const mentions = openMentionsWithKeys(document, keys);
			if (mentions.length === 0) return true;
			const spans = run.room(mentions.length);
			for (let position = 0; position < mentions.length; position++) {
				const mention = mentions[position]!;
				spans[position * 3] = mention.start;
				spans[position * 3 + 1] = mention.end;
				spans[position * 3 + 2] = mention.paragraph;
			}
			const lineStarts = openLineStarts(document);
			return visit(run.fill(document, index.idOf(document.uri), lineStarts, 0, lineStarts.length, spans, 0, mentions.length * 3, 3));
		};
		// While the corpus is still changing, the table would be rebuilt for every request: walk the documents instead.
		if (!useStoredMentions()) {
			for (const document of index.documentsMentioning([...entityIds, ...acronyms])) {
				if (!(document instanceof StoredAnalysis)) {
					if (visitOpen(document) === false) return;
					continue;
				}
				const id = index.idOf(document.uri);
				const keys = [...entityIds, ...acronyms.filter((acronym) => means(document, acronym, index.defines(id, acronym)))];
				const count = summaryMentionsWithKeys(document, keys, run);
				const { lineStarts } = document.summary;
				if (count && visit(run.fill(document, id, lineStarts, 0, lineStarts.length, run.scratch, 0, count * 3, 3)) === false) return;
			}
			return;
		}
		const table = index.storedMentions();
		const sources = [...entityIds.map((key) => ({ key, isAcronym: false })), ...acronyms.map((key) => ({ key, isAcronym: true }))].flatMap(({ key, isAcronym }) => {
			const entries = table.byKey.get(key);
			if (!entries) return [];
			// An acronym means the name in a document that defines it by that definition's expansion; elsewhere, as it usually does.
			const source: MentionSource = { key, entries, next: 0, usual: !isAcronym || usual.has(key), definers: (isAcronym && table.definers.get(key)) || noNumbers, nextDefiner: 0, meanings: new Map(), from: 0, to: 0 };
			return [source];
		});
		/** Whether the acronym means the name in a document whose first definition of it has this expansion: asked once per expansion, not per document. */
		const meansExpansion = (source: MentionSource, expansion: number) => {
			let meaning = source.meanings.get(expansion);
			if (meaning === undefined) source.meanings.set(expansion, (meaning = acronymReferentKey(source.key, numberedKey(expansion)) === target));
			return meaning;
		};
		const currentRanks = index.currentRanks(table);
		const open = index.liveDocumentsMentioning([...entityIds, ...acronyms]);
		// Where each open document falls among the stored ones: the first rank it goes before.
		const openRanks = open.map((document) => firstRankAfter(table.documents, document));
		let nextOpen = 0;
		// The sources with mentions in the document at hand: the first `keptCount`. Reused, not emptied: setting an array's length to 0 drops its storage, and a push then makes new storage, for every document.
		const kept: MentionSource[] = [];
		let keptCount = 0;
		// Merges the keys' entries, which are in document order, a document at a time.
		// Indexed loops, not `for…of`: an iterator made per document is megabytes of garbage per answer for a common name.
		for (;;) {
			let rank = Number.MAX_SAFE_INTEGER;
			for (let index = 0; index < sources.length; index++) {
				const source = sources[index]!;
				if (source.next < source.entries.length) rank = Math.min(rank, source.entries[source.next]!);
			}
			if (rank === Number.MAX_SAFE_INTEGER) break;
			const document = table.documents[rank]!;
			const id = table.ids[rank]!;
			// A stored document an open one stands in for: the open one is visited instead.
			const current = currentRanks[rank] === 1;
			if (current) while (nextOpen < open.length && openRanks[nextOpen]! <= rank) if (visitOpen(open[nextOpen++]!) === false) return;
			keptCount = 0;
			for (let index = 0; index < sources.length; index++) {
				const source = sources[index]!;
				const { entries } = source;
				if (source.next >= entries.length || entries[source.next] !== rank) continue;
				source.from = source.next;
				while (source.next < entries.length && entries[source.next] === rank) source.next += storedMentionStride;
				source.to = source.next;
				if (!current) continue;
				const { definers } = source;
				let definer = source.nextDefiner;
				while (definer < definers.length && definers[definer]! < rank) definer += 2;
				source.nextDefiner = definer;
				if (definer < definers.length && definers[definer] === rank ? meansExpansion(source, definers[definer + 1]!) : source.usual) kept[keptCount++] = source;
			}
			if (keptCount === 0) continue;
			const lineFrom = table.lineOffsets[rank]!;
			const lineTo = table.lineOffsets[rank + 1]!;
			// One key's mentions are handed over where they lie in the table (start, end and paragraph after the rank).
			if (keptCount === 1) {
				const only = kept[0]!;
				if (visit(run.fill(document, id, table.lineStarts, lineFrom, lineTo, only.entries, only.from + 1, only.to + 1, storedMentionStride)) === false) return;
				continue;
			}
			// Several keys' (an entity's name and its acronym): merged by start, as they stand in the document.
			let count = 0;
			for (let index = 0; index < keptCount; index++) count += (kept[index]!.to - kept[index]!.from) / storedMentionStride;
			const spans = run.room(count);
			for (let at = 0; at < count * 3; at += 3) {
				let earliest: MentionSource | undefined;
				for (let index = 0; index < keptCount; index++) {
					const source = kept[index]!;
					if (source.from < source.to && (earliest === undefined || source.entries[source.from + 1]! < earliest.entries[earliest.from + 1]!)) earliest = source;
				}
				const { entries, from } = earliest!;
				spans[at] = entries[from + 1]!;
				spans[at + 1] = entries[from + 2]!;
				spans[at + 2] = entries[from + 3]!;
				earliest!.from = from + storedMentionStride;
			}
			if (visit(run.fill(document, id, table.lineStarts, lineFrom, lineTo, spans, 0, count * 3, 3)) === false) return;
		}
		for (; nextOpen < open.length; nextOpen++) if (visitOpen(open[nextOpen]!) === false) return;
	}

	/** An open document's line starts as numbers in a row, made once per analysis. */
	const openLineStartColumns = new WeakMap<DocumentAnalysis, Int32Array>();

	function openLineStarts(document: DocumentAnalysis): Int32Array {
		let column = openLineStartColumns.get(document);
		if (!column) openLineStartColumns.set(document, (column = Int32Array.from(document.lineStarts)));
		return column;
	}

	/** An open document's mentions by key, made once per analysis: a long draft has tens of thousands. */
	const mentionsByKey = new WeakMap<DocumentAnalysis, Map<string, LocatedMention[]>>();

	/** The open document's mentions with these keys, in document order. */
	function openMentionsWithKeys(document: DocumentAnalysis, keys: readonly string[]): LocatedMention[] {
		let byKey = mentionsByKey.get(document);
		if (!byKey) {
			byKey = new Map();
			for (const mention of document.mentions) {
				const key = mention.entityId ?? mention.acronym!;
				let list = byKey.get(key);
				if (!list) byKey.set(key, (list = []));
				list.push(mention);
			}
			mentionsByKey.set(document, byKey);
		}
		const lists = keys.flatMap((key) => byKey.get(key) ?? []);
		return keys.length > 1 ? lists.sort((a, b) => a.start - b.start) : lists;
	}

	let resolutions: { lexicon: Lexicon; generation: number; keys: Map<string, Map<string | undefined, string | undefined>> } | undefined;

	/**
	 * The referent key (see `referentKey`) of an acronym in a document whose own first
	 * definition of it has the expansion `ownExpansion` (undefined: it has none), as
	 * `resolveAcronym` gives it. Remembered for one glossary and index version.
	 */
	function acronymReferentKey(acronym: string, ownExpansion: string | undefined): string | undefined {
		const lexicon = options.getLexicon();
		if (resolutions?.lexicon !== lexicon || resolutions.generation !== index.generation) resolutions = { lexicon, generation: index.generation, keys: new Map() };
		let byExpansion = resolutions.keys.get(acronym);
		if (!byExpansion) resolutions.keys.set(acronym, (byExpansion = new Map()));
		if (byExpansion.has(ownExpansion)) return byExpansion.get(ownExpansion);
		const referent = resolveAcronym(acronym, ownExpansion === undefined ? undefined : definingStandIn(acronym, ownExpansion));
		const key = referent && referentKey(referent);
		byExpansion.set(ownExpansion, key);
		return key;
	}

	/**
	 * The earliest corpus definition of the referent, and the earliest outside `exceptUri`:
	 * what hover and go-to-definition cite. Walks each acronym's definitions in order and stops
	 * at the first that means the referent outside that document, so it reads a few defining
	 * documents, not all of them.
	 */
	function earliestDefinitions(referent: Referent, exceptUri?: string): { any?: DefinitionReference; other?: DefinitionReference } {
		const byOrder = (a: DefinitionReference, b: DefinitionReference) => compareDocuments(a.document, b.document) || a.definition.acronymSpan.start - b.definition.acronymSpan.start;
		const earliest = (candidates: Array<DefinitionReference | undefined>) => candidates.filter((candidate) => candidate !== undefined).sort(byOrder)[0];
		if (referent.kind === 'mined') {
			// The first definition, and the first outside the document: usually the same, so one or two documents are read.
			let any: DefinitionReference | undefined;
			for (const reference of referent.definitionsInOrder()) {
				any ??= reference;
				if (reference.document.uri !== exceptUri) return { any, other: reference };
			}
			return { any };
		}
		const anyCandidates: Array<DefinitionReference | undefined> = [];
		const otherCandidates: Array<DefinitionReference | undefined> = [];
		const target = referentKey(referent);
		for (const acronym of acronymsOf(referent)) {
			const { first, second } = firstDefinitionsMeaning(acronym, target);
			anyCandidates.push(first);
			// The first outside `exceptUri`: the first, or else the first in another document than the first's.
			otherCandidates.push(first && first.document.uri !== exceptUri ? first : second);
		}
		return { any: earliest(anyCandidates), other: earliest(otherCandidates) };
	}

	let firstDefinitions: { lexicon: Lexicon; generation: number; byKey: Map<string, { first?: DefinitionReference; second?: DefinitionReference }> } | undefined;

	/**
	 * The acronym's first definition (in the order of `definitionsInOrder`) by which it means the
	 * referent with key `target`, and the first such in another document, remembered for one
	 * glossary and index version. Walking the definitions stops there, but an acronym that the
	 * earliest documents define otherwise walks many: at 50,000 statements, a hover on a name whose
	 * acronym thousands of documents give other meanings took milliseconds, every time.
	 */
	function firstDefinitionsMeaning(acronym: string, target: string): { first?: DefinitionReference; second?: DefinitionReference } {
		const lexicon = options.getLexicon();
		if (firstDefinitions?.lexicon !== lexicon || firstDefinitions.generation !== index.generation) firstDefinitions = { lexicon, generation: index.generation, byKey: new Map() };
		const key = `${acronym}\u0000${target}`;
		let found = firstDefinitions.byKey.get(key);
		if (found) return found;
		found = {};
		// What the acronym means in a document depends on the document's own first definition, which its summary has.
		const meansReferent = (document: DocumentAnalysis) => acronymReferentKey(acronym, ownExpansionOf(document, acronym)) === target;
		const documents = index.hasStoredMentions() ? definersFromTable(acronym, target, meansReferent) : undefined;
		const references = documents ? documents.flatMap((document) => firstOwnDefinition(document, acronym) ?? []) : index.definitionsInOrder(acronym, meansReferent);
		for (const reference of references) {
			if (!found.first) found.first = reference;
			else if (reference.document.uri !== found.first.document.uri) {
				found.second = reference;
				break;
			}
		}
		firstDefinitions.byKey.set(key, found);
		return found;
	}

	/**
	 * The first two documents by which the acronym means the referent with key `target`, in the
	 * order of `definitionsInOrder`, from the corpus table: its list of the acronym's defining
	 * documents with their first expansion's number, in rank order (the stored documents' date
	 * order), merged with the open documents defining it. Each expansion is resolved once, and no
	 * document is read but the two found.
	 */
	function definersFromTable(acronym: string, target: string, meansReferent: (document: DocumentAnalysis) => boolean): DocumentAnalysis[] {
		const table = index.storedMentions();
		const pairs = table.definers.get(acronym) ?? noNumbers;
		const current = index.currentRanks(table);
		const open = index.liveDefiners(acronym);
		const meanings = new Map<number, boolean>();
		const found: DocumentAnalysis[] = [];
		let nextOpen = 0;
		const consider = (document: DocumentAnalysis, means: boolean): boolean => {
			if (means) found.push(document);
			return found.length === 2;
		};
		for (let at = 0; at < pairs.length; at += 2) {
			const rank = pairs[at]!;
			if (current[rank] !== 1) continue;
			const document = table.documents[rank]!;
			while (nextOpen < open.length && compareDocuments(open[nextOpen]!, document) < 0) {
				const other = open[nextOpen++]!;
				if (consider(other, meansReferent(other))) return found;
			}
			const expansion = pairs[at + 1]!;
			let means = meanings.get(expansion);
			if (means === undefined) meanings.set(expansion, (means = acronymReferentKey(acronym, numberedKey(expansion)) === target));
			if (consider(document, means)) return found;
		}
		for (; nextOpen < open.length; nextOpen++) if (consider(open[nextOpen]!, meansReferent(open[nextOpen]!))) return found;
		return found;
	}

	/** The document's first definition of the acronym, as `definitionsInOrder` yields it first; none if its record has none (a damaged one). */
	function firstOwnDefinition(document: DocumentAnalysis, acronym: string): DefinitionReference | undefined {
		let first: DefinitionReference['definition'] | undefined;
		for (const definition of document.definitions) if (definition.key === acronym && (!first || definition.acronymSpan.start < first.acronymSpan.start)) first = definition;
		return first && { document, definition: first };
	}

	function paragraphSpan(document: DocumentAnalysis, paragraph: number, fallback: Span): Span {
		return document.parsed.paragraphs[paragraph - 1]?.span ?? fallback;
	}

	function getHover(uri: string, offset: number): HoverResult | undefined {
		const resolved = resolveAt(uri, offset);
		if (!resolved) return undefined;
		const document = index.get(uri)!;
		const { mention, referent } = resolved;
		const lines: string[] = [];
		const earliest = earliestDefinitions(referent, uri);
		if (referent.kind === 'entity') {
			const entity = referent.entity;
			const lexicon = options.getLexicon();
			const shortName = entity.preferred && entity.preferred !== entity.name ? entity.preferred : undefined;
			const heading = [`**${escapeMarkdown(shortName ?? entity.name)}**`];
			if (entity.acronyms.length) heading.push(`(${entity.acronyms.map(escapeMarkdown).join(', ')})`);
			if (entity.ja) heading.push(`· ${escapeMarkdown(entity.ja)}`);
			lines.push(heading.join(' '));
			if (shortName) lines.push(`Official name: ${escapeMarkdown(entity.name)}`);
			const facts = [`*${capitalize(entity.kind)}*`];
			if (entity.country) facts.push(escapeMarkdown(entity.country));
			const parent = entity.parent ? lexicon.glossary.entities.get(entity.parent) : undefined;
			if (parent) facts.push(`part of ${escapeMarkdown(parent.name)}`);
			lines.push(facts.join(' · '));
			lines.push(escapeMarkdown(entity.description));
			const history: string[] = [];
			if (entity.since) history.push(`${entity.kind === 'treaty' || entity.kind === 'agreement' ? 'Signed' : 'Since'} ${entity.since}`);
			if (entity.inForce) history.push(`in force ${entity.inForce}`);
			if (entity.until) {
				const successor = entity.successor ? lexicon.glossary.entities.get(entity.successor) : undefined;
				history.push(`until ${entity.until}${successor ? `, then ${escapeMarkdown(successor.name)}` : ''}`);
			}
			if (entity.articles) history.push(`${entity.articles} articles`);
			if (history.length) lines.push(capitalize(history.join('; ')) + '.');
			if (mention.article !== undefined) {
				const valid = entity.articles === undefined || mention.article <= entity.articles;
				lines.push(`Article ${mention.article}${entity.articles ? ` of ${entity.articles}` : ''}${valid ? '' : ' (the treaty has no such article)'}.`);
			}
		} else {
			lines.push(`**${escapeMarkdown(referent.expansion)}** (${escapeMarkdown(referent.acronym)})`);
			lines.push('*Acronym defined in the corpus*');
		}
		const own = mention.acronym !== undefined ? document.definitions.find((definition) => definition.key === mention.acronym) : undefined;
		if (own) lines.push(`Defined in this document: ${describePlace(document, own.paragraph)} as "${escapeMarkdown(own.expansion)}".`);
		const first = earliest.other ?? (own ? undefined : earliest.any);
		if (first) lines.push(`Defined in ${describeDocument(first.document)}, ${describePlace(first.document, first.definition.paragraph)}.`);
		lines.push(describeMentionCounts(mentionCountsOf(referent)));
		return { span: mention, markdown: lines.join('\n\n') };
	}

	function getDefinition(uri: string, offset: number): DefinitionTarget[] {
		const resolved = resolveAt(uri, offset);
		if (!resolved) return [];
		const document = index.get(uri)!;
		const { mention, referent } = resolved;
		const origin: Span = { start: mention.start, end: mention.end };
		const targets: DefinitionTarget[] = [];
		const own = mention.acronym !== undefined ? document.definitions.find((definition) => definition.key === mention.acronym) : undefined;
		if (own) targets.push(definitionTarget(document, own, origin, 'document-definition'));
		const corpus = earliestDefinitions(referent, uri).other;
		if (corpus) targets.push(definitionTarget(corpus.document, corpus.definition, origin, 'corpus-definition'));
		if (targets.length) return targets;
		// No statement defines it: offer the paragraphs that mention it, earliest first.
		const seen = new Set<string>();
		mentionsInOrder(referent, ({ document: other, spans, from, to, stride }) => {
			if (other.uri === uri) return true;
			for (let at = from; at < to; at += stride) {
				const paragraph = spans[at + 2]!;
				const key = `${other.uri}#${paragraph}`;
				if (seen.has(key)) continue;
				seen.add(key);
				const selectionSpan = { start: spans[at]!, end: spans[at + 1]! };
				targets.push({ uri: other.uri, span: paragraphSpan(other, paragraph, selectionSpan), selectionSpan, originSpan: origin, reason: 'mention' });
				if (targets.length >= maximumMentionTargets) return false;
			}
			return true;
		});
		if (targets.length >= maximumMentionTargets) return targets;
		if (targets.length === 0 && referent.kind === 'entity') {
			const entryOrigin = referent.entity.origin;
			targets.push({ uri: entryOrigin.uri, span: entryOrigin.span, selectionSpan: entryOrigin.span, originSpan: origin, reason: 'glossary' });
		}
		return targets;
	}

	function definitionTarget(document: DocumentAnalysis, definition: MinedDefinition, origin: Span, reason: DefinitionTarget['reason']): DefinitionTarget {
		const selectionSpan = definition.phraseSpan;
		return { uri: document.uri, span: paragraphSpan(document, definition.paragraph, selectionSpan), selectionSpan, originSpan: origin, reason };
	}

	function findReferences(uri: string, offset: number): ReferenceLocation[] {
		const locations: ReferenceLocation[] = [];
		forEachReference(uri, offset, ({ document, spans, from, to, stride }) => {
			for (let at = from; at < to; at += stride) locations.push({ uri: document.uri, span: { start: spans[at]!, end: spans[at + 1]! } });
		});
		return locations;
	}

	function forEachReference(uri: string, offset: number, visit: (run: MentionRun) => void): void {
		const resolved = resolveAt(uri, offset);
		if (resolved) mentionsInOrder(resolved.referent, (run) => void visit(run));
	}

	function getDocumentSymbols(uri: string): DocumentSymbol[] {
		const document = index.get(uri);
		if (!document || !document.parsed.isStatement) return [];
		const symbols: DocumentSymbol[] = [];
		for (const field of document.parsed.fields) {
			symbols.push({ name: field.label, detail: field.value || undefined, kind: 'field', span: field.span, selectionSpan: field.span });
		}
		for (const paragraph of document.parsed.paragraphs) {
			symbols.push({
				name: `¶${paragraph.number}${paragraph.label ? ` ${paragraph.label}` : ''}`,
				kind: 'paragraph',
				span: paragraph.span,
				selectionSpan: { start: paragraph.span.start, end: Math.min(paragraph.span.end, paragraph.span.start + 1) },
			});
		}
		return symbols;
	}

	function getWorkspaceSymbols(query: string, limit = 200): WorkspaceSymbol[] {
		const folded = foldText(query);
		const lexicon = options.getLexicon();
		const results: Array<WorkspaceSymbol & { rank: number }> = [];
		for (const entity of lexicon.glossary.entities.values()) {
			const rank = rankEntity(entity, folded);
			if (rank < 0) continue;
			const referent: Referent = { kind: 'entity', entity };
			const definition = folded ? earliestDefinitions(referent).any : undefined;
			const location = definition
				? { uri: definition.document.uri, span: definition.definition.phraseSpan }
				: { uri: entity.origin.uri, span: entity.origin.span };
			results.push({ name: entity.acronyms.length ? `${entity.acronyms[0]} — ${entity.name}` : entity.name, containerName: entity.country ?? '', entityKind: entity.kind, ...location, rank });
		}
		return results.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name)).slice(0, limit).map(({ rank: _rank, ...symbol }) => symbol);
	}

	/** The referent's mention counts: the corpus table's, plus the open documents' counted now; or all counted now. */
	function mentionCountsOf(referent: Referent): MentionCounts {
		const table = settledTable();
		if (table) {
			const key = referentKey(referent);
			const stored = table.counts.get(key);
			const live = liveCounts(table.corpusAcronyms).get(key);
			return {
				statements: (stored?.statements ?? 0) + (live?.statements ?? 0),
				others: (stored?.others ?? 0) + (live?.others ?? 0),
				paragraphs: (stored?.paragraphs ?? 0) + (live?.paragraphs ?? 0),
			};
		}
		const counts: MentionCounts = { statements: 0, others: 0, paragraphs: 0 };
		mentionsInOrder(referent, ({ document, spans, from, to, stride }) => {
			// A stored document's summary says it: its record is not read for that.
			if (document instanceof StoredAnalysis ? document.summary.isStatement : document.parsed.isStatement) counts.statements++;
			else counts.others++;
			const paragraphs = new Set<number>();
			for (let at = from; at < to; at += stride) paragraphs.add(spans[at + 2]!);
			counts.paragraphs += paragraphs.size;
		});
		return counts;
	}

	function describeMentionCounts({ statements, others, paragraphs }: MentionCounts): string {
		const parts = [`Mentioned in ${plural(statements, 'statement')}`];
		if (others) parts.push(plural(others, 'other document'));
		return `${parts.join(' and ')}, ${plural(paragraphs, 'paragraph')} in all.`;
	}

	/** A token for every recognized mention, typed by its entity's kind; unknown acronyms get none. */
	function getSemanticTokens(uri: string): SemanticToken[] {
		const document = index.get(uri);
		if (!document) return [];
		const definitionStarts = new Set(document.definitions.map((definition) => definition.acronymSpan.start));
		const tokens: SemanticToken[] = [];
		for (const mention of document.mentions) {
			const referent = resolveMention(mention, document);
			if (!referent) continue;
			const modifiers: SemanticTokenModifier[] = [];
			if (mention.acronym !== undefined) modifiers.push('abbreviation');
			if (referent.kind === 'entity' && referent.entity.until) modifiers.push('outdated');
			if (definitionStarts.has(mention.start)) modifiers.push('definition');
			const type = referent.kind === 'entity' ? tokenTypeOfKind[referent.entity.kind] ?? 'initiative' : 'acronym';
			tokens.push({ span: { start: mention.start, end: mention.end }, type, modifiers });
		}
		return tokens;
	}

	function* preparation(documentsPerStep?: number): Generator<void, void, undefined> {
		const settled = options.isCorpusSettled;
		const generation = index.storedGeneration;
		const current = () => settled?.() === true && index.storedGeneration === generation;
		if (!current()) return;
		if (corpusTable?.generation !== generation) {
			for (const table of corpusTableSteps(documentsPerStep)) {
				if (table) corpusTable = table;
				else yield;
				if (!current()) return;
			}
		}
		for (const _ of index.storedMentionSteps(documentsPerStep)) {
			yield;
			if (!current()) return;
		}
	}

	function hasTables(): boolean {
		return options.isCorpusSettled?.() === true && corpusTable?.generation === index.storedGeneration && index.hasStoredMentions();
	}

	return { resolveAt, getHover, getDefinition, findReferences, forEachReference, getDocumentSymbols, getWorkspaceSymbols, getSemanticTokens, hasTables, preparation };
}

/** One key's entries in the corpus table, as `mentionsInOrder` merges them. */
interface MentionSource {
	readonly key: string;
	readonly entries: Int32Array;
	/** Where the next document's entries start. */
	next: number;
	/** Whether the key means the name in a document that does not define it (an entity id always does). */
	readonly usual: boolean;
	/** The documents defining it (`StoredMentions.definers`), and where the walk stands among them. */
	readonly definers: Int32Array;
	nextDefiner: number;
	/** Whether it means the name where defined, by expansion number. */
	readonly meanings: Map<number, boolean>;
	/** The current document's entries, `entries[from]` … `entries[to - 1]`. */
	from: number;
	to: number;
}

const noNumbers: Int32Array = new Int32Array(0);

/** The `MentionRun` a walk fills for each document in turn, with room of its own for mentions it gathers. */
class FilledRun implements MentionRun {
	document!: DocumentAnalysis;
	id = 0;
	lineStarts: Int32Array = noNumbers;
	lineFrom = 0;
	lineTo = 0;
	spans: Int32Array = noNumbers;
	from = 0;
	to = 0;
	stride = 3;
	/** Room for gathered or merged mentions, three numbers each; grown, never shrunk, during one walk. */
	scratch: Int32Array = new Int32Array(3 * 64);

	/** `scratch`, with room for `count` mentions. */
	room(count: number): Int32Array {
		if (this.scratch.length < count * 3) {
			const grown = new Int32Array(Math.max(count * 3, this.scratch.length * 2));
			grown.set(this.scratch);
			this.scratch = grown;
		}
		return this.scratch;
	}

	fill(document: DocumentAnalysis, id: number, lineStarts: Int32Array, lineFrom: number, lineTo: number, spans: Int32Array, from: number, to: number, stride: number): MentionRun {
		this.document = document;
		this.id = id;
		this.lineStarts = lineStarts;
		this.lineFrom = lineFrom;
		this.lineTo = lineTo;
		this.spans = spans;
		this.from = from;
		this.to = to;
		this.stride = stride;
		return this;
	}
}

/** The first position in `documents` (sorted by `compareDocuments`) whose document `document` goes before; their length when none. */
function firstRankAfter(documents: readonly DocumentAnalysis[], document: DocumentAnalysis): number {
	let low = 0;
	let high = documents.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (compareDocuments(document, documents[middle]!) < 0) high = middle;
		else low = middle + 1;
	}
	return low;
}

/** A stored document's mentions with these keys, from its summary, in document order: written into `run`'s room (start, end, paragraph); their count. */
function summaryMentionsWithKeys(document: StoredAnalysis, keys: readonly string[], run: FilledRun): number {
	let count = 0;
	document.forEachMention((key, _isAcronym, paragraph, start, end) => {
		if (!keys.includes(key)) return;
		const spans = run.room(count + 1);
		spans[count * 3] = start;
		spans[count * 3 + 1] = end;
		spans[count * 3 + 2] = paragraph;
		count++;
	});
	return count;
}

/** A stand-in document holding just one definition's expansion: all `resolveAcronym` reads of a document. */
function definingStandIn(acronym: string, expansion: string): DocumentAnalysis {
	return { definitions: [{ key: acronym, expansion }] } as unknown as DocumentAnalysis;
}

function rankEntity(entity: Entity, foldedQuery: string): number {
	if (!foldedQuery) return 2;
	const names = [entity.name, ...entity.aliases, ...entity.acronyms, ...(entity.ja ? [entity.ja] : [])].map(foldText);
	if (names.some((name) => name === foldedQuery)) return 0;
	if (names.some((name) => name.startsWith(foldedQuery))) return 1;
	if (names.some((name) => name.includes(foldedQuery))) return 2;
	return -1;
}

function describeDocument(document: DocumentAnalysis): string {
	const date = document.date ? ` (${escapeMarkdown(document.date.text || document.date.iso)})` : '';
	return `*${escapeMarkdown(document.title)}*${date}`;
}

function describePlace(document: DocumentAnalysis, paragraph: number): string {
	if (paragraph === 0) return 'the header';
	const label = document.parsed.paragraphs[paragraph - 1]?.label;
	return `paragraph ${paragraph}${label && label.replace(/[.)(．（）\s]/g, '') !== String(paragraph) ? ` (${escapeMarkdown(label)})` : ''}`;
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Escapes text taken from documents so it shows literally in a Markdown hover. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (character) => (character === '<' ? '&lt;' : character === '>' ? '&gt;' : character === '&' ? '&amp;' : `\\${character}`));
}
