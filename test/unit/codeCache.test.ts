// Loading a bundle with V8's code cache (server/src/node/codeCache.ts): the bundle's text is read
// as the build writes it (ASCII, taken byte for byte) or as UTF-8 otherwise, and a cache written
// beside it changes nothing the bundle does. (That V8 takes the build's caches is tested with the
// server and the CLI themselves.)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadWithCodeCache } from '../../server/src/node/codeCache';

const folder = mkdtempSync(join(tmpdir(), 'policy-lens-code-cache-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function bundle(name: string, text: string): string {
	const path = join(folder, `${name}.js`);
	writeFileSync(path, `exports.text = ${JSON.stringify(text)};\nexports.twice = (value) => value + value;\n`);
	return path;
}

test('an ASCII bundle and one with other characters both load with their text as written', () => {
	for (const [name, text] of [['ascii', 'JAXA and NASA'], ['utf8', '宇宙航空研究開発機構 (JAXA) – “quoted”']] as const) {
		const path = bundle(name, text);
		const loaded = loadWithCodeCache<{ text: string; twice: (value: string) => string }>(path, join(folder, `${name}.cache`), 'loaded');
		assert.equal(loaded.text, text);
		assert.equal(loaded.twice(text), text + text);
	}
});

test('a cache written at load is kept beside the bundle, and the next load with it gives the same bundle', () => {
	const path = bundle('cached', 'Artemis Accords');
	const cachePath = join(folder, 'cached.cache');
	const previous = process.env.POLICY_LENS_WRITE_CODE_CACHE;
	process.env.POLICY_LENS_WRITE_CODE_CACHE = '1';
	try {
		loadWithCodeCache(path, cachePath, 'loaded');
	} finally {
		if (previous === undefined) delete process.env.POLICY_LENS_WRITE_CODE_CACHE;
		else process.env.POLICY_LENS_WRITE_CODE_CACHE = previous;
	}
	assert.ok(existsSync(cachePath));
	assert.equal(loadWithCodeCache<{ text: string }>(path, cachePath, 'loaded').text, 'Artemis Accords');
});
