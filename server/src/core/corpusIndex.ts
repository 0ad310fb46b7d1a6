// The corpus index: every analysed document (built-in statements, workspace files, open
// documents), with inverted maps from entities and acronyms to the documents that mention or
// define them. It holds analyses, never texts, so its memory grows with mentions, not bytes.
import type { DocumentAnalysis, MinedDefinition } from './analysis';
import { StoredAnalysis } from './storedAnalysis';

export interface DefinitionReference {
	readonly document: DocumentAnalysis;
	readonly definition: MinedDefinition;
}

/** Inverted maps from a key to the documents that carry it, kept in step with `documents`. */
class Postings {
	private readonly map = new Map<string, Set<string>>();

	add(key: string, uri: string): void {
		let set = this.map.get(key);
		if (!set) this.map.set(key, (set = new Set()));
		set.add(uri);
	}

	remove(key: string, uri: string): void {
		const set = this.map.get(key);
		if (!set) return;
		set.delete(uri);
		if (set.size === 0) this.map.delete(key);
	}

	get(key: string): ReadonlySet<string> {
		return this.map.get(key) ?? emptySet;
	}

	keys(): IterableIterator<string> {
		return this.map.keys();
	}
}

const emptySet: ReadonlySet<string> = new Set();

export class CorpusIndex {
	private readonly documents = new Map<string, DocumentAnalysis>();
	private readonly entityMentions = new Postings();
	private readonly acronymMentions = new Postings();
	private readonly acronymDefinitions = new Postings();
	private statements = 0;
	/** `definitionsOf` answers by acronym, sorted; an entry goes when a document defining that acronym comes or goes. */
	private readonly sortedDefinitions = new Map<string, DefinitionReference[]>();
	/** The documents defining an acronym, earliest first, sorted without unpacking a stored document; invalidated like `sortedDefinitions`. */
	private readonly sortedDefiners = new Map<string, DocumentAnalysis[]>();
	/** Bumped on every change, so callers can cache what they derive from the index. */
	generation = 0;
	/** Bumped when a stored (not open) document comes or goes: what corpus-wide tables are derived from. */
	storedGeneration = 0;

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

	set(analysis: DocumentAnalysis): void {
		this.delete(analysis.uri);
		if (analysis instanceof StoredAnalysis) this.storedGeneration++;
		this.documents.set(analysis.uri, analysis);
		const keys = keysOf(analysis);
		if (keys.isStatement) this.statements++;
		for (const key of keys.entities) this.entityMentions.add(key, analysis.uri);
		for (const key of keys.acronyms) this.acronymMentions.add(key, analysis.uri);
		for (const key of keys.definitions) {
			this.acronymDefinitions.add(key, analysis.uri);
			this.sortedDefinitions.delete(key);
			this.sortedDefiners.delete(key);
		}
		this.generation++;
	}

	delete(uri: string): boolean {
		const previous = this.documents.get(uri);
		if (!previous) return false;
		if (previous instanceof StoredAnalysis) this.storedGeneration++;
		this.documents.delete(uri);
		const keys = keysOf(previous);
		if (keys.isStatement) this.statements--;
		for (const key of keys.entities) this.entityMentions.remove(key, uri);
		for (const key of keys.acronyms) this.acronymMentions.remove(key, uri);
		for (const key of keys.definitions) {
			this.acronymDefinitions.remove(key, uri);
			this.sortedDefinitions.delete(key);
			this.sortedDefiners.delete(key);
		}
		this.generation++;
		return true;
	}

	documentsMentioningEntity(entityId: string): ReadonlySet<string> {
		return this.entityMentions.get(entityId);
	}

	documentsMentioningAcronym(acronym: string): ReadonlySet<string> {
		return this.acronymMentions.get(acronym);
	}

	/** Every definition of the acronym in the corpus, earliest statement first (undated documents last). */
	definitionsOf(acronym: string): readonly DefinitionReference[] {
		let sorted = this.sortedDefinitions.get(acronym);
		if (!sorted) this.sortedDefinitions.set(acronym, (sorted = this.collectDefinitions(acronym)));
		return sorted;
	}

	/**
	 * The definitions of the acronym in the same order as `definitionsOf`, produced lazily: a
	 * caller that wants the first few reads only the first few defining documents.
	 */
	*definitionsInOrder(acronym: string): Generator<DefinitionReference> {
		let definers = this.sortedDefiners.get(acronym);
		if (!definers) {
			definers = [...this.acronymDefinitions.get(acronym)].map((uri) => this.documents.get(uri)!).sort(compareDocuments);
			this.sortedDefiners.set(acronym, definers);
		}
		for (const document of definers) {
			const own = document.definitions.filter((definition) => definition.key === acronym).sort((a, b) => a.acronymSpan.start - b.acronymSpan.start);
			for (const definition of own) yield { document, definition };
		}
	}

	private collectDefinitions(acronym: string): DefinitionReference[] {
		const references: DefinitionReference[] = [];
		for (const uri of this.acronymDefinitions.get(acronym)) {
			const document = this.documents.get(uri)!;
			for (const definition of document.definitions) if (definition.key === acronym) references.push({ document, definition });
		}
		return references.sort((a, b) => compareDocuments(a.document, b.document) || a.definition.acronymSpan.start - b.definition.acronymSpan.start);
	}

	/** Acronyms defined somewhere in the corpus. */
	definedAcronyms(): IterableIterator<string> {
		return this.acronymDefinitions.keys();
	}
}

interface DocumentKeys {
	readonly isStatement: boolean;
	readonly entities: Iterable<string>;
	readonly acronyms: Iterable<string>;
	readonly definitions: Iterable<string>;
}

/** What the inverted maps file a document under; a stored document's summary has it without unpacking. */
function keysOf(analysis: DocumentAnalysis): DocumentKeys {
	if (analysis instanceof StoredAnalysis) {
		const { isStatement, entityKeys, acronymKeys, definitionKeys } = analysis.summary;
		return { isStatement, entities: entityKeys, acronyms: acronymKeys, definitions: definitionKeys };
	}
	const entities = new Set<string>();
	const acronyms = new Set<string>();
	for (const mention of analysis.mentions) {
		if (mention.entityId !== undefined) entities.add(mention.entityId);
		if (mention.acronym !== undefined) acronyms.add(mention.acronym);
	}
	return { isStatement: analysis.parsed.isStatement, entities, acronyms, definitions: new Set(analysis.definitions.map((definition) => definition.key)) };
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
