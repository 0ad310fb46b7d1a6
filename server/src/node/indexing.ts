// Reading and analysing corpus files, the part of indexing that can run anywhere: in a worker
// thread (server/src/node/indexWorker.ts) or, when workers are unavailable, on the caller's
// thread. Both go through `analyzeRead`, so the two paths give the same records.
import { deserialize, serialize } from 'node:v8';
import type { Lexicon } from '../core/recognizer';
import { NumberedSummary, packDocument, StoredAnalysis, summarize, type DocumentSummary, type PackedRecord } from '../core/storedAnalysis';
import { contentHash, decodeText, readFileBytes, readFileBytesSync, type BytesResult, type FileStamp } from './files';

/** A document as a worker sends it: its summary, and its packed record serialized. */
export interface PackedBytes {
	readonly summary: DocumentSummary;
	readonly data: Uint8Array;
}

/**
 * A document as the server keeps it for the index and the cache: its summary, and where its
 * serialized record comes from (memory, or the cache file, read when needed). The source is
 * replaced when the cache is written, so records move out of memory into the file.
 */
export interface StoredDocument {
	readonly summary: DocumentSummary;
	/** The serialized record's size in bytes. */
	readonly length: number;
	source: () => Uint8Array;
	/** The index's analysis of this document, made once (`toStoredAnalysis`) and kept for as long as the document. */
	analysis?: StoredAnalysis;
}

export function storeAnalysis(record: PackedRecord): PackedBytes {
	const bytes = serialize(record);
	// A buffer of its own, so that it can be transferred to another thread whole.
	const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
	return { summary: summarize(record), data: own };
}

/** A worker's document as the server keeps it: the summary numbered, so its strings are shared, not held per document. */
export function inMemory(packed: PackedBytes): StoredDocument {
	const { data } = packed;
	return { summary: NumberedSummary.of(packed.summary), length: data.length, source: () => data };
}

/** The index's view of a stored document: the record is read and deserialized when needed. */
export function toStoredAnalysis(document: StoredDocument): StoredAnalysis {
	return new StoredAnalysis(document.summary, () => deserialize(document.source()) as PackedRecord);
}

export interface FileToIndex {
	readonly path: string;
	readonly uri: string;
	/** The content hash the cache holds for this path: when the file still has it, it is not analysed again. */
	readonly knownHash?: string;
}

export type IndexedFile =
	| { readonly kind: 'analyzed'; readonly path: string; readonly packed: PackedBytes; readonly hash: string; readonly stamp: FileStamp }
	| { readonly kind: 'unchanged'; readonly path: string; readonly uri: string; readonly hash: string; readonly stamp: FileStamp }
	| { readonly kind: 'skipped'; readonly path: string; readonly uri: string; readonly reason: string; readonly missing: boolean };

export async function indexFile(file: FileToIndex, lexicon: Lexicon, maximumBytes: number): Promise<IndexedFile> {
	return analyzeRead(file, await readFileBytes(file.path, maximumBytes), lexicon);
}

/** Reads and analyses files on the calling thread without yielding: what an index worker does. */
export function indexFilesSync(files: readonly FileToIndex[], lexicon: Lexicon, maximumBytes: number): IndexedFile[] {
	return files.map((file) => analyzeRead(file, readFileBytesSync(file.path, maximumBytes), lexicon));
}

export function indexFiles(files: readonly FileToIndex[], lexicon: Lexicon, maximumBytes: number): Promise<IndexedFile[]> {
	return Promise.all(files.map((file) => indexFile(file, lexicon, maximumBytes)));
}

/** A file's bytes, hashed and, when its content is not the one the cache knows, analysed. */
function analyzeRead(file: FileToIndex, read: BytesResult, lexicon: Lexicon): IndexedFile {
	if (!('bytes' in read)) return { kind: 'skipped', path: file.path, uri: file.uri, reason: read.skipped, missing: read.missing === true };
	const hash = contentHash(read.bytes);
	if (hash === file.knownHash) return { kind: 'unchanged', path: file.path, uri: file.uri, hash, stamp: read.stamp };
	const decoded = decodeText(read.bytes);
	if (!('text' in decoded)) return { kind: 'skipped', path: file.path, uri: file.uri, reason: decoded.skipped, missing: false };
	const packed = storeAnalysis(packDocument(file.uri, decoded.text, lexicon));
	return { kind: 'analyzed', path: file.path, packed, hash, stamp: read.stamp };
}

/** The buffers a batch's records hold, to transfer them to the receiving thread instead of copying. */
export function transferablesOf(results: readonly IndexedFile[]): ArrayBuffer[] {
	const buffers: ArrayBuffer[] = [];
	for (const result of results) {
		if (result.kind !== 'analyzed') continue;
		const { data, summary } = result.packed;
		// Each was made for this document alone (see `storeAnalysis` and `summarize`), so moving them takes nothing from another.
		buffers.push(data.buffer as ArrayBuffer, summary.mentions.buffer as ArrayBuffer, summary.lineStarts.buffer as ArrayBuffer);
	}
	return buffers;
}
