// Quick check of the shipped glossary files while editing them: schema, unique ids,
// references between entries, and names claimed by two entries. The test suite runs the
// same rules through the server's own loader; this script is for people editing data.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import Ajv from 'ajv';

const root = new URL('..', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(join(root, 'data/glossary.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const dir = join(root, 'data/glossary');
const ids = new Map();
const entries = [];
let problems = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
	const doc = parseDocument(readFileSync(join(dir, file), 'utf8'));
	for (const error of doc.errors) { console.log(`${file}: YAML: ${error.message}`); problems++; }
	const data = doc.toJS();
	if (!validate(data)) {
		for (const e of validate.errors) { console.log(`${file}: schema: ${e.instancePath} ${e.message}`); problems++; }
	}
	for (const entry of data?.entries ?? []) {
		if (ids.has(entry.id)) { console.log(`${file}: duplicate id ${entry.id} (also in ${ids.get(entry.id)})`); problems++; }
		ids.set(entry.id, file);
		entries.push({ file, entry });
	}
}
const claimed = new Map();
for (const { file, entry } of entries) {
	for (const key of ['parent', 'successor']) {
		if (entry[key] && !ids.has(entry[key])) { console.log(`${file}: ${entry.id}.${key} names unknown id ${entry[key]}`); problems++; }
	}
	for (const name of [entry.name, ...(entry.aliases ?? [])]) {
		const k = 'name:' + name.toLowerCase();
		if (claimed.has(k) && claimed.get(k) !== entry.id) { console.log(`${file}: name "${name}" of ${entry.id} is also claimed by ${claimed.get(k)}`); problems++; }
		claimed.set(k, entry.id);
	}
	for (const acronym of entry.acronyms ?? []) {
		const k = 'acr:' + acronym;
		if (claimed.has(k) && claimed.get(k) !== entry.id) console.log(`${file}: note: acronym ${acronym} of ${entry.id} is also used by ${claimed.get(k)} (allowed, but the first wins unless the document defines it)`);
		claimed.set(k, entry.id);
	}
}
console.log(`${entries.length} entries in ${new Set(entries.map((e) => e.file)).size} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
