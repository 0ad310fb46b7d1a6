// Protocol tests of indexing at scale, at a size a unit test can afford: the index cache (a
// warm start, a changed file, a damaged, older or foreign cache), thousands of files changed at
// once as a checkout does, many tiny files, one statement with thousands of definitions, and
// the same answers with and without index workers. Timing is the benchmark's job (npm run
// bench); these tests check that the index ends up right.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serialize } from 'node:v8';
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type Hover, type Location } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import type { IndexState } from '../../server/src/protocol';
import { startTestClient as startClient, type TestClient } from '../support/lspClient';

/** Every client started here, so that a failed assertion never leaves a server running. */
const running = new Set<TestClient>();

async function startTestClient(...args: Parameters<typeof startClient>): Promise<TestClient> {
	const client = await startClient(...args);
	running.add(client);
	const stop = client.stop.bind(client);
	return Object.assign(client, { stop: async () => { running.delete(client); await stop(); } });
}

after(async () => {
	await Promise.all([...running].map((client) => client.stop().catch(() => undefined)));
});

/** A statement of our own making; `n` varies the agency so that files differ. */
function statement(n: number, extra = ''): string {
	return [
		`[Title] Synthetic Statement ${n}`,
		`[Date] April ${(n % 28) + 1}, 2021`,
		'[Full text]',
		'',
		`1. The Japan Aerospace Exploration Agency (JAXA) and the Harbor Office ${n} (HO${n}) met in Tokyo.`,
		'',
		`2. JAXA and HO${n} discussed the Artemis program and QZSS.${extra}`,
		'',
	].join('\n');
}

function writeCorpus(folder: string, count: number, perFolder = 100): string[] {
	const paths: string[] = [];
	for (let n = 0; n < count; n++) {
		const sub = join(folder, `part${Math.floor(n / perFolder)}`);
		mkdirSync(sub, { recursive: true });
		const path = join(sub, `SYN_${String(n).padStart(5, '0')}.D1E.txt`);
		writeFileSync(path, statement(n));
		paths.push(path);
	}
	return paths;
}

async function firstReady(client: TestClient): Promise<IndexState> {
	return client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready', 120_000);
}

async function logLine(client: TestClient, pattern: RegExp): Promise<string> {
	const { message } = await client.waitForNotification<{ message: string }>('window/logMessage', (params) => pattern.test(params.message), 120_000);
	return message;
}

/** Hover on the first `word` in a file of the corpus, opened with its text as on disk. */
async function hoverAt(client: TestClient, path: string, word: string): Promise<string | undefined> {
	const uri = URI.file(path).toString();
	const text = readFileSync(path, 'utf8');
	const offset = text.indexOf(word);
	assert.ok(offset >= 0, `${word} is not in ${path}`);
	const line = text.slice(0, offset).split('\n').length - 1;
	const character = offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
	await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'statement', version: 1, text } });
	const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
	await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
	return hover ? (hover.contents as { value: string }).value : undefined;
}

/** Hover in a draft that names `word`, which is not itself in the index. */
async function draftHover(client: TestClient, folder: string, word: string): Promise<string | undefined> {
	const uri = URI.file(join(folder, 'untitled-draft.md')).toString();
	const text = `Notes on ${word} today.\n`;
	await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
	const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf(word) + 1 } });
	await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
	return hover ? (hover.contents as { value: string }).value : undefined;
}

