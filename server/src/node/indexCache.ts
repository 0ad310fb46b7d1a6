// The persistent index cache: the compact records of the corpus files, keyed by path and
// content hash, in one file in the editor's storage folder. A second start reads it instead of
// analysing every file again: files whose size and modification time are unchanged are taken
// as they are, others are read and hashed, and only those whose content changed are analysed.
//
// The file is written atomically (a temporary file, then a rename). A file that cannot be read
// back (truncated, from another format version, or made with another glossary) is discarded
// with a log line, and the index is built from the files.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Glossary } from '../core/glossary';
import { keyNumber, NumberedSummary, numberedKey, StoredAnalysis, summaryMentionStride, type PackedRecord, type SummaryColumns, type SummaryNumbers } from '../core/storedAnalysis';
import type { DatePrecision, StatementDate } from '../core/types';
import type { FileStamp } from './files';
import type { StoredDocument } from './indexing';

/** Bump when the record layout or the analysis changes, so older caches are discarded. */
export const indexCacheFormat = 8;
const magic = 'policy-lens-index-cache';

export interface CacheEntry {
	readonly path: string;
	readonly hash: string;
	readonly stamp: FileStamp;
	readonly document: StoredDocument;
}

/*
 * The file: a 4-byte length, the header (serialized with `node:v8`), the large integer columns
 * as raw 32-bit integers (from a 4-byte boundary), then every document's serialized record back
 * to back. Each column is read into a buffer of its own and viewed in place, not copied; the
 * mention column only when first needed. The header holds one column per field, so reading it
 * makes few objects whatever the corpus size; summaries name their keys by index into one table,
 * so ten thousand documents mentioning "JAXA" store the string once. Records are not read at
 * start: each is read from the file when the index first needs it.
 */

/** The columns stored raw after the header, in this order; each is read from the file when first needed. */
interface CacheColumns {
	/** Per document: entity, acronym and definition key counts, then the key indices in that order, then each definition's expansion. */
	readonly keys: KeyColumn;
	/** Every document's mentions: start, end, key (an index into the document's keys), paragraph. */
	readonly mentions: MentionColumn;
	/** Every document's line starts, back to back. */
	readonly lines: LazyColumn;
}

interface CacheHeader {
	readonly magic: string;
	readonly format: number;
	/** Identifies the glossary the records were analysed with (see `glossaryFingerprint`). */
	readonly fingerprint: string;
	readonly keys: readonly string[];
	/** How many documents the cache holds. */
	readonly count: number;
	/**
	 * Every document's path, URI and content hash, each list joined by NUL, which none can hold
	 * (nor a date's text: a file with a NUL byte is not indexed). One string per list reads in
	 * one copy, and splitting it gives views into it, where a list of strings reads as a string each.
	 */
	readonly paths: string;
	readonly uris: string;
	readonly hashes: string;
	readonly sizes: Float64Array;
	readonly mtimes: Float64Array;
	readonly statements: Uint8Array;
	/** Per document, its date's precision (`datePrecisions`, 0 for no date), ISO form and text, joined by NUL. */
	readonly datePrecisions: Uint8Array;
	readonly dateIsos: string;
	readonly dateTexts: string;
	/** The lengths of the raw columns, in integers. */
	readonly columnLengths: readonly number[];
	/** Where each document's key data starts in `keyData`, and where the last ends. */
	readonly keyOffsets: Float64Array;
	/** Where each document's mentions start in `mentionData`, and where the last end. */
	readonly mentionOffsets: Float64Array;
	/** Where each document's line starts start in `lineData`, and where the last end. */
	readonly lineOffsets: Float64Array;
	/** Where each document's record starts in the record region, and where the last ends. */
	readonly recordOffsets: Float64Array;
}

/** Why a cache made with another glossary is discarded. */
export const cacheFromAnotherGlossary = 'the glossary changed since it was written';

/** What a read of the cache gave: its entries and the fingerprint of the glossary they were made with, or why there are none. */
export type CacheLoad = { readonly entries: readonly CacheEntry[]; readonly fingerprint: string } | { readonly discarded: string } | { readonly missing: true };

