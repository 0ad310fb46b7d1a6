// The glossary: curated entities (agencies, programs, treaties, ...) read from YAML or JSON,
// validated against data/glossary.schema.json, with every problem placed at its exact span.
import Ajv, { type ErrorObject } from 'ajv';
import { isMap, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import schema from '../../../data/glossary.schema.json';
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

export interface GlossaryProblem {
	readonly uri: string;
	readonly span: Span;
	readonly message: string;
}

export interface GlossaryFile {
	readonly uri: string;
	readonly entities: readonly Entity[];
	readonly ignore: readonly string[];
	readonly problems: readonly GlossaryProblem[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateGlossary = ajv.compile(schema);

/**
 * Parses one glossary file (YAML, of which JSON is a subset). Syntax and schema problems come
 * back with their spans; when there are any, `entities` is empty so the caller can keep the
 * file's last good version.
 */
export function parseGlossaryFile(uri: string, text: string): GlossaryFile {
	const document = parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: true });
	const problems: GlossaryProblem[] = [];
	for (const error of document.errors) {
		const [start, end] = error.pos;
		problems.push({ uri, span: { start, end: Math.max(end, start + 1) }, message: `YAML syntax error: ${firstLine(error.message)}.` });
	}
	if (problems.length) return { uri, entities: [], ignore: [], problems };

	const data: unknown = document.toJS();
	if (data === null || data === undefined) return { uri, entities: [], ignore: [], problems };
	if (!validateGlossary(data)) {
		for (const error of validateGlossary.errors ?? []) problems.push({ uri, span: spanOfError(document, error, text), message: describeSchemaError(error) });
		return { uri, entities: [], ignore: [], problems };
	}
	const glossary = data as { entries?: GlossaryEntry[]; ignore?: string[] };
	const entries = glossary.entries ?? [];
	const entriesNode = document.get('entries', true);
	const entities = entries.map((entry, index): Entity => {
		const node = isSeq(entriesNode) ? (entriesNode.items[index] as YamlNode | undefined) : undefined;
		const span = node?.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 };
		return { ...entry, acronyms: entry.acronyms ?? [], aliases: entry.aliases ?? [], jaAliases: entry.jaAliases ?? [], origin: { uri, span } };
	});
	problems.push(...checkDuplicateIds(uri, document, entities));
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

function firstLine(message: string): string {
	return message.split('\n')[0]!.replace(/[.:]\s*$/, '');
}

function spanOfError(document: Document, error: ErrorObject, text: string): Span {
	const path = error.instancePath.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
	// For an unknown property, point at the property's key rather than the whole entry.
	if (error.keyword === 'additionalProperties') {
		const parent = document.getIn(path, true);
		const extra = (error.params as { additionalProperty: string }).additionalProperty;
		if (isMap(parent)) {
			const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === extra);
			const keyNode = pair?.key as YamlNode | undefined;
			if (keyNode?.range) return { start: keyNode.range[0], end: keyNode.range[1] };
		}
	}
	for (let length = path.length; length >= 0; length--) {
		const node = document.getIn(path.slice(0, length), true) as YamlNode | undefined;
		if (node?.range) return { start: node.range[0], end: Math.max(node.range[1], node.range[0] + 1) };
	}
	return { start: 0, end: Math.min(1, text.length) };
}

function describeSchemaError(error: ErrorObject): string {
	const where = error.instancePath ? `"${error.instancePath.slice(1).replace(/\//g, '.')}"` : 'The glossary';
	switch (error.keyword) {
		case 'required':
			return `${where === 'The glossary' ? where : `Entry ${where}`} is missing the required field "${(error.params as { missingProperty: string }).missingProperty}"; add it.`;
		case 'additionalProperties':
			return `${where === 'The glossary' ? where : where} has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"; remove it or check its spelling against the glossary schema.`;
		case 'enum':
			return `${where} must be one of: ${(error.params as { allowedValues: string[] }).allowedValues.join(', ')}.`;
		case 'pattern':
			return `${where} does not have the expected form (${error.message ?? 'pattern'}); see the glossary schema's description of this field.`;
		default:
			return `${where} ${error.message ?? 'is not valid'}; see the glossary schema.`;
	}
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