describe('the index cache', () => {
	let root: string;
	let workspace: string;
	let cacheDirectory: string;
	let paths: string[];
	const count = 300;

	before(() => {
		root = mkdtempSync(join(tmpdir(), 'policy-lens-cache-'));
		workspace = join(root, 'workspace');
		cacheDirectory = join(root, 'cache');
		paths = writeCorpus(workspace, count);
	});

	after(() => rmSync(root, { recursive: true, force: true }));

	async function start(): Promise<TestClient> {
		return startTestClient(workspace, undefined, { cacheDirectory });
	}

	test('a second start takes every unchanged file from the cache and answers the same', async () => {
		const cold = await start();
		const coldState = await firstReady(cold);
		assert.equal(coldState.statements, count + 1, 'the workspace statements and the built-in one');
		assert.match(await logLine(cold, /^Indexed /), new RegExp(`: ${count + 1} read and analysed, 0 from the cache`));
		await logLine(cold, /^Wrote the index cache .*: 301 files/);
		const coldHover = await hoverAt(cold, paths[7]!, '(HO7)');
		await cold.stop();

		const warm = await start();
		assert.match(await logLine(warm, /^Read the index cache/), /: 301 files in \d+ ms/);
		const warmState = await firstReady(warm);
		assert.equal(warmState.statements, count + 1);
		assert.match(await logLine(warm, /^Indexed /), /: 0 read and analysed, 301 from the cache/);
		assert.ok(coldHover && /Harbor Office 7/.test(coldHover), `hover: ${coldHover}`);
		assert.equal(await hoverAt(warm, paths[7]!, '(HO7)'), coldHover);
		assert.match((await draftHover(warm, workspace, 'HO42')) ?? '', /Harbor Office 42/);
		await warm.stop();
	});

	test('a file changed between two starts is analysed again; the rest come from the cache', async () => {
		writeFileSync(paths[3]!, statement(3, ' The Tidal Survey Unit (TSU) joined.'));
		// A touched file with the same content is recognised by its hash and not analysed.
		const sameContent = readFileSync(paths[4]!);
		writeFileSync(paths[4]!, sameContent);
		utimesSync(paths[4]!, new Date(), new Date(Date.now() + 5_000));
		const client = await start();
		await firstReady(client);
		assert.match(await logLine(client, /^Indexed /), /: 2 read and analysed, 299 from the cache/);
		assert.match((await draftHover(client, workspace, 'TSU')) ?? '', /Tidal Survey Unit/);
		await logLine(client, /^Wrote the index cache/);
		await client.stop();
	});

	test('a file deleted between two starts is gone from the index once it is ready', async () => {
		// The cache's files are filed before the walk over the folders ends; the walk must take this one out again.
		const deleted = paths[5]!;
		const content = readFileSync(deleted);
		rmSync(deleted);
		try {
			const client = await start();
			const state = await firstReady(client);
			assert.equal(state.statements, count, 'one workspace statement fewer, and the built-in one');
			assert.match(await logLine(client, /^Indexed /), /: 0 read and analysed, 300 from the cache/);
			const uri = URI.file(join(root, 'probe.md')).toString();
			await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'HO5 and HO6 met.\n' } });
			const filesMentioning = async (character: number) => {
				const found = await client.connection.sendRequest<Location[] | null>('textDocument/references', { textDocument: { uri }, position: { line: 0, character }, context: { includeDeclaration: true } });
				return [...new Set((found ?? []).map((location) => location.uri.slice(location.uri.lastIndexOf('/') + 1)))].sort();
			};
			// HO5 was defined only in the deleted statement: nothing in the index knows it now.
			assert.deepEqual(await filesMentioning(1), []);
			assert.deepEqual(await filesMentioning(9), ['SYN_00006.D1E.txt', 'probe.md']);
			await client.stop();
		} finally {
			writeFileSync(deleted, content);
		}
	});

	test('a file added between two starts, in a new folder, is analysed; the rest come from the cache', async () => {
		// A warm start walks the folders on the server's own thread: a new folder and its file must be found as a worker finds them.
		const added = join(workspace, 'added', 'SYN_09999.D1E.txt');
		mkdirSync(join(workspace, 'added'), { recursive: true });
		writeFileSync(added, statement(9999, ' The Coral Reef Agency (CRA) joined.'));
		try {
			const client = await start();
			const state = await firstReady(client);
			assert.equal(state.statements, count + 2, 'the workspace statements, the added one and the built-in one');
			// Read: the added file, and the one the test before deleted and wrote back (new to the cache).
			const [, read, cached] = /: (\d+) read and analysed, (\d+) from the cache/.exec(await logLine(client, /^Indexed /)) ?? [];
			assert.deepEqual([Number(read), Number(cached)], [2, count]);
			assert.match((await draftHover(client, workspace, 'CRA')) ?? '', /Coral Reef Agency/);
			await logLine(client, /^Wrote the index cache/);
			await client.stop();
		} finally {
			rmSync(join(workspace, 'added'), { recursive: true, force: true });
		}
	});

	test('a truncated cache is discarded with a log line and the index is built from the files', async () => {
		const file = join(cacheDirectory, 'index-cache.bin');
		truncateSync(file, Math.floor(readFileSync(file).length / 2));
		const client = await start();
		assert.match(await logLine(client, /^Discarded the index cache/), /damaged or truncated/);
		assert.equal((await firstReady(client)).statements, count + 1);
		assert.match(await logLine(client, /^Indexed /), /: 301 read and analysed, 0 from the cache/);
		await logLine(client, /^Wrote the index cache/);
		await client.stop();
	});

	test('a cache from an older format is discarded', async () => {
		// The layout every format shares: a 4-byte header length, then the header.
		const header = serialize({ magic: 'policy-lens-index-cache', format: 1, fingerprint: 'x', entries: [] });
		const length = Buffer.alloc(4);
		length.writeUInt32LE(header.length, 0);
		writeFileSync(join(cacheDirectory, 'index-cache.bin'), Buffer.concat([length, header]));
		const client = await start();
		assert.match(await logLine(client, /^Discarded the index cache/), /in format 1, and this version reads format \d+/);
		assert.equal((await firstReady(client)).statements, count + 1);
		// The next test needs the current cache this start writes.
		await logLine(client, /^Wrote the index cache/);
		await client.stop();
	});

	test('a cache made with another glossary is discarded', async () => {
		writeFileSync(join(workspace, 'policy-lens.glossary.yaml'), 'entries:\n  - id: test.tsu\n    kind: office\n    name: Tidal Survey Unit\n    acronyms: [TSU]\n    description: A fixture office.\n');
		const client = await start();
		// The cache is read as the start begins, before the glossary has loaded: what it filed goes again, and every file is analysed with the new glossary.
		assert.match(await logLine(client, /^Discarded the index cache/), /the glossary changed/);
		assert.equal((await firstReady(client)).statements, count + 1);
		assert.match(await logLine(client, /^Indexed /), /: 301 read and analysed, 0 from the cache/);
		await client.stop();
		rmSync(join(workspace, 'policy-lens.glossary.yaml'));
	});
});

