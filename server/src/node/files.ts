// Reading files for the index: size, binary and encoding checks that turn bad input into a
// clear reason instead of an exception, and the walk over workspace folders.
import { isUtf8 } from 'node:buffer';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fastGlob from 'fast-glob';

/** The text, or why the file was skipped; `missing` when it does not exist (deleted, or never saved). */
export type ReadResult = { readonly text: string } | { readonly skipped: string; readonly missing?: boolean };

const decoder = new TextDecoder('utf-8');

/** Reads a text file, or says why it was skipped: too large, binary, or not UTF-8 (with the line). */
export async function readTextFile(path: string, maximumBytes: number): Promise<ReadResult> {
	let size: number;
	try {
		size = (await stat(path)).size;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return { skipped: `could not be read (${code ?? String(error)})`, missing: code === 'ENOENT' };
	}
	if (size > maximumBytes) {
		return { skipped: `is ${formatMegabytes(size)}, over the size limit of ${formatMegabytes(maximumBytes)} (setting policyLens.maxFileSizeMB)` };
	}
	let bytes: Buffer;
	try {
		bytes = await readFile(path);
	} catch (error) {
		return { skipped: `could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
	}
	return decodeText(bytes);
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

/** Files under `folder` that match the include globs and none of the exclude globs. */
export async function findFiles(folder: string, include: readonly string[], exclude: readonly string[]): Promise<string[]> {
	return fastGlob([...include], { cwd: folder, ignore: [...exclude], absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true, suppressErrors: true });
}

/** The built-in glossary files and statements under the data directory, in a stable order. */
export async function builtInDataFiles(dataDirectory: string): Promise<{ glossaries: string[]; statements: string[] }> {
	const list = async (folder: string, pattern: RegExp) => (await readdir(join(dataDirectory, folder))).filter((name) => pattern.test(name)).sort().map((name) => join(dataDirectory, folder, name));
	return { glossaries: await list('glossary', /\.(ya?ml|json)$/), statements: await list('statements', /\.txt$/) };
}
