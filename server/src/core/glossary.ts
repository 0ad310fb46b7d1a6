// The glossary: curated entities (agencies, programs, treaties, ...) read from YAML or JSON,
// validated against data/glossary.schema.json, with every problem placed at its exact span.
import type { Document, Node as YamlNode } from 'yaml';
import schema from '../../../data/glossary.schema.json';
import { compileSchema, parseDataFile, type DataProblem } from './dataFile';
import { yamlLibrary } from './libraries';
import type { Span } from './types';

export type EntityKind =
	| 'agency' | 'ministry' | 'department' | 'office' | 'council' | 'legislature' | 'court' | 'military'
	| 'organization' | 'forum' | 'dialogue' | 'program' | 'mission' | 'spacecraft' | 'system' | 'facility'
	| 'treaty' | 'agreement' | 'initiative' | 'strategy' | 'concept' | 'document' | 'term';

/** One glossary entry, as written in a glossary file (see the schema for each field's meaning). */
export interface GlossaryEntry {
	readonly id: string;
	readonly kind: EntityKind;
	readonly name: string;
	readonly acronyms?: readonly string[];
	readonly aliases?: readonly string[];
	readonly preferred?: string;
	readonly ja?: string;
	readonly jaAliases?: readonly string[];
	readonly country?: string;
	readonly parent?: string;
	readonly description: string;
	readonly since?: string;
	readonly until?: string;
	readonly successor?: string;
	readonly articles?: number;
	readonly inForce?: string;
}

/** Where an entry was written, so go-to-definition can open it. */
export interface EntryOrigin {
	readonly uri: string;
	readonly span: Span;
}

export interface Entity extends GlossaryEntry {
	readonly acronyms: readonly string[];
	readonly aliases: readonly string[];
	readonly jaAliases: readonly string[];
	readonly origin: EntryOrigin;
}

export type GlossaryProblem = DataProblem;

export interface GlossaryFile {
	readonly uri: string;
	readonly entities: readonly Entity[];
	readonly ignore: readonly string[];
	readonly problems: readonly GlossaryProblem[];
}

/** Compiled on first use: a start that finds the precompiled built-in glossary never needs it. */
let validator: ReturnType<typeof compileSchema> | undefined;
const validateGlossary: ReturnType<typeof compileSchema> = ((data: unknown) => {
	validator ??= compileSchema(schema);
	const valid = validator(data);
	validateGlossary.errors = validator.errors;
	return valid;
}) as ReturnType<typeof compileSchema>;

/**
 * Parses one glossary file (YAML, of which JSON is a subset). Syntax and schema problems come
 * back with their spans; when there are any, `entities` is empty so the caller can keep the
 * file's last good version.
 */
export function parseGlossaryFile(uri: string, text: string): GlossaryFile {
	const parsed = parseDataFile<{ entries?: GlossaryEntry[]; ignore?: string[] }>(uri, text, validateGlossary);
	if (!parsed.data) return { uri, entities: [], ignore: [], problems: parsed.problems };
	const { data: glossary, document } = parsed;
	const entries = glossary.entries ?? [];
	const entriesNode = document.get('entries', true);
	const entities = entries.map((entry, index): Entity => {
		const node = yamlLibrary().isSeq(entriesNode) ? (entriesNode.items[index] as YamlNode | undefined) : undefined;
		const span = node?.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 };
		return { ...entry, acronyms: entry.acronyms ?? [], aliases: entry.aliases ?? [], jaAliases: entry.jaAliases ?? [], origin: { uri, span } };
	});
	const problems = checkDuplicateIds(uri, document, entities);
	if (problems.length) return { uri, entities: [], ignore: [], problems };
	return { uri, entities, ignore: glossary.ignore ?? [], problems };
}

function checkDuplicateIds(uri: string, document: Document, entities: readonly Entity[]): GlossaryProblem[] {
	const seen = new Set<string>();
	const problems: GlossaryProblem[] = [];
	entities.forEach((entity, index) => {
		if (seen.has(entity.id)) {
			const idNode = document.getIn(['entries', index, 'id'], true) as YamlNode | undefined;
			const span = idNode?.range ? { start: idNode.range[0], end: idNode.range[1] } : entity.origin.span;
			problems.push({ uri, span, message: `The id "${entity.id}" is used by an earlier entry in this file; give each entry its own id.` });
		}
		seen.add(entity.id);
	});
	return problems;
}

/** A merged glossary: later files override entries with the same id. */
export interface Glossary {
	readonly entities: ReadonlyMap<string, Entity>;
	readonly ignore: ReadonlySet<string>;
}

export function mergeGlossaries(files: readonly GlossaryFile[]): Glossary {
	const entities = new Map<string, Entity>();
	const ignore = new Set<string>();
	for (const file of files) {
		for (const entity of file.entities) entities.set(entity.id, entity);
		for (const word of file.ignore) ignore.add(word);
	}
	return { entities, ignore };
}
