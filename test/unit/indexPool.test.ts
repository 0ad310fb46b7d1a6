// The index worker pool (server/src/node/indexPool.ts) with the bundled worker that `npm run build`
// writes to dist/: batches come back as the calling thread would analyse them, a folder is walked
// as the calling thread would walk it, and idle workers can be stopped once indexing settles and
// start again for the next batch.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { URI } from 'vscode-uri';
import { findFilesWithStamps } from '../../server/src/node/files';
import { IndexPool } from '../../server/src/node/indexPool';
import { indexFiles, type FileToIndex, type IndexedFile } from '../../server/src/node/indexing';
import { shippedLexicon } from '../support/shippedGlossary';

const workerPath = resolve(__dirname, '../../dist/indexWorker.js');
const folder = mkdtempSync(join(tmpdir(), 'policy-lens-pool-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const files: FileToIndex[] = ['The Japan Aerospace Exploration Agency (JAXA) and NASA met.', 'MEXT funds the H3 launch vehicle; JAXA builds it.'].map((text, number) => {
	const path = join(folder, `draft-${number}.txt`);
	writeFileSync(path, text);
	return { path, uri: URI.file(path).toString() };
});

/** What tells one result from another: the stamp's modification time is the file's, so it is the same either way. */
function comparable(results: readonly IndexedFile[]): unknown[] {
	return results.map((result) => (result.kind === 'analyzed' ? { kind: result.kind, path: result.path, hash: result.hash, data: Buffer.from(result.packed.data).toString('base64') } : result));
}

test('idle workers stop when released, and the next batch starts one again', { skip: !existsSync(workerPath) && 'dist/indexWorker.js is missing: run `npm run build` first' }, async () => {
	const lexicon = shippedLexicon();
	const warnings: string[] = [];
	const pool = new IndexPool(workerPath, (message) => warnings.push(message), 1);
	pool.setGlossary(lexicon.glossary);
	try {
		const expected = comparable(await indexFiles(files, lexicon, 1048576));
		assert.deepEqual(comparable(await pool.analyze(files, 1048576, lexicon)), expected);
		assert.equal(pool.runningWorkers, 1);
		await pool.releaseIdle();
		assert.equal(pool.runningWorkers, 0);
		assert.deepEqual(comparable(await pool.analyze(files, 1048576, lexicon)), expected);
		assert.equal(pool.runningWorkers, 1);
		assert.deepEqual(warnings, []);
	} finally {
		await pool.dispose();
	}
});

test('a worker walks a folder as the server thread would', { skip: !existsSync(workerPath) && 'dist/indexWorker.js is missing: run `npm run build` first' }, async () => {
	const pool = new IndexPool(workerPath, () => undefined, 1);
	try {
		const include = ['**/*.txt', '**/*.md'];
		const exclude = ['**/draft-1.*'];
		const found = await pool.findFiles(folder, include, exclude);
		assert.deepEqual(found, await findFilesWithStamps(folder, include, exclude));
		assert.deepEqual(found.paths, [files[0]!.path]);
		assert.equal(found.sizes[0], statSync(files[0]!.path).size);
		assert.equal(pool.runningWorkers, 1);
	} finally {
		await pool.dispose();
	}
});

test('threads start as work needs them: a walk alone starts one of two, and work while it is busy starts the other', { skip: !existsSync(workerPath) && 'dist/indexWorker.js is missing: run `npm run build` first' }, async () => {
	const lexicon = shippedLexicon();
	const pool = new IndexPool(workerPath, () => undefined, 2);
	pool.setGlossary(lexicon.glossary);
	try {
		await pool.findFiles(folder, ['**/*.txt'], []);
		assert.equal(pool.runningWorkers, 1, 'a walk, on a start from the cache, needs one thread');
		// The idle thread takes the next request; two at once need both.
		await pool.analyze(files, 1048576, lexicon);
		assert.equal(pool.runningWorkers, 1);
		await Promise.all([pool.analyze(files, 1048576, lexicon), pool.analyze(files, 1048576, lexicon)]);
		assert.equal(pool.runningWorkers, 2);
	} finally {
		await pool.dispose();
	}
});

