// Where the records that workers send wait for the next index cache write: appended to a file
// beside the cache instead of kept in memory, so a cold start over ten thousand statements does
// not hold some 80 MB of records until the cache is written. Each document reads its record
// back from the spool when the index needs it; a cache write copies them into the cache file,
// after which that spool is deleted.
import { closeSync, openSync, readdirSync, readSync, unlinkSync, write } from 'node:fs';
import { join } from 'node:path';
import { NumberedSummary } from '../core/storedAnalysis';
import { inMemory, type PackedBytes, type StoredDocument } from './indexing';

const prefix = 'index-records.';
const suffix = '.spool';

interface SpoolFile {
	readonly path: string;
	readonly descriptor: number;
	/** Bytes given a place in the file, written or not. */
	size: number;
	/** Records waiting to be written, from `size - pendingBytes` on, and whether a write is under way. */
	pending: Array<{ data: Uint8Array | undefined }>;
	pendingBytes: number;
	writing: boolean;
	closed: boolean;
	/** Called when nothing is left to write. */
	waiters: Array<() => void>;
}

export class RecordSpool {
	private file: SpoolFile | undefined;
	private generation = 0;
	private failed = false;

	/** @param directory the cache folder; without one, records stay in memory. */
	constructor(private readonly directory: string | undefined) {
		if (directory) removeLeftovers(directory);
	}

	/**
	 * The document, its record given a place in the spool (or, when the spool cannot be
	 * written, kept in memory). Records are written in batches off the main thread; until its
	 * batch is written, a record is read from memory.
	 */
	store(packed: PackedBytes): StoredDocument {
		const file = this.open();
		if (!file) return inMemory(packed);
		const length = packed.data.length;
		const at = file.size;
		file.size += length;
		const entry: { data: Uint8Array | undefined } = { data: packed.data };
		file.pending.push(entry);
		file.pendingBytes += length;
		this.flush(file);
		const { descriptor } = file;
		return {
			summary: NumberedSummary.of(packed.summary),
			length,
			source: () => {
				if (entry.data) return entry.data;
				const bytes = Buffer.allocUnsafe(length);
				readSync(descriptor, bytes, 0, length, at);
				return bytes;
			},
		};
	}

	/**
	 * Starts a new spool for records that arrive from now on, and returns a function that deletes
	 * the previous one: to be called once a cache write has copied every record it holds.
	 */
	rotate(): () => void {
		const previous = this.file;
		this.file = undefined;
		return () => {
			if (!previous || previous.closed) return;
			previous.closed = true;
			// A write still under way keeps its records in memory; the descriptor closes after it.
			if (!previous.writing) closeSync(previous.descriptor);
			try {
				unlinkSync(previous.path);
			} catch {
				// Already gone: nothing to reclaim.
			}
		};
	}

	/** Resolves once every record stored so far is written (or its write has failed and it stays in memory). */
	whenWritten(): Promise<void> {
		const file = this.file;
		if (!file || (!file.writing && file.pending.length === 0)) return Promise.resolve();
		return new Promise((resolve) => file.waiters.push(resolve));
	}

	/** Deletes the spool: at shutdown, when the records are no longer needed. */
	dispose(): void {
		this.rotate()();
	}

	/** Writes the waiting records in one batch, one batch at a time; a failed write leaves them in memory. */
	private flush(file: SpoolFile): void {
		if (file.writing) return;
		if (file.closed || file.pending.length === 0) {
			for (const resolve of file.waiters.splice(0)) resolve();
			return;
		}
		const batch = file.pending;
		const chunk = Buffer.concat(batch.map((entry) => entry.data!));
		const position = file.size - file.pendingBytes;
		file.pending = [];
		file.pendingBytes = 0;
		file.writing = true;
		write(file.descriptor, chunk, 0, chunk.length, position, (error) => {
			file.writing = false;
			if (file.closed) {
				closeSync(file.descriptor);
				for (const resolve of file.waiters.splice(0)) resolve();
				return;
			}
			if (error) {
				// The records stay in memory, and later ones do too.
				this.failed = true;
				for (const resolve of file.waiters.splice(0)) resolve();
				return;
			}
			for (const entry of batch) entry.data = undefined;
			this.flush(file);
		});
	}

	private open(): SpoolFile | undefined {
		if (this.file || this.failed || !this.directory) return this.file;
		const path = join(this.directory, `${prefix}${process.pid}.${this.generation++}${suffix}`);
		try {
			this.file = { path, descriptor: openSync(path, 'w+'), size: 0, pending: [], pendingBytes: 0, writing: false, closed: false, waiters: [] };
		} catch {
			this.failed = true;
		}
		return this.file;
	}
}

/** Spools left by a server that ended without cleaning up (killed, or crashed) and is no longer running. */
function removeLeftovers(directory: string): void {
	let names: string[];
	try {
		names = readdirSync(directory);
	} catch {
		return;
	}
	for (const name of names) {
		if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
		const pid = Number(name.slice(prefix.length).split('.')[0]);
		if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) continue;
		try {
			unlinkSync(join(directory, name));
		} catch {
			// Another server removed it first.
		}
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
