// Protocol tests: the bundled server as a child process, a temporary workspace, and JSON-RPC.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, Location, LocationLink, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type InitializeResult } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { buildingHeapGrowthFlag } from '../../server/src/node/heapGrowth';
import type { IndexState } from '../../server/src/protocol';
import { repositoryRoot, startTestClient, type TestClient } from '../support/lspClient';
import { brokenGlossary, workspaceStatement } from '../vscode/fixtures';

const referencePath = join(repositoryRoot, 'data', 'statements', 'JPUS_20240827.D1E.txt');
const referenceUri = URI.file(referencePath).toString();
const referenceLines = readFileSync(referencePath, 'utf8').split('\n');

function positionOf(text: string, needle: string, occurrence = 0): { line: number; character: number } {
	let offset = -1;
	for (let index = 0; index <= occurrence; index++) offset = text.indexOf(needle, offset + 1);
	assert.notEqual(offset, -1, `"${needle}" is not in the fixture`);
	const before = text.slice(0, offset);
	return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

describe('the language server over stdio', () => {
	let workspace: string;
	let client: TestClient;
	let glossaryDiagnostics: Promise<PublishDiagnosticsParams>;

	before(async () => {
		workspace = mkdtempSync(join(tmpdir(), 'policy-lens-protocol-'));
		writeFileSync(join(workspace, 'ocean.txt'), workspaceStatement);
		writeFileSync(join(workspace, 'policy-lens.glossary.yaml'), brokenGlossary);
		client = await startTestClient(workspace);
		const glossaryUri = URI.file(join(workspace, 'policy-lens.glossary.yaml')).toString();
		glossaryDiagnostics = client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === glossaryUri);
		await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
	});

	after(async () => {
		await client?.stop();
		rmSync(workspace, { recursive: true, force: true });
	});

	let draftVersion = 0;
	async function openDraft(name: string, text: string): Promise<string> {
		const uri = URI.file(join(workspace, name)).toString();
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: ++draftVersion, text } });
		return uri;
	}

	test('hover on JAXA in a new Markdown draft cites paragraph 4 of the reference statement', async () => {
		const text = '# Notes\n\nThe JAXA budget grew.\n';
		const uri = await openDraft('hover.md', text);
		const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'JAXA') });
		assert.ok(hover);
		const value = (hover.contents as { value: string }).value;
		assert.match(value, /Japan Aerospace Exploration Agency/);
		assert.match(value, /Defined in \*Joint Statement, The Ninth Meeting of the Japan\\-U\\\.S\\\. Comprehensive Dialogue on Space\* \(August 27, 2024\), paragraph 4\./);
	});

	test('go-to-definition on a name no other document mentions lands on its glossary entry, and the log says why', async () => {
		const text = 'The Space Operations Group briefed us.\n';
		const uri = await openDraft('glossary-only.md', text);
		// A document closed before: the log names it among those last taken out of the index.
		const closed = await openDraft('closed.md', 'NASA notes.\n');
		await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: closed }, position: { line: 0, character: 1 } });
		await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: closed } });
		const links = await client.connection.sendRequest<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'Operations') });
		assert.equal(links.length, 1);
		assert.match(links[0]!.targetUri, /\/data\/glossary\/japan\.yaml$/);
		const said = await client.waitForNotification<{ message: string }>('window/logMessage', (log) => log.message.startsWith('Go to definition on "Space Operations Group"'));
		assert.match(said.message, /no other document defines or mentions it, so its glossary entry is the target \(the index holds \d+ documents, \d+ statements, and is ready\)/);
		assert.match(said.message, /Documents last taken out of it: .*closed\.md \(closed; read again from disk\)\./);
	});

	test('go-to-definition from JAXA lands on the line of that paragraph', async () => {
		const text = 'JAXA and NASA.\n';
		const uri = await openDraft('definition.md', text);
		const links = await client.connection.sendRequest<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 1 } });
		assert.equal(links.length, 1);
		assert.equal(links[0]!.targetUri, referenceUri);
		const paragraphLine = referenceLines.findIndex((line) => line.startsWith('Principal participants'));
		assert.equal(links[0]!.targetRange.start.line, paragraphLine);
		assert.equal(links[0]!.targetSelectionRange.start.line, paragraphLine);
		const selected = referenceLines[paragraphLine]!.slice(links[0]!.targetSelectionRange.start.character, links[0]!.targetSelectionRange.end.character);
		assert.equal(selected, 'Japan Aerospace Exploration Agency (JAXA)');
		assert.deepEqual(links[0]!.originSelectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
	});

	test('references on Artemis return its three mentions in the reference statement and not the Artemis Accords', async () => {
		const line = referenceLines.findIndex((candidate) => candidate.includes('the Artemis program'));
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: referenceUri, languageId: 'statement', version: 1, text: referenceLines.join('\n') } });
		const locations = await client.connection.sendRequest<Location[]>('textDocument/references', {
			textDocument: { uri: referenceUri },
			position: { line, character: referenceLines[line]!.indexOf('Artemis program') + 2 },
			context: { includeDeclaration: true },
		});
		const inReference = locations.filter((location) => location.uri === referenceUri);
		assert.equal(inReference.length, 3);
		for (const location of inReference) {
			const mentioned = referenceLines[location.range.start.line]!.slice(location.range.start.character, location.range.end.character);
			assert.match(mentioned, /^Artemis/);
			assert.doesNotMatch(referenceLines[location.range.start.line]!.slice(location.range.start.character, location.range.start.character + 20), /Accords/);
		}
		// Closing a built-in statement leaves it in the index, with no moment without it: a hover
		// asked right after the close (before the file is read again) still cites it.
		const text = 'JAXA again.\n';
		const uri = await openDraft('after-close.md', text);
		const reread = client.nextNotification('policyLens/indexState', () => true);
		await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: referenceUri } });
		const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
		assert.match((hover!.contents as { value: string }).value, /paragraph 4/);
		// And after it is read again.
		await reread;
		const again = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
		assert.match((again!.contents as { value: string }).value, /paragraph 4/);
	});

	test('an acronym defined only in a workspace statement is resolved in a draft', async () => {
		const text = 'We should join CDON soon.\n';
		const uri = await openDraft('workspace-acronym.md', text);
		const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'CDON') });
		assert.ok(hover);
		const value = (hover.contents as { value: string }).value;
		assert.match(value, /\*\*Coastal Drift Observation Network\*\* \(CDON\)/);
		assert.match(value, /Defined in \*Joint Press Release on Ocean Science\* \(May 12, 2023\), paragraph 1\./);
	});

	test('a broken glossary file yields a diagnostic at the bad value, and hovers still work', async () => {
		const diagnostics = await glossaryDiagnostics;
		assert.equal(diagnostics.diagnostics.length, 1);
		const diagnostic = diagnostics.diagnostics[0]!;
		assert.equal(diagnostic.code, 'glossary.invalid');
		assert.deepEqual(diagnostic.range.start, positionOf(brokenGlossary, 'widget\n', 1));
		assert.match(diagnostic.message as string, /must be one of: agency, ministry/);
		assert.ok(client.logs.some((line) => line.includes('policy-lens.glossary.yaml:3:11')), 'the log names the file, line and column');
		const text = 'NASA and JAXA.\n';
		const uri = await openDraft('after-broken-glossary.md', text);
		const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'NASA') });
		assert.match((hover!.contents as { value: string }).value, /National Aeronautics and Space Administration/);
	});

	test('semantic tokens colour recognized names, one token per line for a name broken across lines', async () => {
		const text = 'JAXA and the Japan Aerospace\nExploration Agency.\n';
		const uri = await openDraft('tokens.md', text);
		const result = await client.connection.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
		const tokens: Array<[number, number, number, number]> = [];
		let line = 0;
		let character = 0;
		for (let index = 0; index < result.data.length; index += 5) {
			const [deltaLine, deltaStart, length, type] = result.data.slice(index, index + 4) as [number, number, number, number];
			line += deltaLine;
			character = deltaLine ? deltaStart : character + deltaStart;
			tokens.push([line, character, length, type]);
		}
		// Type 0 is "agency" in the legend (server/src/core/service.ts, package.json).
		assert.deepEqual(tokens, [[0, 0, 4, 0], [0, 13, 15, 0], [1, 0, 18, 0]]);
	});

	test('no request failed inside the server', () => {
		assert.deepEqual(client.logs.filter((line) => /failed|Uncaught|Unhandled/.test(line)), []);
	});
});

