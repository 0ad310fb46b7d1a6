// The built-in glossary, precompiled. Parsing and validating the shipped YAML takes a large part
// of a start, so the build (scripts/build.mjs) parses it once into dist/builtin-glossary.json.
// At run time each YAML file is still read (its text gives the line starts for go-to-definition
// and its hash proves the compiled copy is current); a file whose hash differs, or a missing
// compiled file, is parsed from YAML as before.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename } from 'node:path';
import { URI } from 'vscode-uri';
import { mergeGlossaries, parseGlossaryFile, type Entity, type GlossaryFile } from '../core/glossary';
import { buildLexicon, trieFromJson, trieToJson, type Trie, type TrieJson } from '../core/recognizer';
import { glossaryFingerprint } from './indexCache';

export const compiledGlossaryFileName = 'builtin-glossary.json';
const compiledFormat = 4;

interface CompiledFile {
	readonly name: string;
	readonly hash: string;
	readonly entities: readonly Entity[];
	readonly ignore: readonly string[];
}

interface CompiledGlossary {
	readonly format: number;
	readonly files: readonly CompiledFile[];
	/**
	 * The recognizer's trie for these files merged in this order, and nothing else; its cells as
	 * base64 of their bytes (little-endian), which read in a fraction of the time JSON's list of
	 * 50,000 numbers took, and without making that list.
	 */
	readonly trie: Omit<TrieJson, 'cells'> & { readonly cells: string };
	/** The index cache's fingerprint of the same glossary (`glossaryFingerprint`). */
	readonly fingerprint: string;
}

function hashOf(text: string): string {
	return createHash('sha1').update(text).digest('base64');
}

/** Parses the shipped glossary files for the build; a problem in shipped data fails the build. */
export function compileGlossary(files: ReadonlyArray<{ readonly name: string; readonly text: string }>): string {
	const parsedFiles = files.map(({ name, text }) => {
		const parsed = parseGlossaryFile(`builtin:${name}`, text);
		if (parsed.problems.length) throw new Error(`${name}: ${parsed.problems.map((problem) => problem.message).join('; ')}`);
		return { name, text, parsed };
	});
	const merged = mergeGlossaries(parsedFiles.map(({ parsed }) => parsed));
	const compiled: CompiledGlossary = {
		format: compiledFormat,
		files: parsedFiles.map(({ name, text, parsed }) => ({ name, hash: hashOf(text), entities: parsed.entities, ignore: parsed.ignore })),
		trie: trieWithPackedCells(buildLexicon(merged).trie),
		fingerprint: glossaryFingerprint(merged),
	};
	return JSON.stringify(compiled);
}

export interface BuiltInGlossaryFile {
	readonly path: string;
	readonly uri: string;
	readonly text: string;
	readonly file: GlossaryFile;
}

function trieWithPackedCells(trie: Trie): CompiledGlossary['trie'] {
	const cells = new Int32Array(trie.cells);
	if (endianness() === 'BE') for (let index = 0; index < cells.length; index++) cells[index] = swapBytes(cells[index]!);
	return { ...trieToJson({ ...trie, cells: new Int32Array(0) }), cells: Buffer.from(cells.buffer, cells.byteOffset, cells.byteLength).toString('base64') };
}

/** The trie's cells from their base64 (`trieWithPackedCells`); undefined when the bytes are not whole cells. */
function unpackCells(packed: string): Int32Array | undefined {
	const bytes = Buffer.from(packed, 'base64');
	if (bytes.length % 4 !== 0) return undefined;
	// Copied into a buffer of their own: a decoded Buffer may sit at any offset of a shared one.
	const cells = new Int32Array(bytes.length / 4);
	new Uint8Array(cells.buffer).set(bytes);
	if (endianness() === 'BE') for (let index = 0; index < cells.length; index++) cells[index] = swapBytes(cells[index]!);
	return cells;
}

function swapBytes(value: number): number {
	return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24);
}

/**
 * Reads the compiled copy, if any; a missing or unreadable one just means parsing the YAML. Read
 * at once rather than in the chunks of an asynchronous read: it is a few hundred kilobytes from
 * the extension's own folder, and each chunk waited for the server's thread, busy reading the
 * index cache at a start.
 */
function readCompiled(compiledPath: string | undefined): CompiledGlossary | undefined {
	if (!compiledPath) return undefined;
	try {
		const compiled = JSON.parse(readFileSync(compiledPath, 'utf8')) as CompiledGlossary;
		return compiled.format === compiledFormat ? compiled : undefined;
	} catch {
		// Not built (running from source) or damaged: the YAML is the source of truth anyway.
		return undefined;
	}
}

/**
 * The built-in glossary files, each from the compiled copy when its hash matches, else parsed;
 * and the compiled trie and fingerprint, when every file matched and none is missing or extra,
 * so that they are the ones these files give (see `GlossarySet.useBuiltInTrie`).
 */
export function loadBuiltInGlossaryFiles(paths: readonly string[], compiledPath: string | undefined): { files: BuiltInGlossaryFile[]; trie: Trie | undefined; fingerprint: string | undefined } {
	const compiled = readCompiled(compiledPath);
	const byName = new Map((compiled?.files ?? []).map((file) => [file.name, file]));
	let allCompiled = compiled !== undefined && compiled.files.length === paths.length && compiled.files.every((file, index) => file.name === basename(paths[index]!));
	const files = paths.map((path): BuiltInGlossaryFile => {
		const text = readFileSync(path, 'utf8');
		const uri = URI.file(path).toString();
		const match = byName.get(basename(path));
		if (match && match.hash === hashOf(text)) {
			const entities = match.entities.map((entity): Entity => ({ ...entity, origin: { uri, span: entity.origin.span } }));
			return { path, uri, text, file: { uri, entities, ignore: match.ignore, problems: [] } };
		}
		allCompiled = false;
		return { path, uri, text, file: parseGlossaryFile(uri, text) };
	});
	const cells = allCompiled && compiled !== undefined ? unpackCells(compiled.trie.cells) : undefined;
	const whole = cells !== undefined && compiled !== undefined;
	return { files, trie: whole ? trieFromJson({ ...compiled.trie, cells }) : undefined, fingerprint: whole ? compiled.fingerprint : undefined };
}
