// Libraries loaded when first needed rather than when the bundle loads. Most starts read no YAML
// and validate no data file: the built-in glossary comes precompiled, and a workspace often has no
// glossary or project file of its own. Loading yaml and ajv (about half a megabyte of the server's
// bundle) at every start cost the time to evaluate their modules and to read their compiled code
// from V8's code cache.
/* eslint-disable @typescript-eslint/no-require-imports */
import type AjvClass from 'ajv';

let yaml: typeof import('yaml') | undefined;
let ajv: typeof AjvClass | undefined;

/** The `yaml` library. */
export function yamlLibrary(): typeof import('yaml') {
	return (yaml ??= require('yaml') as typeof import('yaml'));
}

/** The `Ajv` class (the `ajv` package's default export). */
export function ajvClass(): typeof AjvClass {
	return (ajv ??= (require('ajv') as { default: typeof AjvClass }).default);
}
