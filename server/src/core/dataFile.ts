// Reading YAML or JSON data files against a JSON Schema, with every problem placed at its exact
// span so the editor can underline it and the CLI can name file, line and column.
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, Node as YamlNode } from 'yaml';
import { ajvClass, yamlLibrary } from './libraries';
import type { Span } from './types';

export interface DataProblem {
	readonly uri: string;
	readonly span: Span;
	readonly message: string;
}

/** Made on first use: a run that finds no data file to validate (the CLI on a draft, say) never needs it, and making it takes tens of milliseconds. */
let ajv: Ajv | undefined;

export function compileSchema(schema: object): ValidateFunction {
	ajv ??= new (ajvClass())({ allErrors: true, strict: false });
	return ajv.compile(schema);
}

export type ParsedDataFile<T> =
	| { readonly data: T; readonly document: Document; readonly problems: readonly DataProblem[] }
	| { readonly data: undefined; readonly problems: readonly DataProblem[] };

/** Parses YAML (or JSON) and validates it; an empty file is valid and gives an empty object. */
export function parseDataFile<T>(uri: string, text: string, validate: ValidateFunction): ParsedDataFile<T> {
	const document = yamlLibrary().parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: true });
	const problems: DataProblem[] = [];
	for (const error of document.errors) {
		const [start, end] = error.pos;
		problems.push({ uri, span: { start, end: Math.max(end, start + 1) }, message: `Syntax error: ${firstLine(error.message)}.` });
	}
	if (problems.length) return { data: undefined, problems };
	const data: unknown = document.toJS() ?? {};
	if (!validate(data)) {
		for (const error of validate.errors ?? []) problems.push({ uri, span: spanOfError(document, error, text), message: describeSchemaError(error) });
		return { data: undefined, problems };
	}
	return { data: data as T, document, problems };
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
		if (yamlLibrary().isMap(parent)) {
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
	const where = error.instancePath ? `"${error.instancePath.slice(1).replace(/\//g, '.')}"` : 'The file';
	switch (error.keyword) {
		case 'required':
			return `${where === 'The file' ? where : `Entry ${where}`} is missing the required field "${(error.params as { missingProperty: string }).missingProperty}"; add it.`;
		case 'additionalProperties':
			return `${where === 'The file' ? where : where} has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"; remove it or check its spelling against the schema.`;
		case 'enum':
			return `${where} must be one of: ${(error.params as { allowedValues: string[] }).allowedValues.join(', ')}.`;
		case 'pattern':
			return `${where} does not have the expected form (${error.message ?? 'pattern'}); see the schema's description of this field.`;
		default:
			return `${where} ${error.message ?? 'is not valid'}; see the schema.`;
	}
}

