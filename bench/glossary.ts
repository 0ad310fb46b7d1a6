// The built-in glossary as the generator needs it: names, acronyms, aliases and Japanese names,
// read straight from data/glossary/*.yaml so the corpus follows the glossary as it changes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const repositoryRoot = join(__dirname, '..');

export interface BenchEntity {
	readonly id: string;
	readonly kind: string;
	readonly name: string;
	readonly acronyms: readonly string[];
	readonly aliases: readonly string[];
	readonly preferred?: string;
	readonly ja?: string;
	readonly jaAliases: readonly string[];
	readonly since?: string;
	readonly until?: string;
	readonly articles?: number;
}

export interface BenchGlossary {
	readonly entities: readonly BenchEntity[];
	/** Entities with at least one acronym: the ones definitions are written for. */
	readonly withAcronyms: readonly BenchEntity[];
	/** Entities with a Japanese name, for Japanese passages. */
	readonly withJapanese: readonly BenchEntity[];
	/** `kind: term` entries with variants, for the variant-spelling problems. */
	readonly terms: readonly BenchEntity[];
	/** Entries with `until` (renamed or dissolved), for outdated-name problems. */
	readonly outdated: readonly BenchEntity[];
	/** Treaties and agreements whose article count is known. */
	readonly withArticles: readonly BenchEntity[];
}

interface RawEntry {
	id?: unknown;
	kind?: unknown;
	name?: unknown;
	acronyms?: unknown;
	aliases?: unknown;
	preferred?: unknown;
	ja?: unknown;
	jaAliases?: unknown;
	since?: unknown;
	until?: unknown;
	articles?: unknown;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : []);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined);

export function loadGlossary(directory = join(repositoryRoot, 'data', 'glossary')): BenchGlossary {
	const entities: BenchEntity[] = [];
	// File-name order, as the server merges them, so the entity order (and the corpus) is stable.
	for (const file of readdirSync(directory).filter((name) => /\.ya?ml$/.test(name)).sort()) {
		const document = parse(readFileSync(join(directory, file), 'utf8')) as { entries?: RawEntry[] } | null;
		for (const entry of document?.entries ?? []) {
			if (typeof entry.id !== 'string' || typeof entry.name !== 'string') continue;
			entities.push({
				id: entry.id,
				kind: typeof entry.kind === 'string' ? entry.kind : 'term',
				name: entry.name,
				acronyms: strings(entry.acronyms),
				aliases: strings(entry.aliases),
				...(optionalString(entry.preferred) !== undefined && { preferred: optionalString(entry.preferred) }),
				...(optionalString(entry.ja) !== undefined && { ja: optionalString(entry.ja) }),
				jaAliases: strings(entry.jaAliases),
				...(optionalString(entry.since) !== undefined && { since: optionalString(entry.since) }),
				...(optionalString(entry.until) !== undefined && { until: optionalString(entry.until) }),
				...(typeof entry.articles === 'number' && { articles: entry.articles }),
			});
		}
	}
	if (entities.length === 0) throw new Error(`No glossary entries found in ${directory}.`);
	return {
		entities,
		withAcronyms: entities.filter((entity) => entity.acronyms.length > 0 && entity.kind !== 'term'),
		withJapanese: entities.filter((entity) => entity.ja !== undefined),
		terms: entities.filter((entity) => entity.kind === 'term' && entity.aliases.length > 0),
		outdated: entities.filter((entity) => entity.until !== undefined),
		withArticles: entities.filter((entity) => entity.articles !== undefined),
	};
}

/** Every string the server recognizes as a name: names, aliases, acronyms and Japanese names, once each. */
export function allTerms(glossary: BenchGlossary): string[] {
	const terms = new Set<string>();
	for (const entity of glossary.entities) {
		for (const term of [entity.name, ...entity.aliases, ...entity.acronyms, ...(entity.ja ? [entity.ja] : []), ...entity.jaAliases]) {
			const trimmed = term.trim();
			if (trimmed) terms.add(trimmed);
		}
	}
	return [...terms];
}

/** Whether the entity existed at `date` (ISO 8601 prefixes compare correctly as strings). */
export function isCurrentAt(entity: BenchEntity, date: string): boolean {
	if (entity.since !== undefined && entity.since.slice(0, date.length) > date) return false;
	if (entity.until !== undefined && entity.until <= date) return false;
	return true;
}
