// Reading files for the index: size, binary and encoding checks that turn bad input into a
// clear reason instead of an exception, and the walk over workspace folders.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fastGlob from 'fast-glob';

/** The text, or why the file was skipped; `missing` when it does not exist (deleted, or never saved). */
export type ReadResult = { readonly text: string } | { readonly skipped: string; readonly missing?: boolean };

const decoder = new TextDecoder('utf-8');

/** Reads a text file, or says why it was skipped: too large, binary, or not UTF-8 (with the line). */
export async function readTextFile(path: string, maximumBytes: number): Promise<ReadResult> {
	const result = await readFileBytes(path, maximumBytes);
	return 'bytes' in result ? decodeText(result.bytes) : result;
}

/** What identifies a file's version cheaply: its size and modification time. */
export interface FileStamp {
	readonly size: number;
	readonly mtimeMs: number;
}

/** A file's bytes with its stamp, or why it was skipped (missing, or over the size limit). */
export type BytesResult = { readonly bytes: Buffer; readonly stamp: FileStamp } | Extract<ReadResult, { skipped: string }>;

/** A file's bytes with its stamp, or why it was skipped (missing, or over the size limit). */
export async function readFileBytes(path: string, maximumBytes: number): Promise<BytesResult> {
	let stamp: FileStamp;
	try {
		const { size, mtimeMs } = await stat(path);
		stamp = { size, mtimeMs };
	} catch (error) {
		return unreadable(error);
	}
	if (stamp.size > maximumBytes) return overLimit(stamp.size, maximumBytes);
	try {
		return { bytes: await readFile(path), stamp };
	} catch (error) {
		return unreadable(error);
	}
}

/**
 * The same, synchronously: for index workers, whose thread has nothing else to do, and for
 * which a page-cached file read in place is many times cheaper than a round trip through
 * the thread pool.
 */
export function readFileBytesSync(path: string, maximumBytes: number): BytesResult {
	let stamp: FileStamp;
	try {
		const { size, mtimeMs } = statSync(path);
		stamp = { size, mtimeMs };
	} catch (error) {
		return unreadable(error);
	}
	if (stamp.size > maximumBytes) return overLimit(stamp.size, maximumBytes);
	try {
		return { bytes: readFileSync(path), stamp };
	} catch (error) {
		return unreadable(error);
	}
}

function unreadable(error: unknown): Extract<ReadResult, { skipped: string }> {
	const code = (error as NodeJS.ErrnoException).code;
	return { skipped: `could not be read (${code ?? String(error)})`, missing: code === 'ENOENT' };
}

function overLimit(size: number, maximumBytes: number): Extract<ReadResult, { skipped: string }> {
	return { skipped: `is ${formatMegabytes(size)}, over the size limit of ${formatMegabytes(maximumBytes)} (setting policyLens.maxFileSizeMB)` };
}

/** A short digest of a file's content, the key of the index cache. */
export function contentHash(bytes: Uint8Array): string {
	return createHash('sha1').update(bytes).digest('base64');
}

/** Decodes UTF-8 (dropping a byte-order mark, as editors do), or says why the bytes are not text. */
export function decodeText(bytes: Uint8Array): ReadResult {
	const nul = bytes.subarray(0, 8192).indexOf(0);
	if (nul !== -1) return { skipped: `looks binary (a NUL byte at offset ${nul}, line ${lineOfByte(bytes, nul)})` };
	if (!isUtf8(bytes)) {
		const offset = firstInvalidUtf8Byte(bytes);
		return { skipped: `is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset}, line ${lineOfByte(bytes, offset)}); save it as UTF-8` };
	}
	return { text: decoder.decode(bytes) };
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let index = 0; index < offset; index++) if (bytes[index] === 10) line++;
	return line;
}

/** The offset of the first byte that breaks UTF-8's encoding rules. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
	let index = 0;
	while (index < bytes.length) {
		const byte = bytes[index]!;
		const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
		if (length === 0) return index;
		for (let continuation = 1; continuation < length; continuation++) {
			const next = bytes[index + continuation];
			if (next === undefined || (next & 0xc0) !== 0x80) return index;
		}
		index += length;
	}
	return bytes.length;
}

/** Megabytes for large sizes, kilobytes under one megabyte, so a small limit never reads "0.0 MB". */
function formatMegabytes(bytes: number): string {
	return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export interface FoundFile {
	readonly path: string;
	readonly stamp: FileStamp;
}

/**
 * Like `findFiles`, with each file's size and modification time, sorted by path. The stats are
 * taken synchronously, a thousand at a time between turns of the event loop: for ten thousand
 * files that is several times faster than the thread pool's asynchronous stats, and no turn
 * blocks for long.
 */
export async function findFilesWithStamps(folder: string, include: readonly string[], exclude: readonly string[]): Promise<FoundFile[]> {
	const paths = (await findFiles(folder, include, exclude)).sort();
	const found: FoundFile[] = [];
	for (let start = 0; start < paths.length; start += statBatch) {
		if (start > 0) await new Promise((resolve) => setImmediate(resolve));
		for (const path of paths.slice(start, start + statBatch)) found.push({ path, stamp: stampOf(path) });
	}
	return found;
}

const statBatch = 1000;

/**
 * The same as `findFilesWithStamps`, without yielding: for an index worker, which walks the
 * workspace while the server's own thread reads the index cache.
 */
export function findFilesWithStampsSync(folder: string, include: readonly string[], exclude: readonly string[]): FoundFile[] {
	return fastGlob.sync([...include], globOptions(folder, exclude)).sort().map((path) => ({ path, stamp: stampOf(path) }));
}

/** The stamps of known files (the built-in statements). */
export async function statFiles(paths: readonly string[]): Promise<FoundFile[]> {
	return paths.map((path) => ({ path, stamp: stampOf(path) }));
}

/** A file's stamp; a file that cannot be stat'ed gets an impossible one, so it is read (and its problem reported). */
function stampOf(path: string): FileStamp {
	try {
		const { size, mtimeMs } = statSync(path);
		return { size, mtimeMs };
	} catch {
		return { size: -1, mtimeMs: -1 };
	}
}

/** Files under `folder` that match the include globs and none of the exclude globs. */
export async function findFiles(folder: string, include: readonly string[], exclude: readonly string[]): Promise<string[]> {
	return fastGlob([...include], globOptions(folder, exclude));
}

function globOptions(folder: string, exclude: readonly string[]): fastGlob.Options {
	return { cwd: folder, ignore: [...exclude], absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true, suppressErrors: true };
}

/** The built-in glossary files and statements under the data directory, in a stable order. */
export async function builtInDataFiles(dataDirectory: string): Promise<{ glossaries: string[]; statements: string[] }> {
	const list = async (folder: string, pattern: RegExp) => (await readdir(join(dataDirectory, folder))).filter((name) => pattern.test(name)).sort().map((name) => join(dataDirectory, folder, name));
	return { glossaries: await list('glossary', /\.(ya?ml|json)$/), statements: await list('statements', /\.txt$/) };
}
