// The record spool: workers' records wait in a file beside the index cache, read back exactly,
// and the file goes once a cache write has taken its records.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deserialize } from 'node:v8';
import { analyzeDocument } from '../../server/src/core/analysis';
import { packAnalysis, type PackedRecord } from '../../server/src/core/storedAnalysis';
import { storeAnalysis } from '../../server/src/node/indexing';
import { RecordSpool } from '../../server/src/node/recordSpool';
import { fixtureLexicon } from '../support/fixtureGlossary';

const folders: string[] = [];
after(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
	const path = mkdtempSync(join(tmpdir(), 'policy-lens-spool-'));
	folders.push(path);
	return path;
}

function packed(n: number) {
	const text = `[Title] Spool ${n}\n[Date] May ${n}, 2022\n[Full text]\n\n1. The Japan Aerospace Exploration Agency (JAXA) met the Reef Council ${n} (RC${n}).\n`;
	return storeAnalysis(packAnalysis(analyzeDocument(`file:///spool/${n}.txt`, text, fixtureLexicon())));
}

const spools = (directory: string) => readdirSync(directory).filter((name) => name.endsWith('.spool'));

describe('the record spool', () => {
	test('records are read back exactly, from memory until written and from a file beside the cache after', async () => {
		const directory = folder();
		const spool = new RecordSpool(directory);
		const originals = [1, 2, 3].map(packed);
		const stored = originals.map((original) => spool.store(original));
		assert.equal(spools(directory).length, 1);
		const expected = originals.map((original) => deserialize(Buffer.from(original.data)) as PackedRecord);
		const check = () => stored.forEach((document, index) => {
			assert.deepEqual(deserialize(document.source()) as PackedRecord, expected[index]);
			assert.equal(document.summary.uri, originals[index]!.summary.uri);
			assert.deepEqual(document.summary.entityKeys, originals[index]!.summary.entityKeys);
		});
		check();
		// Once written, the records come from the file: the bytes in memory no longer matter.
		await spool.whenWritten();
		const total = originals.reduce((sum, original) => sum + original.data.length, 0);
		assert.equal(statSync(join(directory, spools(directory)[0]!)).size, total);
		for (const original of originals) original.data.fill(0);
		check();
		spool.dispose();
		assert.deepEqual(spools(directory), []);
	});

	test('rotating starts a new file, and releasing deletes the old one only', () => {
		const directory = folder();
		const spool = new RecordSpool(directory);
		spool.store(packed(1));
		const release = spool.rotate();
		const later = spool.store(packed(2));
		assert.equal(spools(directory).length, 2);
		release();
		assert.equal(spools(directory).length, 1);
		assert.equal((deserialize(later.source()) as PackedRecord).uri, 'file:///spool/2.txt');
		spool.dispose();
	});

	test("a spool left by a server that is no longer running is removed; a running one's is kept", () => {
		const directory = folder();
		const stale = join(directory, 'index-records.999999999.0.spool');
		const running = join(directory, `index-records.${process.ppid}.0.spool`);
		writeFileSync(stale, 'x');
		writeFileSync(running, 'x');
		new RecordSpool(directory).dispose();
		assert.equal(existsSync(stale), false);
		assert.equal(existsSync(running), true);
	});

	test('without a folder, or when the folder cannot be written, records stay in memory', () => {
		const missing = join(folder(), 'not', 'there');
		for (const spool of [new RecordSpool(undefined), new RecordSpool(missing)]) {
			const original = packed(4);
			const document = spool.store(original);
			assert.deepEqual(deserialize(document.source()) as PackedRecord, deserialize(original.data) as PackedRecord);
		}
		assert.equal(existsSync(missing), false);
	});
});
