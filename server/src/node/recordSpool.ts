// Where the records that workers send wait for the next index cache write: appended to a file
// beside the cache instead of kept in memory, so a cold start over ten thousand statements does
// not hold some 80 MB of records until the cache is written. Each document reads its record
// back from the spool when the index needs it; a cache write copies them into the cache file,
// after which that spool is deleted.
import { closeSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NumberedSummary } from '../core/storedAnalysis';
import { inMemory, type PackedBytes, type StoredDocument } from './indexing';

const prefix = 'index-records.';
const suffix = '.spool';

export class RecordSpool {
	private file: { readonly path: string; readonly descriptor: number; size: number } | undefined;
	private generation = 0;
	private failed = false;

	/** @param directory the cache folder; without one, records stay in memory. */
	constructor(private readonly directory: string | undefined) {
		if (directory) removeLeftovers(directory);
	}

	/** The document, its record appended to the spool (or, when the spool cannot be written, kept in memory). */
	store(packed: PackedBytes): StoredDocument {
		const file = this.open();
		if (!file) return inMemory(packed);
		const { data } = packed;
		const at = file.size;
		try {
			writeSync(file.descriptor, data, 0, data.length, at);
		} catch {
			this.failed = true;
			return inMemory(packed);
		}
		file.size += data.length;
		const { descriptor } = file;
		const length = data.length;
		return {
			summary: NumberedSummary.of(packed.summary),
			source: () => {
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
			if (!previous) return;
			closeSync(previous.descriptor);
			try {
				unlinkSync(previous.path);
			} catch {
				// Already gone: nothing to reclaim.
			}
		};
	}

	/** Deletes the spool: at shutdown, when the records are no longer needed. */
	dispose(): void {
		this.rotate()();
	}

	private open(): RecordSpool['file'] {
		if (this.file || this.failed || !this.directory) return this.file;
		const path = join(this.directory, `${prefix}${process.pid}.${this.generation++}${suffix}`);
		try {
			this.file = { path, descriptor: openSync(path, 'w+'), size: 0 };
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