describe('thousands of files at once', () => {
	let root: string;
	let client: TestClient;
	let paths: string[];
	const count = 1500;

	before(async () => {
		root = mkdtempSync(join(tmpdir(), 'policy-lens-burst-'));
		paths = writeCorpus(root, count);
		client = await startTestClient(root);
		assert.equal((await firstReady(client)).statements, count + 1);
	});

	after(async () => {
		await client?.stop();
		rmSync(root, { recursive: true, force: true });
	});

	async function notify(changes: Array<{ path: string; type: 1 | 2 | 3 }>): Promise<void> {
		await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(({ path, type }) => ({ uri: URI.file(path).toString(), type })) });
	}

	test('deleting 500 files in one notification, as a checkout does, removes them all', async () => {
		const deleted = paths.slice(0, 500);
		assert.match((await draftHover(client, root, 'HO10')) ?? '', /Harbor Office 10/, 'HO10 is defined before the deletion');
		for (const path of deleted) rmSync(path);
		const settled = client.nextNotification<IndexState>('policyLens/indexState', (state) => state.statements === count - 500 + 1, 60_000);
		await notify(deleted.map((path) => ({ path, type: 3 })));
		await settled;
		assert.equal(await draftHover(client, root, 'HO10'), undefined, 'HO10 was defined only in a deleted file');
	});

	test('renaming 500 files (deleted and created) keeps them all, under their new names', async () => {
		const renamed = paths.slice(500, 1000);
		const changes: Array<{ path: string; type: 1 | 2 | 3 }> = [];
		for (const path of renamed) {
			const target = path.replace('.D1E.txt', '-renamed.D1E.txt');
			renameSync(path, target);
			changes.push({ path, type: 3 }, { path: target, type: 1 });
		}
		// The server reports indexing while the workers read the renamed files, then ready.
		let sawIndexing = false;
		const settled = client.nextNotification<IndexState>('policyLens/indexState', (state) => {
			if (state.state === 'indexing') sawIndexing = true;
			return sawIndexing && state.state === 'ready';
		}, 60_000);
		await notify(changes);
		assert.equal((await settled).statements, count - 500 + 1);
		const referencesTo = async (acronym: string): Promise<Location[]> => {
			const uri = URI.file(join(root, 'probe.md')).toString();
			await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: `${acronym} met.\n` } });
			const found = await client.connection.sendRequest<Location[] | null>('textDocument/references', { textDocument: { uri }, position: { line: 0, character: 1 }, context: { includeDeclaration: true } });
			await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
			return found ?? [];
		};
		for (const n of [500, 700, 901]) {
			const locations = (await referencesTo(`HO${n}`)).map((location) => location.uri.slice(location.uri.lastIndexOf('/') + 1));
			assert.deepEqual([...new Set(locations)].sort(), [`SYN_00${n}-renamed.D1E.txt`, 'probe.md'].sort(), `HO${n}`);
		}
		assert.match((await draftHover(client, root, 'HO901')) ?? '', /Harbor Office 901/);
	});
});

