// Protocol tests of the workspace: bad files skipped with a clear log line, excluded folders,
// progress reports, files created, changed and deleted, and open documents' unsaved text.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import type { IndexState } from '../../server/src/protocol';
import { startTestClient, type TestClient } from '../support/lspClient';

function statement(title: string, sentence: string): string {
	return `[Title] ${title}\n[Date] April 2, 2021\n[Full text]\n\n${sentence}\n`;
}

describe('the server over a workspace with bad and changing files', () => {
	let workspace: string;
	let client: TestClient;
	const progressMessages: string[] = [];
	let draftUri: string;
	let version = 0;

	before(async () => {
		workspace = mkdtempSync(join(tmpdir(), 'policy-lens-workspace-'));
		writeFileSync(join(workspace, 'harbor.txt'), statement('Harbor Note', 'The Harbor Safety Board (HSB) met.'));
		writeFileSync(join(workspace, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41]));
		writeFileSync(join(workspace, 'big.txt'), 'The Oversized Paper Office (OPO) wrote this.\n'.repeat(1500));
		writeFileSync(join(workspace, 'latin1.txt'), Buffer.concat([Buffer.from('Line one\nLine two\nCaf'), Buffer.from([0xe9]), Buffer.from(' Board (CB)\n')]));
		mkdirSync(join(workspace, 'node_modules'));
		writeFileSync(join(workspace, 'node_modules', 'vendored.txt'), statement('Vendored', 'The Nested Module Exchange (NMX) is excluded.'));
		client = await startTestClient(workspace, undefined, { settings: { maxFileSizeMB: 0.05 } });
		client.connection.onNotification('$/progress', (params: { value: { message?: string } }) => {
			if (params.value.message) progressMessages.push(params.value.message);
		});
		await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
		draftUri = URI.file(join(workspace, 'draft.md')).toString();
	});

	after(async () => {
		await client?.stop();
		rmSync(workspace, { recursive: true, force: true });
	});

	async function hoverOn(word: string, text = `Notes on ${word} today.\n`): Promise<string | undefined> {
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: draftUri, languageId: 'markdown', version: ++version, text } });
		const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: draftUri }, position: { line: 0, character: text.indexOf(word) + 1 } });
		await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: draftUri } });
		return hover ? (hover.contents as { value: string }).value : undefined;
	}

	async function notifyWatchedFile(path: string, type: 1 | 2 | 3): Promise<void> {
		await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path).toString(), type }] });
	}

	/** Asks for the hover until `accept` holds: the server reads changed files in the background. */
	async function pollHover(word: string, accept: (hover: string | undefined) => boolean, deadlineMs = 20000): Promise<string | undefined> {
		const started = Date.now();
		for (;;) {
			const hover = await hoverOn(word);
			if (accept(hover)) return hover;
			if (Date.now() - started > deadlineMs) assert.fail(`The hover on ${word} never matched; the last was: ${hover}`);
		}
	}

	test('a binary file is skipped with a warning naming it', () => {
		assert.ok(client.logs.some((line) => line.includes(`Skipped ${join(workspace, 'binary.txt')}: it looks binary (a NUL byte at offset 4, line 1)`)), client.logs.join('\n'));
	});

	test('a file over the size limit is skipped with a warning naming the limit', () => {
		assert.ok(client.logs.some((line) => line.includes(`Skipped ${join(workspace, 'big.txt')}: it is 65.9 KB, over the size limit of 51.2 KB (setting policyLens.maxFileSizeMB)`)), client.logs.join('\n'));
	});

	test('a file that is not UTF-8 is skipped with the line of the first bad byte', () => {
		assert.ok(client.logs.some((line) => line.includes(`Skipped ${join(workspace, 'latin1.txt')}: it is not valid UTF-8 (byte 0xe9 at offset 21, line 3); save it as UTF-8`)), client.logs.join('\n'));
	});

	test('the skipped files contribute nothing, the good one does', async () => {
		assert.equal(await hoverOn('OPO'), undefined);
		assert.match((await hoverOn('HSB'))!, /Harbor Safety Board/);
	});

	test('excluded folders are not indexed', async () => {
		assert.equal(await hoverOn('NMX'), undefined);
	});

	test('indexing reports progress with counts', () => {
		assert.ok(progressMessages.some((message) => /^Indexing \d+ \/ \d+ files$/.test(message)), progressMessages.join('\n'));
	});

	test('a file created, changed and deleted is followed', async () => {
		const path = join(workspace, 'reef.txt');
		writeFileSync(path, statement('Reef Note', 'The Quiet Reef Council (QRC) was founded.'));
		await notifyWatchedFile(path, 1);
		await pollHover('QRC', (hover) => /Quiet Reef Council/.test(hover ?? ''));
		writeFileSync(path, statement('Reef Note', 'The Quarterly Research Conference (QRC) was held.'));
		await notifyWatchedFile(path, 2);
		await pollHover('QRC', (hover) => /Quarterly Research Conference/.test(hover ?? ''));
		rmSync(path);
		await notifyWatchedFile(path, 3);
		await pollHover('QRC', (hover) => hover === undefined);
	});

	test("an open document's unsaved definition resolves the acronym in another draft", async () => {
		const unsavedUri = URI.file(join(workspace, 'unsaved.md')).toString();
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: unsavedUri, languageId: 'markdown', version: 1, text: 'Draft.\n' } });
		await client.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri: unsavedUri, version: 2 },
			contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, text: 'The Silent Valley Forum (SVF) met.' }],
		});
		// A request on the changed document brings its analysis up to date before the draft asks.
		await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: unsavedUri } });
		assert.match((await hoverOn('SVF'))!, /Silent Valley Forum/);
		await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: unsavedUri } });
		assert.equal(await hoverOn('SVF'), undefined);
	});
});

