// The built-in glossary, precompiled. Parsing and validating the shipped YAML takes a large part
// of a start, so the build (scripts/build.mjs) parses it once into dist/builtin-glossary.json.
// At run time each YAML file is still read (its text gives the line starts for go-to-definition
// and its hash proves the compiled copy is current); a file whose hash differs, or a missing
// compiled file, is parsed from YAML as before.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { URI } from 'vscode-uri';
import { parseGlossaryFile, type Entity, type GlossaryFile } from '../core/glossary';

export const compiledGlossaryFileName = 'builtin-glossary.json';
const compiledFormat = 1;

interface CompiledFile {
	readonly name: string;
	readonly hash: string;
	readonly entities: readonly Entity[];
	readonly ignore: readonly string[];
}

interface CompiledGlossary {
	readonly format: number;
	readonly files: readonly CompiledFile[];
}

function hashOf(text: string): string {
	return createHash('sha1').update(text).digest('base64');
}

/** Parses the shipped glossary files for the build; a problem in shipped data fails the build. */
export function compileGlossary(files: ReadonlyArray<{ readonly name: string; readonly text: string }>): string {
	const compiled: CompiledGlossary = {
		format: compiledFormat,
		files: files.map(({ name, text }) => {
			const parsed = parseGlossaryFile(`builtin:${name}`, text);
			if (parsed.problems.length) throw new Error(`${name}: ${parsed.problems.map((problem) => problem.message).join('; ')}`);
			return { name, hash: hashOf(text), entities: parsed.entities, ignore: parsed.ignore };
		}),
	};
	return JSON.stringify(compiled);
}

export interface BuiltInGlossaryFile {
	readonly path: string;
	readonly uri: string;
	readonly text: string;
	readonly file: GlossaryFile;
}

/** Reads the compiled copy, if any; a missing or unreadable one just means parsing the YAML. */
async function readCompiled(compiledPath: string | undefined): Promise<Map<string, CompiledFile>> {
	const byName = new Map<string, CompiledFile>();
	if (!compiledPath) return byName;
	try {
		const compiled = JSON.parse(await readFile(compiledPath, 'utf8')) as CompiledGlossary;
		if (compiled.format === compiledFormat) for (const file of compiled.files) byName.set(file.name, file);
	} catch {
		// Not built (running from source) or damaged: the YAML is the source of truth anyway.
	}
	return byName;
}

/** The built-in glossary files, each from the compiled copy when its hash matches, else parsed. */
export async function loadBuiltInGlossaryFiles(paths: readonly string[], compiledPath: string | undefined): Promise<BuiltInGlossaryFile[]> {
	const compiled = await readCompiled(compiledPath);
	return Promise.all(paths.map(async (path) => {
		const text = await readFile(path, 'utf8');
		const uri = URI.file(path).toString();
		const match = compiled.get(basename(path));
		if (match && match.hash === hashOf(text)) {
			const entities = match.entities.map((entity): Entity => ({ ...entity, origin: { uri, span: entity.origin.span } }));
			return { path, uri, text, file: { uri, entities, ignore: match.ignore, problems: [] } };
		}
		return { path, uri, text, file: parseGlossaryFile(uri, text) };
	}));
}