/**
 * Reads the cache, synchronously: a local file of some tens of megabytes reads in milliseconds,
 * and a start that reads it in one go files the whole cache before the first request is served,
 * instead of serving (say) a hover on a long draft first. A cache made with another glossary
 * than `fingerprint` is discarded; without a fingerprint (the glossary is still loading), the
 * caller compares the one returned once it knows.
 */
export function loadIndexCache(file: string, fingerprint: string | undefined): CacheLoad {
	let descriptor: number;
	try {
		descriptor = openSync(file, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
		return { discarded: `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
	}
	let keepOpen = false;
	try {
		const { size } = fstatSync(descriptor);
		const lengthBytes = Buffer.alloc(4);
		if (size < 4 || readFully(descriptor, lengthBytes, 0) < 4) return { discarded: 'it is damaged or truncated (no header)' };
		const headerLength = lengthBytes.readUInt32LE(0);
		if (4 + headerLength > size) return { discarded: 'it is damaged or truncated (the header is cut short)' };
		const headerBytes = Buffer.alloc(headerLength);
		readFully(descriptor, headerBytes, 4);
		let header: CacheHeader;
		try {
			header = deserialize(headerBytes) as CacheHeader;
		} catch (error) {
			return { discarded: `it is damaged or truncated (${error instanceof Error ? error.message : String(error)})` };
		}
		if (typeof header !== 'object' || header === null || header.magic !== magic) return { discarded: 'it is not a Policy Lens index cache' };
		if (header.format !== indexCacheFormat) return { discarded: `it is in format ${String(header.format)}, and this version reads format ${indexCacheFormat}` };
		if (typeof header.fingerprint !== 'string' || (fingerprint !== undefined && header.fingerprint !== fingerprint)) return { discarded: cacheFromAnotherGlossary };
		const lengths = header.columnLengths;
		if (!Array.isArray(lengths) || lengths.length !== 3 || !lengths.every((length) => Number.isInteger(length) && length >= 0)) return { discarded: 'its header is malformed' };
		const columnsStart = alignToFour(4 + headerLength);
		const [keyLength, mentionLength, lineLength] = lengths as [number, number, number];
		const recordsStart = columnsStart + (keyLength + mentionLength + lineLength) * 4;
		if (recordsStart > size) return { discarded: 'it is damaged or truncated (the columns are cut short)' };
		const problem = checkHeader(header, lengths as [number, number, number], size - recordsStart);
		if (problem) return { discarded: problem };
		// The columns are read when first needed, not before the start files what the cache holds.
		const keys = new KeyColumn(descriptor, columnsStart, header);
		const columns: CacheColumns = {
			keys,
			mentions: new MentionColumn(descriptor, columnsStart + keyLength * 4, header, keys),
			lines: new LazyColumn(descriptor, columnsStart + (keyLength + mentionLength) * 4, lineLength),
		};
		const rows = new CacheRows(header, columns, descriptor, recordsStart);
		if (!rows.fits()) return { discarded: 'its header is malformed' };
		const entries: CacheEntry[] = [];
		for (let row = 0; row < header.count; row++) entries.push(new CachedEntry(rows, row));
		// The descriptor stays open for the server's life: the entries read their records through it.
		keepOpen = true;
		return { entries, fingerprint: header.fingerprint };
	} finally {
		if (!keepOpen) closeSync(descriptor);
	}
}

/** Reads into all of `buffer` from `position`, or up to the end of the file; returns the bytes read. */
function readFully(descriptor: number, buffer: Uint8Array, position: number): number {
	let done = 0;
	while (done < buffer.length) {
		const read = readSync(descriptor, buffer, done, buffer.length - done, position + done);
		if (read === 0) break;
		done += read;
	}
	return done;
}

function checkHeader(header: CacheHeader, [keyLength, mentionLength, lineLength]: readonly [number, number, number], recordBytes: number): string | undefined {
	const count = Number.isInteger(header.count) && header.count >= 0 ? header.count : -1;
	// Their lengths are checked once split: paths and URIs at start (`CacheRows.fits`), the others when first read (`JoinedList`).
	const listsFit = [header.paths, header.uris, header.hashes, header.dateIsos, header.dateTexts].every((list) => typeof list === 'string');
	const offsetsFit = (offsets: unknown, last: number) => offsets instanceof Float64Array && offsets.length === count + 1 && offsets[count] === last && ascending(offsets);
	const columnsFit =
		count >= 0 && listsFit && Array.isArray(header.keys) &&
		header.sizes instanceof Float64Array && header.sizes.length === count && header.mtimes instanceof Float64Array && header.mtimes.length === count &&
		header.statements instanceof Uint8Array && header.statements.length === count && header.datePrecisions instanceof Uint8Array && header.datePrecisions.length === count &&
		offsetsFit(header.keyOffsets, keyLength) && offsetsFit(header.mentionOffsets, mentionLength) && offsetsFit(header.lineOffsets, lineLength) &&
		header.recordOffsets instanceof Float64Array && header.recordOffsets.length === count + 1;
	if (!columnsFit) return 'its header is malformed';
	if (header.recordOffsets[count] !== recordBytes) return `it is damaged or truncated (${recordBytes} bytes of records where the header expects ${header.recordOffsets[count]})`;
	return undefined;
}

/** Whether each offset is at least the one before; a loop, not `every`, which ran a callback per document at each start. */
function ascending(offsets: Float64Array): boolean {
	for (let index = 1; index < offsets.length; index++) if (offsets[index]! < offsets[index - 1]!) return false;
	return true;
}

/**
 * Maps every key index of the key column, in place, to its process-wide number (`keyNumber`)
 * through the header's key table, and checks each document's counts against its length. A
 * document whose counts do not fit, or whose keys are out of range (a damaged file), is marked in
 * the returned flags and gets no keys: its counts are set to zero. One pass over all documents,
 * so the loops run optimised from the start instead of once per document.
 */
function numberKeys(header: CacheHeader, data: Int32Array, keyNumbers: Int32Array): Uint8Array {
	// The header is a deserialized object in dictionary mode: its fields are read once, not per document.
	const count = header.count;
	const offsets = header.keyOffsets;
	const keyCount = keyNumbers.length;
	const damaged = new Uint8Array(count);
	for (let index = 0; index < count; index++) {
		const start = offsets[index]! | 0;
		const end = offsets[index + 1]! | 0;
		const entities = data[start]!;
		const acronyms = data[start + 1]!;
		const definitions = data[start + 2]!;
		let fits = end - start >= 3 && entities >= 0 && acronyms >= 0 && definitions >= 0 && 3 + entities + acronyms + 2 * definitions === end - start;
		for (let position = start + 3; fits && position < end; position++) {
			const key = data[position]!;
			if (key < 0 || key >= keyCount) fits = false;
			else data[position] = keyNumbers[key]!;
		}
		if (!fits) {
			damaged[index] = 1;
			if (end - start >= 3) data.fill(0, start, start + 3);
		}
	}
	return damaged;
}

/** A column of 32-bit integers, read from the file into a buffer of its own (so it can be viewed as integers where it lies). */
function readColumn(descriptor: number, position: number, length: number): Int32Array {
	const raw = Buffer.allocUnsafeSlow(length * 4);
	readFully(descriptor, raw, position);
	return new Int32Array(raw.buffer, raw.byteOffset, length);
}

/** A column of 32-bit integers in the cache file, read into memory the first time it is asked for. */
class LazyColumn {
	private data: Int32Array | undefined;

	constructor(
		private readonly descriptor: number,
		private readonly position: number,
		private readonly length: number,
	) {}

	get(): Int32Array {
		return (this.data ??= readColumn(this.descriptor, this.position, this.length));
	}
}

/**
 * The key column, read from the cache file the first time any document's keys are needed (the
 * index's postings, built at the first question or once the index is ready): a start does not
 * wait for it. When read, its key indices become process-wide numbers (`numberKeys`); a damaged
 * document gets no keys.
 */
class KeyColumn {
	private data: Int32Array | undefined;
	private damagedRows: Uint8Array | undefined;

	constructor(
		private readonly descriptor: number,
		private readonly position: number,
		private readonly header: CacheHeader,
	) {}

	get(): Int32Array {
		if (!this.data) {
			const header = this.header;
			const data = readColumn(this.descriptor, this.position, header.keyOffsets[header.count]!);
			this.damagedRows = numberKeys(header, data, Int32Array.from(header.keys, (key) => keyNumber(String(key))));
			this.data = data;
		}
		return this.data;
	}

	/** Whether the document's keys were damaged (it then has none). */
	damaged(row: number): boolean {
		this.get();
		return this.damagedRows![row] === 1;
	}
}

/**
 * The mention column, read from the cache file the first time any document's mentions are
 * needed (the corpus tables built once the index is ready, or a references question): a start
 * does not wait for it. At ten thousand statements it is 19 MB, two thirds of the columns. When
 * read, each document's mention keys are checked against its key counts; a document whose are
 * out of range (a damaged file) gets no mentions rather than wrong ones.
 */
class MentionColumn {
	private data: Int32Array | undefined;
	private damaged: Uint8Array | undefined;

	constructor(
		private readonly descriptor: number,
		private readonly position: number,
		private readonly header: CacheHeader,
		private readonly keys: KeyColumn,
	) {}

	/** The mentions of the document at `index`. */
	of(index: number): Int32Array {
		const header = this.header;
		const data = this.read();
		return this.damaged![index] ? new Int32Array(0) : data.subarray(header.mentionOffsets[index]!, header.mentionOffsets[index + 1]!);
	}

	private read(): Int32Array {
		if (this.data) return this.data;
		const header = this.header;
		const keyData = this.keys.get();
		const data = readColumn(this.descriptor, this.position, header.mentionOffsets[header.count]!);
		const damaged = new Uint8Array(header.count);
		for (let index = 0; index < header.count; index++) {
			const start = header.keyOffsets[index]! | 0;
			const keyCount = keyData[start]! + keyData[start + 1]!;
			const end = header.mentionOffsets[index + 1]! | 0;
			for (let base = (header.mentionOffsets[index]! | 0) + 2; base < end; base += summaryMentionStride) {
				if (data[base]! >= keyCount || data[base]! < 0) {
					damaged[index] = 1;
					break;
				}
			}
		}
		this.damaged = damaged;
		return (this.data = data);
	}
}

/**
 * The columns read from the cache file, which each cached document's summary reads its arrays
 * from when first asked: views into the columns (the key lists into the key column, numbered by
 * `numberKeys`), not copies, made per document only for the documents something reads.
 */
class CacheRows implements SummaryColumns {
	readonly paths: readonly string[];
	readonly uris: readonly string[];
	/**
	 * Split when first read: a start compares stamps, and reads hashes and dates only for what it
	 * re-reads or sorts. Their counts are checked then, not at start; a list that does not fit
	 * (a damaged file) reads as unknown: no hash, so a file whose stamp changed is analysed
	 * again, and no date.
	 */
	private readonly hashes: JoinedList;
	private readonly dateIsos: JoinedList;
	private readonly dateTexts: JoinedList;

	constructor(
		readonly header: CacheHeader,
		private readonly columns: CacheColumns,
		private readonly descriptor: number,
		private readonly recordsStart: number,
	) {
		const count = header.count;
		this.paths = splitList(header.paths, count);
		this.uris = splitList(header.uris, count);
		this.hashes = new JoinedList(header.hashes, count);
		this.dateIsos = new JoinedList(header.dateIsos, count);
		this.dateTexts = new JoinedList(header.dateTexts, count);
	}

	hashOf(row: number): string {
		return this.hashes.get(row) ?? '';
	}

	/** The key column, numbered: read from the file when first asked for. */
	get keyColumn(): Int32Array {
		return this.columns.keys.get();
	}

	/** Whether every list has a string per document. */
	fits(): boolean {
		const count = this.header.count;
		return this.paths.length === count && this.uris.length === count;
	}

	keyStartOf(row: number): number {
		return this.header.keyOffsets[row]!;
	}

	dateOf(row: number): StatementDate | undefined {
		const precision = datePrecisions[this.header.datePrecisions[row]!];
		if (!precision) return undefined;
		const iso = this.dateIsos.get(row);
		const text = this.dateTexts.get(row);
		return iso === undefined || text === undefined ? undefined : { iso, precision, text };
	}

	mentionsOf(row: number): Int32Array {
		return this.columns.mentions.of(row);
	}

	lineStartsOf(row: number): Int32Array {
		const offsets = this.header.lineOffsets;
		return this.columns.lines.get().subarray(offsets[row]!, offsets[row + 1]!);
	}

	numbersOf(row: number): SummaryNumbers {
		const numbered = this.keyColumn;
		const start = this.header.keyOffsets[row]! + 3;
		const entityCount = numbered[start - 3]!;
		const keysEnd = start + entityCount + numbered[start - 2]!;
		return { keys: numbered.subarray(start, keysEnd), entityCount, definitions: numbered.subarray(keysEnd, keysEnd + numbered[start - 1]!) };
	}

	expansionNumbersOf(row: number): Int32Array {
		const numbered = this.keyColumn;
		if (this.columns.keys.damaged(row)) return new Int32Array(0);
		const start = this.header.keyOffsets[row]!;
		const definitionsEnd = start + 3 + numbered[start]! + numbered[start + 1]! + numbered[start + 2]!;
		return numbered.subarray(definitionsEnd, this.header.keyOffsets[row + 1]!);
	}

	recordLength(row: number): number {
		return this.header.recordOffsets[row + 1]! - this.header.recordOffsets[row]!;
	}

	/**
	 * The document's serialized record, read from the file. The file stays open for the server's
	 * life: a later rewrite replaces it by a rename, so this descriptor keeps reading the version
	 * these offsets belong to.
	 */
	record(row: number): Uint8Array {
		const length = this.recordLength(row);
		const bytes = Buffer.allocUnsafe(length);
		readSync(this.descriptor, bytes, 0, length, this.recordsStart + this.header.recordOffsets[row]!);
		return bytes;
	}
}

/**
 * A cached document, as its cache entry, its stored document and the index's analysis of it: one
 * object per document (and its summary), whose fields are read from the header's columns when
 * asked, so a start files ten thousand of them without making a dozen objects for each.
 */
class CachedEntry extends StoredAnalysis implements CacheEntry, StoredDocument {
	constructor(
		private readonly rows: CacheRows,
		private readonly row: number,
	) {
		super(new NumberedSummary(rows.uris[row]!, rows.header.statements[row] === 1, rows, row));
	}

	protected override loadRecord(): PackedRecord {
		return deserialize(this.source()) as PackedRecord;
	}

	get path(): string {
		return this.rows.paths[this.row]!;
	}

	get hash(): string {
		return this.rows.hashOf(this.row);
	}

	get stamp(): FileStamp {
		return { size: this.rows.header.sizes[this.row]!, mtimeMs: this.rows.header.mtimes[this.row]! };
	}

	get document(): StoredDocument {
		return this;
	}

	/** The index's analysis of this document: itself. */
	get analysis(): StoredAnalysis {
		return this;
	}

	get length(): number {
		return this.rows.recordLength(this.row);
	}

	/** Replaced by an own property when the cache is written again (`saveIndexCache`), so the record comes from the new file. */
	source(): Uint8Array {
		return this.rows.record(this.row);
	}
}

/**
 * Writes the cache atomically (a temporary file, then a rename); returns its size in bytes.
 * Afterwards each document reads its record from the new file, so records made by workers
 * leave memory.
 */
export async function saveIndexCache(file: string, fingerprint: string, entryList: Iterable<CacheEntry>): Promise<number> {
	const entries = [...entryList];
	// The header's key table, by process-wide key number: summaries are numbered, so no string lists are made.
	const keys: string[] = [];
	const headerIndex: number[] = [];
	const indexOf = (number: number) => {
		let index = headerIndex[number];
		if (index === undefined) {
			index = headerIndex[number] = keys.length;
			keys.push(numberedKey(number));
		}
		return index;
	};
	// Two passes over the summaries, so that no column is built as a growing list: the first
	// sizes them, the second fills the key column. The mention and line columns are not copied
	// into one array at all but written document by document, a few megabytes at a time.
	const summaries = entries.map(({ document }) => NumberedSummary.of(document.summary));
	const keyOffsets = new Float64Array(entries.length + 1);
	const recordOffsets = new Float64Array(entries.length + 1);
	const mentionOffsets = new Float64Array(entries.length + 1);
	const lineOffsets = new Float64Array(entries.length + 1);
	summaries.forEach((summary, index) => {
		keyOffsets[index + 1] = keyOffsets[index]! + 3 + summary.numbers.keys.length + summary.numbers.definitions.length + summary.expansionNumbers.length;
		recordOffsets[index + 1] = recordOffsets[index]! + entries[index]!.document.length;
		mentionOffsets[index + 1] = mentionOffsets[index]! + summary.mentions.length;
		lineOffsets[index + 1] = lineOffsets[index]! + summary.lineStarts.length;
	});
	const keyData = new Int32Array(keyOffsets[entries.length]!);
	summaries.forEach((summary, index) => {
		const { keys: keyNumbers, entityCount, definitions } = summary.numbers;
		let at = keyOffsets[index]!;
		keyData[at++] = entityCount;
		keyData[at++] = keyNumbers.length - entityCount;
		keyData[at++] = definitions.length;
		for (const list of [keyNumbers, definitions, summary.expansionNumbers]) for (let position = 0; position < list.length; position++) keyData[at++] = indexOf(list[position]!);
	});
	const header: CacheHeader = {
		magic,
		format: indexCacheFormat,
		fingerprint,
		keys,
		count: entries.length,
		paths: entries.map((entry) => entry.path).join('\0'),
		uris: entries.map((entry) => entry.document.summary.uri).join('\0'),
		hashes: entries.map((entry) => entry.hash).join('\0'),
		sizes: Float64Array.from(entries, (entry) => entry.stamp.size),
		mtimes: Float64Array.from(entries, (entry) => entry.stamp.mtimeMs),
		statements: Uint8Array.from(entries, (entry) => (entry.document.summary.isStatement ? 1 : 0)),
		datePrecisions: Uint8Array.from(entries, (entry) => { const date = entry.document.summary.date; return date ? datePrecisions.indexOf(date.precision) : 0; }),
		dateIsos: entries.map((entry) => entry.document.summary.date?.iso ?? '').join('\0'),
		dateTexts: entries.map((entry) => entry.document.summary.date?.text ?? '').join('\0'),
		columnLengths: [keyData.length, mentionOffsets[entries.length]!, lineOffsets[entries.length]!],
		keyOffsets,
		mentionOffsets,
		lineOffsets,
		recordOffsets,
	};
	const headerBytes = serialize(header);
	const padding = Buffer.alloc(alignToFour(4 + headerBytes.length) - (4 + headerBytes.length));
	const bytesOf = (column: Int32Array) => Buffer.from(column.buffer, column.byteOffset, column.byteLength);
	const columnsLength = (keyData.length + mentionOffsets[entries.length]! + lineOffsets[entries.length]!) * 4;
	const length = Buffer.alloc(4);
	length.writeUInt32LE(headerBytes.length, 0);
	await mkdir(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	const output = await open(temporary, 'w');
	try {
		await output.write(length);
		await output.write(headerBytes);
		await output.write(padding);
		await output.write(bytesOf(keyData));
		for (const column of [(summary: NumberedSummary) => summary.mentions, (summary: NumberedSummary) => summary.lineStarts]) {
			await writeInChunks(output, summaries.length, (index) => bytesOf(column(summaries[index]!)));
		}
		// Records read and written in chunks of a few megabytes: one write per record would be slow, and
		// reading them all first would hold every record in memory and the event loop for as long.
		await writeInChunks(output, entries.length, (index) => {
			const record = entries[index]!.document.source();
			if (record.length !== entries[index]!.document.length) throw new Error(`the record of ${entries[index]!.path} changed size while the cache was written`);
			return record;
		});
		// On disk before it takes the cache's name (write, flush, rename: the usual atomic replace).
		// Without the flush, a crash soon after could leave the name on a file whose data never
		// reached the disk, on a file system that does not order the two; with it, the hundred
		// megabytes of 10,000 statements are written back here, off the server's thread, rather
		// than by the kernel later over whatever the machine does then.
		await output.datasync();
	} finally {
		await output.close();
	}
	await rename(temporary, file);
	// From now on, records come from the file just written.
	const handle = await open(file, 'r');
	const descriptor = handle.fd;
	const recordsStart = 4 + headerBytes.length + padding.length + columnsLength;
	entries.forEach(({ document }, index) => {
		const start = recordsStart + recordOffsets[index]!;
		const size = recordOffsets[index + 1]! - recordOffsets[index]!;
		document.source = () => {
			const bytes = Buffer.allocUnsafe(size);
			readSync(descriptor, bytes, 0, size, start);
			return bytes;
		};
	});
	retainedHandles.push(handle);
	// Older files' descriptors are kept only while some document may still read from them.
	while (retainedHandles.length > 2) void retainedHandles.shift()!.close();
	return recordsStart + recordOffsets[entries.length]!;
}

/** Writes the pieces `piece(0)`, `piece(1)`, … in order, gathered into writes of a few megabytes. */
async function writeInChunks(output: FileHandle, count: number, piece: (index: number) => Uint8Array): Promise<void> {
	for (let index = 0; index < count;) {
		const chunk: Uint8Array[] = [];
		let bytes = 0;
		for (; index < count && bytes < 4 * 1048576; index++) {
			const bytesOfPiece = piece(index);
			chunk.push(bytesOfPiece);
			bytes += bytesOfPiece.length;
		}
		await output.write(Buffer.concat(chunk, bytes));
	}
}

/** A list the header holds joined by NUL: `count` strings (none for an empty list). */
function splitList(joined: string, count: number): string[] {
	return count === 0 ? [] : joined.split('\0');
}

/** A list of `count` strings joined by NUL (`splitList`), split when an item is first asked for; undefined when it does not hold `count`. */
class JoinedList {
	private items: readonly string[] | undefined;

	constructor(
		private readonly joined: string,
		private readonly count: number,
	) {}

	get(index: number): string | undefined {
		if (!this.items) {
			const items = splitList(this.joined, this.count);
			this.items = items.length === this.count ? items : [];
		}
		return this.items[index];
	}
}

/** A date's precision by its number in the header; 0 is no date. */
const datePrecisions: ReadonlyArray<DatePrecision | undefined> = [undefined, 'day', 'month', 'year'];

function alignToFour(offset: number): number {
	return (offset + 3) & ~3;
}

/** Open cache files documents read their records from, written by this process (the one read at start stays open too). */
const retainedHandles: FileHandle[] = [];

/**
 * Identifies a glossary's content: records analysed with another glossary are not reused. Where
 * each entry is written (its origin) is left out: it changes no analysis, and it holds the path
 * the extension is installed at, so the build can work out the built-in glossary's fingerprint
 * ahead (`compileGlossary`).
 */
export function glossaryFingerprint(glossary: Glossary): string {
	const hash = createHash('sha1');
	hash.update(String(indexCacheFormat));
	for (const { origin: _origin, ...entity } of glossary.entities.values()) hash.update(JSON.stringify(entity));
	hash.update(JSON.stringify([...glossary.ignore]));
	return hash.digest('base64');
}