describe('settings that change while the server starts', () => {
	let workspace: string;
	let client: TestClient | undefined;

	before(() => {
		workspace = mkdtempSync(join(tmpdir(), 'policy-lens-start-settings-'));
		mkdirSync(join(workspace, 'first'));
		mkdirSync(join(workspace, 'second'));
		writeFileSync(join(workspace, 'first', 'one.txt'), statement('One', 'The Harbor Safety Board (HSB) met.'));
		writeFileSync(join(workspace, 'first', 'two.txt'), statement('Two', 'The Harbor Safety Board (HSB) met again.'));
		writeFileSync(join(workspace, 'second', 'three.txt'), statement('Three', 'The Japan Aerospace Exploration Agency (JAXA) launched.'));
	});

	after(async () => {
		await client?.stop();
		rmSync(workspace, { recursive: true, force: true });
	});

	test('are the ones the first index run uses, and no run starts before the glossary has loaded', async () => {
		// As VS Code's client does: the settings are sent once right after `initialized`; here they
		// also differ from the ones the server asked for first.
		let asked = 0;
		const settingsFor = (include: string) => ({ include: [include], useBuiltInCorpus: false });
		client = await startTestClient(workspace, { workspace: { configuration: true, didChangeConfiguration: {} } }, undefined, undefined, {
			configuration: (items) => items.map(() => settingsFor(++asked === 1 ? 'first/**/*.txt' : 'second/**/*.txt')),
			afterInitialized: (connection) => void connection.sendNotification('workspace/didChangeConfiguration', { settings: null }),
		});
		const ready = await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
		assert.ok(asked >= 2, `the settings were asked for ${asked} time(s)`);
		assert.equal(ready.documents, 1, 'the first complete index holds only the folder the changed settings name');
		assert.ok(ready.entities > 0);
		// Every state the server reported came from a run with the whole glossary.
		assert.deepEqual(client.received<IndexState>('policyLens/indexState').filter((state) => state.entities !== ready.entities), []);
		// The run logs its summary just after it reports the index ready; no other run had finished before it.
		await client.waitForNotification<{ message: string }>('window/logMessage', (log) => log.message.startsWith('Indexed '));
		assert.deepEqual(client.logs.filter((line) => line.startsWith('Indexed ')), [client.logs.find((line) => line.startsWith('Indexed 1 documents'))]);
		// The corpus tables are built after the index is ready, and the server says so.
		const built = await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.tablesReady === true);
		assert.equal(built.state, 'ready');
		assert.equal(built.documents, 1);
	});

	test('given at initialize, are used without waiting for the client; a different answer from it starts another run', async () => {
		await client?.stop();
		// Our VS Code client gives its settings at initialize. The server must not wait for its answer
		// to workspace/configuration: here that answer comes only once the index is ready.
		const settingsFor = (include: string) => ({ include: [include], useBuiltInCorpus: false });
		let firstReady: () => void = () => undefined;
		const readyOnce = new Promise<void>((resolve) => (firstReady = resolve));
		client = await startTestClient(workspace, { workspace: { configuration: true, didChangeConfiguration: {} } }, { settings: settingsFor('first/**/*.txt') }, undefined, {
			configuration: async (items) => {
				await readyOnce;
				return items.map(() => settingsFor('second/**/*.txt'));
			},
		});
		const ready = await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
		assert.equal(ready.documents, 2, 'the first run walks the folder the initialize settings name');
		firstReady();
		// The answer differs: another run, with its settings.
		await client.waitForNotification<{ message: string }>('window/logMessage', (log) => log.message.startsWith('Indexed 1 documents'));
		assert.deepEqual(client.logs.filter((line) => line.startsWith('Indexed ')).map((line) => line.slice(0, 'Indexed 2 documents'.length)), ['Indexed 2 documents', 'Indexed 1 documents']);
	});

	test('given at initialize and confirmed by the client, make one run', async () => {
		await client?.stop();
		const settings = { include: ['first/**/*.txt'], useBuiltInCorpus: false };
		let answered: () => void = () => undefined;
		const answer = new Promise<void>((resolve) => (answered = resolve));
		client = await startTestClient(workspace, { workspace: { configuration: true, didChangeConfiguration: {} } }, { settings }, undefined, {
			configuration: (items) => {
				answered();
				return items.map(() => settings);
			},
		});
		await client.waitForNotification<{ message: string }>('window/logMessage', (log) => log.message.startsWith('Indexed '));
		await answer;
		// A request after the answer: its handling (which would start a run) is done when this is answered.
		await client.connection.sendRequest('workspace/symbol', { query: 'HSB' });
		await client.connection.sendRequest('workspace/symbol', { query: 'HSB' });
		assert.deepEqual(client.logs.filter((line) => line.startsWith('Indexed ')).map((line) => line.slice(0, 'Indexed 2 documents'.length)), ['Indexed 2 documents']);
		// One index made ready (the corpus tables' readiness follows as a state of its own).
		assert.equal(client.received<IndexState>('policyLens/indexState').filter((state) => state.state === 'ready' && state.tablesReady !== true).length, 1);
	});

	test('questions about an open document that come before the start answers any wait for it; one about a version changed meanwhile is dropped', async () => {
		await client?.stop();
		// The client gives no settings at initialize and answers workspace/configuration only when
		// released: until then no index run starts, so the questions below come before any answer.
		const settings = { include: ['second/**/*.txt'], useBuiltInCorpus: false };
		let release: () => void = () => undefined;
		const released = new Promise<void>((resolve) => (release = resolve));
		client = await startTestClient(workspace, { workspace: { configuration: true, didChangeConfiguration: {} } }, undefined, undefined, {
			configuration: async (items) => {
				await released;
				return items.map(() => settings);
			},
		});
		const open = async (name: string, text: string): Promise<string> => {
			const uri = URI.file(join(workspace, name)).toString();
			await client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
			return uri;
		};
		const draft = await open('waiting.md', 'The JAXA launch went well.\n');
		const hover = client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: draft }, position: { line: 0, character: 5 } });
		const tokens = client.connection.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: draft } });
		const edited = await open('edited.md', 'The JAXA launch.\n');
		const stale = client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: edited }, position: { line: 0, character: 5 } }).then(
			() => 'answered',
			(error: { code?: number }) => error.code,
		);
		await client.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri: edited, version: 2 },
			contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Notes. ' }],
		});
		release();
		assert.match(((await hover)?.contents as { value: string } | undefined)?.value ?? 'no hover', /Japan Aerospace Exploration Agency/);
		assert.ok((await tokens).data.length > 0, 'the semantic tokens of the draft');
		// ContentModified: the answer would be for the text before the edit.
		assert.equal(await stale, -32801);
		// Asked again, about the edited text, it is answered.
		const again = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: edited }, position: { line: 0, character: 12 } });
		assert.match((again?.contents as { value: string } | undefined)?.value ?? 'no hover', /Japan Aerospace Exploration Agency/);
	});
});