describe('the server\'s code cache', () => {
	const dist = join(repositoryRoot, 'dist');

	/** Runs `node [flags] -e script arguments…` and gives its standard output. */
	function nodeOutput(flags: string[], script: string, ...parameters: string[]): Promise<string> {
		return new Promise((resolve, reject) => {
			const child = spawn(process.execPath, [...flags, '-e', script, ...parameters], { stdio: ['ignore', 'pipe', 'inherit'] });
			let output = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
			child.on('error', reject);
			child.on('close', () => resolve(output));
		});
	}

	test('V8 takes the cache the build made, under the flags the launcher sets', async () => {
		const check = 'const fs = require("fs"), vm = require("vm"), m = require("module"); const path = process.argv[1]; const cache = fs.readFileSync(path.replace(/\\.js$/, ".cache")); process.stdout.write(String(new vm.Script(m.wrap(fs.readFileSync(path, "utf8")), { filename: path, cachedData: cache.subarray(20) }).cachedDataRejected));';
		assert.equal(await nodeOutput([buildingHeapGrowthFlag], check, join(dist, 'server-main.js')), 'false');
	});

	test('a missing, foreign or damaged cache changes nothing: the server starts and answers', async () => {
		const copy = mkdtempSync(join(tmpdir(), 'policy-lens-server-copy-'));
		try {
			mkdirSync(join(copy, 'dist'));
			for (const file of ['server.js', 'server-main.js', 'indexWorker.js', 'builtin-glossary.json']) cpSync(join(dist, file), join(copy, 'dist', file));
			cpSync(join(repositoryRoot, 'data'), join(copy, 'data'), { recursive: true });
			const cache = readFileSync(join(dist, 'server-main.cache'));
			const foreign = Buffer.from(cache);
			foreign[0] = foreign[0]! ^ 0xff;
			for (const [name, content] of [['missing', undefined], ['foreign', foreign], ['damaged', Buffer.concat([cache.subarray(0, 20), Buffer.from('not a code cache')])]] as const) {
				rmSync(join(copy, 'dist', 'server-main.cache'), { force: true });
				if (content) writeFileSync(join(copy, 'dist', 'server-main.cache'), content);
				const child = spawn(process.execPath, [join(copy, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
				const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
				connection.listen();
				const result = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
				assert.equal(result.capabilities.hoverProvider, true, `${name} cache`);
				await connection.sendRequest('shutdown');
				await connection.sendNotification('exit');
				await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
				assert.equal(child.exitCode, 0, `${name} cache`);
				connection.dispose();
			}
		} finally {
			rmSync(copy, { recursive: true, force: true });
		}
	});
});

describe('a start that fails', () => {
	test('a server without its built-in data says so, and questions that waited for the start are answered', { timeout: 120_000 }, async () => {
		const copy = mkdtempSync(join(tmpdir(), 'policy-lens-no-data-'));
		let client: TestClient | undefined;
		try {
			// The server's files, but no data folder beside them: the built-in glossary cannot be listed.
			mkdirSync(join(copy, 'dist'));
			for (const file of ['server.js', 'server-main.js', 'server-main.cache', 'indexWorker.js', 'builtin-glossary.json']) cpSync(join(repositoryRoot, 'dist', file), join(copy, 'dist', file));
			mkdirSync(join(copy, 'workspace'));
			client = await startTestClient(join(copy, 'workspace'), undefined, undefined, undefined, { serverPath: join(copy, 'dist', 'server.js') });
			const uri = URI.file(join(copy, 'workspace', 'draft.md')).toString();
			await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'The JAXA launch.\n' } });
			// Answered, empty or not, rather than held for a start that will not come.
			const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5 } });
			assert.ok(hover === null || typeof hover === 'object');
			const tokens = await client.connection.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
			assert.ok(Array.isArray(tokens.data));
			const said = await client.waitForNotification<{ message: string }>('window/logMessage', (log) => log.message.startsWith('The start failed'));
			assert.match(said.message, /ENOENT|no such file/);
		} finally {
			await client?.stop();
			rmSync(copy, { recursive: true, force: true });
		}
	});
});
