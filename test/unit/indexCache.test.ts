// The index cache file (server/src/node/indexCache.ts) read back in-process: summaries equal what
// was written (their mentions read from the file when first asked for), and a damaged mention
// column costs the damaged document its mentions, never a crash.
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deserialize } from 'node:v8';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { NumberedSummary, packDocument, StoredAnalysis, summaryMentionStride } from '../../server/src/core/storedAnalysis';
import { loadIndexCache, saveIndexCache, type CacheEntry } from '../../server/src/node/indexCache';
import { inMemory, storeAnalysis, toStoredAnalysis } from '../../server/src/node/indexing';
import { shippedLexicon } from '../support/shippedGlossary';

const folder = mkdtempSync(join(tmpdir(), 'policy-lens-cache-file-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const texts = [
	'[Title] Joint Statement\n[Date] August 27, 2024\n[Full text]\nThe Japan Aerospace Exploration Agency (JAXA) and NASA signed the Artemis Accords.\nJAXA will fly QZSS.\n',
	'MEXT funds JAXA.\nThe Outer Space Treaty binds both.\n',
	'NICT and JAXA met on space situational awareness; NASA joined.\n',
];

async function writeCache(file: string): Promise<CacheEntry[]> {
	const lexicon = shippedLexicon();
	const entries = texts.map((text, number): CacheEntry => {
		// Paths with a space and past ASCII, which the header keeps in one string per list.
		const path = join(folder, number === 2 ? `statement ${number} 宇宙.txt` : `statement-${number}.txt`);
		return { path, hash: `hash-${number}`, stamp: { size: text.length, mtimeMs: number }, document: inMemory(storeAnalysis(packDocument(`file://${path}`, text, lexicon))) };
	});
	await saveIndexCache(file, 'fingerprint', entries);
	return entries;
}

function loaded(file: string): Map<string, CacheEntry> {
	const result = loadIndexCache(file, 'fingerprint');
	assert.ok('entries' in result, JSON.stringify(result));
	return new Map(result.entries.map((entry) => [entry.path, entry]));
}

test('summaries read back equal the summaries written, mentions included', async () => {
	const file = join(folder, 'whole.bin');
	const written = await writeCache(file);
	const read = loaded(file);
	for (const entry of written) {
		const back = read.get(entry.path)!.document.summary as NumberedSummary;
		const original = entry.document.summary as NumberedSummary;
		assert.deepEqual([...back.mentions], [...original.mentions], entry.path);
		assert.ok(original.mentions.length > 0);
		assert.deepEqual([...back.lineStarts], [...original.lineStarts]);
		assert.deepEqual([back.entityKeys, back.acronymKeys, back.definitionKeys, back.definitionExpansions], [original.entityKeys, original.acronymKeys, original.definitionKeys, original.definitionExpansions]);
		const readEntry = read.get(entry.path)!;
		assert.deepEqual([readEntry.path, readEntry.hash, readEntry.stamp, readEntry.document.length], [entry.path, entry.hash, entry.stamp, entry.document.length]);
		assert.deepEqual([back.uri, back.isStatement, back.date], [original.uri, original.isStatement, original.date]);
		assert.deepEqual(readEntry.document.source(), entry.document.source());
	}
	assert.equal(written[0]!.document.summary.date?.iso, '2024-08-27', 'a dated statement among them');
	assert.equal(written[1]!.document.summary.date, undefined, 'and an undated text');
});

test('cached documents filed together give the index that filing them one by one gives', async () => {
	const file = join(folder, 'filed.bin');
	const written = await writeCache(file);
	const read = loaded(file);
	// Cached summaries (keys read from the cache's column) and in-memory ones (keys held) in one call,
	// one of them replacing a document the index holds already under its URI.
	const cached = written.map((entry) => toStoredAnalysis(read.get(entry.path)!.document));
	const inMemoryDocument = toStoredAnalysis(inMemory(storeAnalysis(packDocument(`file://${join(folder, 'other.txt')}`, 'NASA and NICT met; the Artemis Accords (AA) were cited.\n', shippedLexicon()))));
	const earlier = StoredAnalysis.of(packDocument(cached[1]!.uri, 'An older text of the same file, the only one to mention GPM.\n', shippedLexicon()));
	const oneByOne = new CorpusIndex();
	const together = new CorpusIndex();
	for (const index of [oneByOne, together]) index.set(earlier);
	assert.equal(together.documentsMentioning(['GPM']).length, 1);
	for (const document of [...cached, inMemoryDocument]) oneByOne.set(document);
	together.addStored([...cached, inMemoryDocument]);
	const view = (index: CorpusIndex) => {
		const keys = new Set<string>();
		for (const document of index.all()) {
			const summary = (document as StoredAnalysis).summary;
			for (const key of [...summary.entityKeys, ...summary.acronymKeys, ...summary.definitionKeys]) keys.add(key);
		}
		keys.add('GPM');
		return {
			size: index.size,
			statements: index.statementCount,
			documents: [...index.all()].map((document) => document.uri).sort(),
			stored: index.storedDocuments().map((document) => document.uri),
			mentioning: [...keys].sort().map((key) => [key, index.documentsMentioning([key]).map((document) => document.uri)]),
			definitions: [...index.definedAcronyms()].sort().map((acronym) => [acronym, index.definitionsOf(acronym).map((definition) => [definition.document.uri, definition.definition.expansion])]),
		};
	};
	const expected = view(oneByOne);
	assert.deepEqual(view(together), expected);
	assert.deepEqual(expected.mentioning.find(([key]) => key === 'JAXA')?.[1]?.length, 3, 'JAXA is mentioned in three of them');
	assert.deepEqual(expected.mentioning.find(([key]) => key === 'GPM')?.[1], [], 'the replaced document no longer counts');
	assert.ok(expected.definitions.length > 0);
	// A document filed together and gone again before any question (a file deleted while the editor was closed) leaves nothing behind.
	const goneEarly = new CorpusIndex();
	goneEarly.set(earlier);
	goneEarly.addStored([...cached, inMemoryDocument]);
	assert.ok(goneEarly.hasUnposted);
	goneEarly.delete(cached[2]!.uri);
	oneByOne.delete(cached[2]!.uri);
	assert.deepEqual(view(goneEarly), view(oneByOne));
	assert.equal(goneEarly.hasUnposted, false, 'the questions posted the rest');
});

test('a damaged mention key costs that document its mentions, and the others keep theirs', async () => {
	const file = join(folder, 'damaged.bin');
	const written = await writeCache(file);
	// The second document's first mention gets a key index past its key lists.
	const bytes = readFileSync(file);
	const headerLength = bytes.readUInt32LE(0);
	const header = deserialize(bytes.subarray(4, 4 + headerLength)) as { columnLengths: number[]; mentionOffsets: Float64Array };
	const mentionColumn = ((4 + headerLength + 3) & ~3) + header.columnLengths[0]! * 4;
	const descriptor = openSync(file, 'r+');
	const at = mentionColumn + (header.mentionOffsets[1]! + 2) * 4;
	const key = Buffer.alloc(4);
	readSync(descriptor, key, 0, 4, at);
	key.writeInt32LE(1_000_000, 0);
	writeSync(descriptor, key, 0, 4, at);
	closeSync(descriptor);
	const read = loaded(file);
	const mentionsOf = (index: number) => [...read.get(written[index]!.path)!.document.summary.mentions];
	assert.deepEqual(mentionsOf(1), []);
	assert.deepEqual(mentionsOf(0), [...written[0]!.document.summary.mentions]);
	assert.deepEqual(mentionsOf(2), [...written[2]!.document.summary.mentions]);
	assert.equal(mentionsOf(0).length % summaryMentionStride, 0);
});

test('damaged key counts cost that document its keys and mentions, and the others keep theirs', async () => {
	const file = join(folder, 'damaged-keys.bin');
	const written = await writeCache(file);
	// The second document's entity count is made larger than its key data.
	const bytes = readFileSync(file);
	const headerLength = bytes.readUInt32LE(0);
	const header = deserialize(bytes.subarray(4, 4 + headerLength)) as { keyOffsets: Float64Array };
	const keyColumn = (4 + headerLength + 3) & ~3;
	const descriptor = openSync(file, 'r+');
	const count = Buffer.alloc(4);
	count.writeInt32LE(1_000, 0);
	writeSync(descriptor, count, 0, 4, keyColumn + header.keyOffsets[1]! * 4);
	closeSync(descriptor);
	const read = loaded(file);
	const summaryOf = (index: number) => read.get(written[index]!.path)!.document.summary;
	assert.deepEqual([summaryOf(1).entityKeys, summaryOf(1).acronymKeys, summaryOf(1).definitionKeys, summaryOf(1).definitionExpansions, [...summaryOf(1).mentions]], [[], [], [], [], []]);
	for (const index of [0, 2]) {
		const original = written[index]!.document.summary;
		assert.deepEqual([summaryOf(index).entityKeys, summaryOf(index).acronymKeys, [...summaryOf(index).mentions]], [original.entityKeys, original.acronymKeys, [...original.mentions]]);
	}
	assert.ok(written[1]!.document.summary.acronymKeys.length > 0, 'the damaged document had keys');
});

test('hashes and dates read back, and a hash list one short reads as no hashes', async () => {
	const file = join(folder, 'lists.bin');
	const written = await writeCache(file);
	const read = loaded(file);
	for (const entry of written) assert.equal(read.get(entry.path)!.hash, entry.hash);
	assert.ok(written[0]!.document.summary.date, 'the first document has a date');
	assert.deepEqual(read.get(written[0]!.path)!.document.summary.date, written[0]!.document.summary.date);
	// One separator of the hash list made a letter: the header keeps its length, and the list has one hash too few.
	const bytes = readFileSync(file);
	const at = bytes.indexOf('hash-1\0hash-2', 0, 'latin1');
	assert.ok(at > 0, 'the hash list is in the header as written');
	bytes[at + 'hash-1'.length] = 0x78;
	writeFileSync(file, bytes);
	// The documents are still filed, with no hash known: a file whose stamp changed is analysed again.
	const damaged = loaded(file);
	assert.equal(damaged.size, written.length);
	for (const entry of written) assert.equal(damaged.get(entry.path)!.hash, '');
	assert.deepEqual(damaged.get(written[0]!.path)!.document.summary.date, written[0]!.document.summary.date);
});
