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
import type { DocumentSummary } from '../core/storedAnalysis';
import type { StatementDate } from '../core/types';
import type { FileStamp } from './files';
import type { StoredDocument } from './indexing';

/** Bump when the record layout or the analysis changes, so older caches are discarded. */
export const indexCacheFormat = 3;
const magic = 'policy-lens-index-cache';

export interface CacheEntry {
	readonly path: string;
	readonly hash: string;
	readonly stamp: FileStamp;
	readonly document: StoredDocument;
}

/**
 * The file's content. Summaries name their keys by index into one table, so thousands of
 * documents mentioning "JAXA" store the string once and reading the file creates few objects;
 * records stay serialized until the index needs one.
 */
interface CacheFile {
	readonly magic: string;
	readonly format: number;
	/** Identifies the glossary the records were analysed with (see `glossaryFingerprint`). */
	readonly fingerprint: string;
	readonly keys: readonly string[];
	readonly entries: readonly StoredEntry[];
}

interface StoredEntry {
	readonly path: string;
	readonly uri: string;
	readonly hash: string;
	readonly size: number;
	readonly mtimeMs: number;
	readonly isStatement: boolean;
	readonly date: StatementDate | undefined;
	/** Counts of entity, acronym and definition keys, then the key indices in that order, then each definition's expansion. */
	readonly keys: Int32Array;
	readonly bytes: Uint8Array;
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
	if (typeof content !== 'object' || content === null || content.magic !== magic) return { discarded: 'it is not a Policy Lens index cache' };
	if (content.format !== indexCacheFormat) return { discarded: `it is in format ${String(content.format)}, and this version reads format ${indexCacheFormat}` };
	if (content.fingerprint !== fingerprint) return { discarded: 'the glossary changed since it was written' };
	if (!Array.isArray(content.keys) || !Array.isArray(content.entries)) return { discarded: 'it is not a Policy Lens index cache' };
	const entries = new Map<string, CacheEntry>();
	for (const entry of content.entries) {
		const summary = isStoredEntry(entry) ? summaryOf(entry, content.keys) : undefined;
		if (!summary) return { discarded: 'an entry in it is malformed' };
		entries.set(entry.path, { path: entry.path, hash: entry.hash, stamp: { size: entry.size, mtimeMs: entry.mtimeMs }, document: { summary, bytes: entry.bytes } });
	}
	return { entries };
}

function isStoredEntry(entry: unknown): entry is StoredEntry {
	const candidate = entry as Partial<StoredEntry> | null;
	return (
		typeof candidate === 'object' && candidate !== null && typeof candidate.path === 'string' && typeof candidate.uri === 'string' &&
		typeof candidate.hash === 'string' && typeof candidate.size === 'number' && typeof candidate.mtimeMs === 'number' &&
		candidate.keys instanceof Int32Array && candidate.bytes instanceof Uint8Array
	);
}

function summaryOf(entry: StoredEntry, table: readonly string[]): DocumentSummary | undefined {
	const keys = entry.keys;
	const counts = [keys[0] ?? -1, keys[1] ?? -1, keys[2] ?? -1];
	if (counts.some((count) => count < 0) || 3 + counts[0]! + counts[1]! + 2 * counts[2]! !== keys.length) return undefined;
	const lists: string[][] = [];
	let offset = 3;
	for (const count of [...counts, counts[2]!]) {
		const list: string[] = [];
		for (let index = 0; index < count; index++) {
			const key = table[keys[offset++]!];
			if (key === undefined) return undefined;
			list.push(key);
		}
		lists.push(list);
	}
	return { uri: entry.uri, isStatement: entry.isStatement === true, date: entry.date, entityKeys: lists[0]!, acronymKeys: lists[1]!, definitionKeys: lists[2]!, definitionExpansions: lists[3]! };
}

/** Writes the cache atomically; returns its size in bytes. */
export async function saveIndexCache(file: string, fingerprint: string, entries: Iterable<CacheEntry>): Promise<number> {
	const keys: string[] = [];
	const keyIndex = new Map<string, number>();
	const indexOf = (key: string) => {
		let index = keyIndex.get(key);
		if (index === undefined) {
			keyIndex.set(key, (index = keys.length));
			keys.push(key);
		}
		return index;
	};
	const stored: StoredEntry[] = [];
	for (const { path, hash, stamp, document } of entries) {
		const { summary } = document;
		const lists = [summary.entityKeys, summary.acronymKeys, summary.definitionKeys, summary.definitionExpansions];
		const keyData = new Int32Array(3 + lists.reduce((total, list) => total + list.length, 0));
		let offset = 3;
		lists.forEach((list, which) => {
			if (which < 3) keyData[which] = list.length;
			for (const key of list) keyData[offset++] = indexOf(key);
		});
		stored.push({ path, uri: summary.uri, hash, size: stamp.size, mtimeMs: stamp.mtimeMs, isStatement: summary.isStatement, date: summary.date, keys: keyData, bytes: document.bytes });
	}
	const content: CacheFile = { magic, format: indexCacheFormat, fingerprint, keys, entries: stored };
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
