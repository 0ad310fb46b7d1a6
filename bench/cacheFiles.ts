// The server's index cache as files on disk. The harness knows nothing of its format; it only
// needs to know when a cold start has finished writing it (the server writes it a moment after
// the index settles, through a temporary file), so a warm start really finds it, and how to make
// it look older for the bad-cache case.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { listFiles } from './corpus';
import { now } from './processes';

const isTemporary = (path: string) => /\.tmp$|\.tmp\.|~$/.test(basename(path));

/** The cache files proper: temporary files of an unfinished write left out. */
export function cacheFiles(directory: string): Array<{ path: string; size: number }> {
	return listFiles(directory).filter((file) => !isTemporary(file.path));
}

/**
 * Waits until the folder holds at least one cache file, no temporary one, and has not changed
 * for `quietMs`. Resolves with how long that took, or undefined if it did not happen by the
 * deadline (a server without a cache, or one that never finishes writing it).
 */
export async function waitForCacheWritten(directory: string, deadlineMs: number, quietMs = 1000): Promise<number | undefined> {
	const started = now();
	let signature = '';
	let stableSince = now();
	while (now() - started < deadlineMs) {
		const files = listFiles(directory);
		const current = files.map((file) => `${file.path}:${file.size}`).join('\n');
		if (current !== signature) {
			signature = current;
			stableSince = now();
		} else if (files.length > 0 && !files.some((file) => isTemporary(file.path)) && now() - stableSince >= quietMs) {
			return now() - started;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return undefined;
}

const versionKeys = ['format', 'formatVersion', 'cacheVersion', 'schemaVersion', 'version'];

function lowerVersion(content: unknown): string | undefined {
	if (typeof content !== 'object' || content === null) return undefined;
	const record = content as Record<string, unknown>;
	const key = versionKeys.find((name) => typeof record[name] === 'number');
	if (key === undefined) return undefined;
	const version = record[key] as number;
	record[key] = version - 1;
	return `${key} ${version} → ${version - 1}`;
}

/**
 * Makes a cache file look written by an older version of the server: a numeric `format` (or
 * `version`, `formatVersion`, …) at the top of a V8-serialized or JSON file, or of a V8-serialized
 * header after a 4-byte length (the index cache), gzipped or not,
 * goes down by one. Returns what it did, or undefined when it found no version to change.
 */
export function makeOlderVersion(path: string): string | undefined {
	let bytes: Buffer = readFileSync(path);
	const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
	if (gzipped) bytes = gunzipSync(bytes);
	const encode = (changed: Buffer) => writeFileSync(path, gzipped ? gzipSync(changed) : changed);
	const suffix = gzipped ? ' (inside gzip)' : '';
	try {
		const content: unknown = deserialize(bytes);
		const done = lowerVersion(content);
		if (done) {
			encode(serialize(content));
			return `${basename(path)}: V8-serialized, ${done}${suffix}`;
		}
	} catch {
		// Not V8-serialized; try JSON.
	}
	// A 4-byte length, a V8-serialized header of that length, then raw data from the next 4-byte boundary.
	try {
		const length = bytes.length >= 4 ? bytes.readUInt32LE(0) : -1;
		if (length > 0 && 4 + length <= bytes.length) {
			const content: unknown = deserialize(bytes.subarray(4, 4 + length));
			const done = lowerVersion(content);
			if (done) {
				const header = serialize(content);
				const alignedEnd = (offset: number) => (offset + 3) & ~3;
				const prefix = Buffer.alloc(4);
				prefix.writeUInt32LE(header.length, 0);
				const padding = Buffer.alloc(alignedEnd(4 + header.length) - (4 + header.length));
				encode(Buffer.concat([prefix, header, padding, bytes.subarray(alignedEnd(4 + length))]));
				return `${basename(path)}: length-prefixed V8-serialized header, ${done}${suffix}`;
			}
		}
	} catch {
		// Not a length-prefixed header; try JSON.
	}
	try {
		const content: unknown = JSON.parse(bytes.toString('utf8'));
		const done = lowerVersion(content);
		if (done) {
			encode(Buffer.from(JSON.stringify(content)));
			return `${basename(path)}: JSON, ${done}${suffix}`;
		}
	} catch {
		// Not JSON either: a format the harness cannot read.
	}
	return undefined;
}
