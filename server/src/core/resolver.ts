// What a mention stands for. Names resolve directly to their glossary entity; acronyms resolve
// per document, with the document's own definition first, then the glossary, then the corpus.
import type { DocumentAnalysis, LocatedMention, MinedDefinition } from './analysis';
import { foldText } from './characters';
import type { CorpusIndex, DefinitionReference } from './corpusIndex';
import type { Entity } from './glossary';
import type { Lexicon } from './recognizer';
import { StoredAnalysis } from './storedAnalysis';

/** A glossary entity, or an acronym known only from definitions in the corpus or the document. */
export type Referent =
	| { readonly kind: 'entity'; readonly entity: Entity }
	| {
		readonly kind: 'mined';
		readonly acronym: string;
		readonly expansion: string;
		/** Every definition with this meaning, earliest first; collected from the whole corpus when first read. */
		readonly definitions: readonly DefinitionReference[];
		/** The same definitions, produced lazily: for questions that want the first one or two. */
		readonly definitionsInOrder: () => Iterable<DefinitionReference>;
	};

export interface Resolver {
	resolveAcronym(acronym: string, document: DocumentAnalysis | undefined): Referent | undefined;
	/** A name's entity; for an acronym, what `resolveAcronym` gives for it in `document`. */
	resolveMention(mention: LocatedMention, document: DocumentAnalysis): Referent | undefined;
}

export function createResolver(getLexicon: () => Lexicon, index: CorpusIndex): Resolver {
	/** Each analysis's first definition of each acronym; analyses never change, so this never goes stale. */
	const firstDefinitions = new WeakMap<DocumentAnalysis, Map<string, MinedDefinition>>();
	function firstDefinitionOf(document: DocumentAnalysis, acronym: string): MinedDefinition | undefined {
		let byKey = firstDefinitions.get(document);
		if (!byKey) {
			byKey = new Map();
			for (const definition of document.definitions) if (!byKey.has(definition.key)) byKey.set(definition.key, definition);
			firstDefinitions.set(document, byKey);
		}
		return byKey.get(acronym);
	}

	/**
	 * The document's own definition chooses among glossary entities sharing the acronym; else
	 * the glossary's first; else a definition mined from the corpus, linked to a glossary entry
	 * when its expansion is one of the entry's names.
	 */
	function resolveAcronym(acronym: string, document: DocumentAnalysis | undefined): Referent | undefined {
		const lexicon = getLexicon();
		const candidates = lexicon.acronymEntities.get(acronym) ?? [];
		const ownExpansion = document && (document instanceof StoredAnalysis ? ownExpansionOf(document, acronym) : firstDefinitionOf(document, acronym)?.expansion);
		if (ownExpansion !== undefined && document) {
			const named = lexicon.entityByFoldedName.get(foldText(ownExpansion));
			if (named) return { kind: 'entity', entity: named };
			// A variant of the official expansion ("Japan Space Agency (JAXA)") still means the
			// entity; an unrelated one ("Economic Partnership Agreement (EPA)") is the document's own meaning.
			const similar = candidates.find((entity) => sharesMostWords(ownExpansion, entity.name));
			if (similar) return { kind: 'entity', entity: similar };
			// The definitions are collected only when asked for: telling referents apart needs the acronym alone.
			const folded = foldText(ownExpansion);
			const sameMeaning = (reference: DefinitionReference) => foldText(reference.definition.expansion) === folded;
			const own = (): DefinitionReference => ({ document, definition: firstDefinitionOf(document, acronym)! });
			return minedReferent(
				acronym,
				ownExpansion,
				() => {
					const found = index.definitionsOf(acronym).filter(sameMeaning);
					return found.length ? found : [own()];
				},
				function* () {
					let any = false;
					for (const reference of index.definitionsInOrder(acronym, (_document, expansion) => foldText(expansion) === folded)) {
						any = true;
						yield reference;
					}
					if (!any) yield own();
				},
			);
		}
		if (candidates.length > 0) return { kind: 'entity', entity: candidates[0]! };
		// The corpus's expansions come from the documents' summaries, so no record is read to decide.
		const expansions: string[] = [];
		for (const expansion of index.definitionExpansions(acronym)) {
			const named = lexicon.entityByFoldedName.get(foldText(expansion));
			if (named) return { kind: 'entity', entity: named };
			expansions.push(expansion);
		}
		if (expansions.length === 0) return undefined;
		return minedReferent(acronym, mostCommon(expansions), () => index.definitionsOf(acronym), () => index.definitionsInOrder(acronym));
	}

	function resolveMention(mention: LocatedMention, document: DocumentAnalysis): Referent | undefined {
		if (mention.entityId !== undefined) {
			const entity = getLexicon().glossary.entities.get(mention.entityId);
			return entity ? { kind: 'entity', entity } : undefined;
		}
		return resolveAcronym(mention.acronym!, document);
	}

	return { resolveAcronym, resolveMention };
}

const minorWords = new Set(['of', 'the', 'and', 'for', 'on', 'in', 'to', 'a', 'an']);

/** Whether two names share at least half of the content words of the shorter one. */
export function sharesMostWords(a: string, b: string): boolean {
	const words = (name: string) => new Set(foldText(name).split(/[\s,]+/).filter((word) => word && !minorWords.has(word)));
	const first = words(a);
	const second = words(b);
	let shared = 0;
	for (const word of first) if (second.has(word)) shared++;
	return shared > 0 && shared * 2 >= Math.min(first.size, second.size);
}

/** A corpus-defined referent whose definitions are collected when first read. */
function minedReferent(acronym: string, expansion: string, collect: () => readonly DefinitionReference[], walk: () => Iterable<DefinitionReference>): Referent {
	let definitions: readonly DefinitionReference[] | undefined;
	return {
		kind: 'mined',
		acronym,
		expansion,
		get definitions() {
			return (definitions ??= collect());
		},
		definitionsInOrder: () => definitions ?? walk(),
	};
}

/** The expansion of the document's first definition of the acronym; a stored document's summary has it without loading its record. */
export function ownExpansionOf(document: DocumentAnalysis, acronym: string): string | undefined {
	if (document instanceof StoredAnalysis) return document.expansionOf(acronym);
	return document.definitions.find((definition) => definition.key === acronym)?.expansion;
}

/** The most frequent of the expansions; the earliest among equals. */
function mostCommon(expansions: readonly string[]): string {
	const counts = new Map<string, number>();
	for (const expansion of expansions) counts.set(expansion, (counts.get(expansion) ?? 0) + 1);
	let best = expansions[0]!;
	for (const [expansion, count] of counts) if (count > counts.get(best)!) best = expansion;
	return best;
}