describe('heavy input', () => {
	let root: string;
	after(() => rmSync(root, { recursive: true, force: true }));
	before(() => {
		root = mkdtempSync(join(tmpdir(), 'policy-lens-heavy-'));
	});

	test('3,000 tiny files are all indexed', async () => {
		const folder = join(root, 'tiny');
		for (let n = 0; n < 3000; n++) {
			const sub = join(folder, `d${n % 30}`);
			mkdirSync(sub, { recursive: true });
			writeFileSync(join(sub, `note${n}.txt`), `Note ${n}: the Kelp Board ${n} (KB${n}) met.\n`);
		}
		const client = await startTestClient(folder);
		const state = await firstReady(client);
		assert.equal(state.documents, 3000 + 1);
		assert.match((await draftHover(client, folder, 'KB2999')) ?? '', /Kelp Board 2999/);
		await client.stop();
	});

	test('a statement with 5,000 acronym definitions is indexed, and each definition is found', async () => {
		const folder = join(root, 'definitions');
		mkdirSync(folder);
		const lines = ['[Title] Many Definitions', '[Date] May 1, 2022', '[Full text]', ''];
		const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
		const acronym = (n: number) => `Q${letters[Math.floor(n / 676) % 26]}${letters[Math.floor(n / 26) % 26]}${letters[n % 26]}`;
		const words = (n: number) => acronym(n).slice(1).split('').map((letter) => `${letter}${'xyzzy'.slice(0, 3 + (n % 3))}`);
		for (let n = 0; n < 5000; n++) lines.push(`${n + 1}. The Quorum ${words(n).join(' ')} (${acronym(n)}) met.`, '');
		writeFileSync(join(folder, 'MANY_20220501.D1E.txt'), lines.join('\n'));
		const client = await startTestClient(folder);
		const state = await firstReady(client);
		assert.equal(state.statements, 2);
		const hover = await draftHover(client, folder, acronym(4321));
		assert.match(hover ?? '', new RegExp(`Quorum ${words(4321).join(' ')}`), `hover: ${hover}`);
		await client.stop();
	});

	test('a file over the size limit is skipped with a warning that gives its size and the limit', async () => {
		const folder = join(root, 'large');
		mkdirSync(folder);
		writeFileSync(join(folder, 'huge.txt'), 'The Oversized Paper Office (OPO) wrote this.\n'.repeat(60_000));
		const client = await startTestClient(folder, undefined, { settings: { maxFileSizeMB: 1 } });
		await firstReady(client);
		assert.match(await logLine(client, /^Skipped .*huge\.txt/), /is 2\.6 MB, over the size limit of 1\.0 MB/);
		assert.equal(await draftHover(client, folder, 'OPO'), undefined);
		await client.stop();
	});

	test('a cancelled "check workspace" stops before the last file, and the next one checks them all', async () => {
		const folder = join(root, 'cancel');
		mkdirSync(folder);
		const count = 400;
		for (let n = 0; n < count; n++) writeFileSync(join(folder, `draft${n}.md`), `# Draft ${n}\n\nJAXA met the Harbor Office ${n} (HO${n}).\n`);
		const client = await startTestClient(folder);
		await firstReady(client);
		const command = { command: 'policyLens.server.checkWorkspace', arguments: [] };
		const source = new CancellationTokenSource();
		const cancelled = client.connection.sendRequest('workspace/executeCommand', command, source.token);
		source.cancel();
		await assert.rejects(cancelled, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);
		const said = await client.waitForNotification<{ message: string }>('window/logMessage', (params) => params.message.startsWith('Check Workspace was cancelled'));
		const [, checked, total] = /after (\d+) of (\d+) documents/.exec(said.message) ?? [];
		assert.ok(Number(checked) < Number(total), said.message);
		const result = await client.connection.sendRequest<{ files: number }>('workspace/executeCommand', command);
		assert.equal(result.files, count);
		await client.stop();
	});
});

describe('index workers', () => {
	test('indexing on the server thread (POLICY_LENS_INDEX_WORKERS=0) gives the same index and answers', async () => {
		const root = mkdtempSync(join(tmpdir(), 'policy-lens-workers-'));
		try {
			writeCorpus(root, 200);
			const answers: Array<{ state: IndexState; references: Location[]; log: string }> = [];
			for (const environment of [{}, { POLICY_LENS_INDEX_WORKERS: '0' }]) {
				const client = await startTestClient(root, undefined, undefined, environment);
				const state = await firstReady(client);
				const log = await logLine(client, /^Indexed /);
				const uri = URI.file(join(root, 'probe.md')).toString();
				await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'JAXA met.\n' } });
				const references = (await client.connection.sendRequest<Location[] | null>('textDocument/references', { textDocument: { uri }, position: { line: 0, character: 1 }, context: { includeDeclaration: true } })) ?? [];
				answers.push({ state, references, log });
				await client.stop();
			}
			const [workers, inThread] = answers as [typeof answers[0], typeof answers[0]];
			assert.match(workers.log, /\(\d+ workers\)/);
			assert.doesNotMatch(inThread.log, /workers\)/);
			assert.deepEqual(inThread.state, workers.state);
			assert.ok(workers.references.length > 400, `${workers.references.length} references to JAXA`);
			const key = (location: Location) => `${location.uri}:${location.range.start.line}:${location.range.start.character}`;
			assert.deepEqual(inThread.references.map(key).sort(), workers.references.map(key).sort());
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
