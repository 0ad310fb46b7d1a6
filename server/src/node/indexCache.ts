// The persistent index cache: the compact records of the corpus files, keyed by path and
// content hash, in one file in the editor's storage folder. A second start reads it instead of
// analysing every file again: files whose size and modification time are unchanged are taken
// as they are, others are read and hashed, and only those whose content changed are analysed.
//
// The file is written atomically (a temporary file, then a rename). A file that cannot be read
// back (truncated, from another format version, or made with another glossary) is discarded
// with a log line, and the index is built from the files.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Glossary } from '../core/glossary';
import type { AnalysisRecord } from '../core/storedAnalysis';
import type { FileStamp } from './files';

/** Bump when the record layout or the analysis changes, so older caches are discarded. */
export const indexCacheFormat = 1;
const magic = 'policy-lens-index-cache';

export interface CacheEntry {
	readonly path: string;
	readonly hash: string;
	readonly stamp: FileStamp;
	readonly record: AnalysisRecord;
}

interface CacheFile {
	readonly magic: string;
	readonly format: number;
	/** Identifies the glossary the records were analysed with (see `glossaryFingerprint`). */
	readonly fingerprint: string;
	readonly entries: readonly CacheEntry[];
}

export type CacheLoad = { readonly entries: Map<string, CacheEntry> } | { readonly discarded: string } | { readonly missing: true };

export async function loadIndexCache(file: string, fingerprint: string): Promise<CacheLoad> {
	let bytes: Buffer;
	try {
		bytes = await readFile(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
		return { discarded: `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
	}
	let content: CacheFile;
	try {
		content = deserialize(bytes) as CacheFile;
	} catch (error) {
		return { discarded: `it is damaged or truncated (${error instanceof Error ? error.message : String(error)})` };
	}
	if (typeof content !== 'object' || content === null || content.magic !== magic || !Array.isArray(content.entries)) return { discarded: 'it is not a Policy Lens index cache' };
	if (content.format !== indexCacheFormat) return { discarded: `it is in format ${String(content.format)}, and this version reads format ${indexCacheFormat}` };
	if (content.fingerprint !== fingerprint) return { discarded: 'the glossary changed since it was written' };
	const entries = new Map<string, CacheEntry>();
	for (const entry of content.entries) {
		if (!isEntry(entry)) return { discarded: 'an entry in it is malformed' };
		entries.set(entry.path, entry);
	}
	return { entries };
}

function isEntry(entry: unknown): entry is CacheEntry {
	const candidate = entry as Partial<CacheEntry> | null;
	return (
		typeof candidate === 'object' && candidate !== null && typeof candidate.path === 'string' && typeof candidate.hash === 'string' &&
		typeof candidate.stamp?.size === 'number' && typeof candidate.stamp.mtimeMs === 'number' &&
		typeof candidate.record?.uri === 'string' && candidate.record.mentions instanceof Int32Array
	);
}

/** Writes the cache atomically; returns its size in bytes. */
export async function saveIndexCache(file: string, fingerprint: string, entries: Iterable<CacheEntry>): Promise<number> {
	const content: CacheFile = { magic, format: indexCacheFormat, fingerprint, entries: [...entries] };
	const bytes = serialize(content);
	await mkdir(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, bytes);
	await rename(temporary, file);
	return bytes.length;
}

/** Identifies a glossary's content: records analysed with another glossary are not reused. */
export function glossaryFingerprint(glossary: Glossary): string {
	const hash = createHash('sha1');
	hash.update(String(indexCacheFormat));
	for (const entity of glossary.entities.values()) hash.update(JSON.stringify(entity));
	hash.update(JSON.stringify([...glossary.ignore]));
	return hash.digest('base64');
}
