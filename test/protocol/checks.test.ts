// Protocol tests of the terminology checks: pull and push diagnostics, quick fixes, the
// "add to workspace glossary" command, the table of abbreviations and "check workspace".
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import type { IndexState } from '../../server/src/protocol';
import { defaultCapabilities, startTestClient, type TestClient } from '../support/lspClient';

const pullCapabilities = {
	...defaultCapabilities,
	textDocument: { ...defaultCapabilities.textDocument, diagnostic: { dynamicRegistration: false }, codeAction: {} },
	workspace: { ...defaultCapabilities.workspace, diagnostics: { refreshSupport: true } },
};

describe('checks over the protocol, pull diagnostics', () => {
	let workspace: string;
	let client: TestClient;
	let version = 0;

	before(async () => {
		workspace = mkdtempSync(join(tmpdir(), 'policy-lens-checks-'));
		writeFileSync(join(workspace, 'closed-draft.md'), '# Closed\n\nNASA said so.\n');
		client = await startTestClient(workspace, pullCapabilities, { settings: { documentDate: '2024-09-02' } });
		client.connection.onRequest('workspace/diagnostic/refresh', () => null);
		await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
	});

	after(async () => {
		await client?.stop();
		rmSync(workspace, { recursive: true, force: true });
	});

	async function open(name: string, text: string): Promise<string> {
		const uri = URI.file(join(workspace, name)).toString();
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: ++version, text } });
		return uri;
	}

	async function pull(uri: string): Promise<Diagnostic[]> {
		const report = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
		assert.equal(report.kind, 'full');
		return (report as { items: Diagnostic[] }).items;
	}

	test('an undefined acronym is reported with its code, range and message', async () => {
		const uri = await open('undefined.md', 'JAXA will launch the probe.\n');
		const diagnostics = await pull(uri);
		assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.character, diagnostic.range.end.character]), [['acronym.undefined', 0, 4]]);
		assert.match(diagnostics[0]!.message as string, /^"JAXA" is used without a definition in this document; write "Japan Aerospace Exploration Agency \(JAXA\)" at its first use\.$/);
	});

	test('its quick fix expands the first use', async () => {
		const uri = await open('fix.md', 'JAXA will launch the probe.\n');
		const diagnostics = await pull(uri);
		const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
		assert.equal(actions.length, 1);
		assert.equal(actions[0]!.isPreferred, true);
		assert.deepEqual(actions[0]!.edit!.changes![uri], [{ range: diagnostics[0]!.range, newText: 'Japan Aerospace Exploration Agency (JAXA)' }]);
	});

	test('a pull that names the answer the client holds is answered "unchanged" until the findings change', async () => {
		const uri = await open('result-id.md', 'JAXA will launch the probe.\n\nIt is ready.\n');
		const first = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
		assert.equal(first.kind, 'full');
		assert.ok(first.resultId);
		const again = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
		assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
		// An edit that moves no finding leaves the answer as it was.
		await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 6 } }, text: ' nearly' }] });
		const unmoved = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
		assert.deepEqual(unmoved, { kind: 'unchanged', resultId: first.resultId });
		// One that moves it gives a full answer with another id.
		await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'So ' }] });
		const moved = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
		assert.equal(moved.kind, 'full');
		assert.notEqual(moved.resultId, first.resultId);
		assert.deepEqual((moved as { items: Diagnostic[] }).items.map((diagnostic) => [diagnostic.code, diagnostic.range.start.character]), [['acronym.undefined', 3]]);
	});

	test('messages with characters past ASCII arrive as written, with their quick fixes', async () => {
		const uri = await open('japanese.md', '宇宙開発事業団（NASDA）は説明した。NASDAは準備した。\n');
		const diagnostics = await pull(uri);
		const outdated = diagnostics.find((diagnostic) => diagnostic.code === 'term.outdated-name');
		assert.ok(outdated, 'the outdated name is reported');
		assert.equal(outdated.message, '"宇宙開発事業団" was replaced by Japan Aerospace Exploration Agency on 2003-10-01, before the configured document date (2024-09-02); use "Japan Aerospace Exploration Agency".');
		const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: outdated.range, context: { diagnostics: [outdated] } });
		assert.deepEqual(actions.map((action) => action.title), ['Use "Japan Aerospace Exploration Agency (JAXA)"']);
		assert.deepEqual(actions[0]!.diagnostics, [outdated]);
	});

	test('"add to workspace glossary" writes an entry and the finding goes away', async () => {
		const uri = await open('unknown.md', 'The ZRPT group met.\n');
		const diagnostics = await pull(uri);
		assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['acronym.unknown']);
		const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
		const add = actions.find((action) => action.command?.command === 'policyLens.addToGlossary');
		assert.ok(add, 'an "add to workspace glossary" action is offered');
		const refreshed = client.nextNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
		await client.connection.sendRequest('workspace/executeCommand', { command: add.command!.command, arguments: add.command!.arguments });
		const glossary = readFileSync(join(workspace, 'policy-lens.glossary.yaml'), 'utf8');
		assert.match(glossary, /- id: ws\.zrpt\n\s+kind: term\n\s+name: ZRPT\n\s+acronyms:\n\s+- ZRPT\n/);
		await refreshed;
		assert.deepEqual(await pull(uri), []);
	});

	test('the table of abbreviations lists acronyms in order of first use', async () => {
		const uri = await open('table.md', '# Brief\n\nNASA and the Japan Aerospace Exploration Agency (JAXA) met; QZSS came up.\n');
		const table = await client.connection.sendRequest<string>('workspace/executeCommand', { command: 'policyLens.server.abbreviationTable', arguments: [uri] });
		assert.equal(table, [
			'# Abbreviations in Brief',
			'',
			'| Abbreviation | Expansion |',
			'|---|---|',
			'| NASA | National Aeronautics and Space Administration |',
			'| JAXA | Japan Aerospace Exploration Agency |',
			'| QZSS | Quasi\\-Zenith Satellite System |',
			'',
		].join('\n'));
	});

	test('"check workspace" publishes findings for closed drafts', async () => {
		const published = client.nextNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri.endsWith('closed-draft.md'));
		const result = await client.connection.sendRequest<{ files: number; findings: number }>('workspace/executeCommand', { command: 'policyLens.server.checkWorkspace', arguments: [] });
		assert.ok(result.files >= 1);
		const diagnostics = (await published).diagnostics;
		assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['acronym.undefined']);
	});
});

describe('checks over the protocol, push diagnostics', () => {
	let workspace: string;
	let client: TestClient;

	before(async () => {
		workspace = mkdtempSync(join(tmpdir(), 'policy-lens-push-'));
		client = await startTestClient(workspace);
		await client.waitForNotification<IndexState>('policyLens/indexState', (state) => state.state === 'ready');
	});

	after(async () => {
		await client?.stop();
		rmSync(workspace, { recursive: true, force: true });
	});

	test('a client without pull diagnostics gets them pushed after an edit', async () => {
		const uri = URI.file(join(workspace, 'push.md')).toString();
		await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'Fine text.\n' } });
		const published = client.nextNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && params.version === 2);
		await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'NASA said so.\n' }] });
		assert.deepEqual((await published).diagnostics.map((diagnostic) => diagnostic.code), ['acronym.undefined']);
	});
});

describe('checks before the glossary has loaded', () => {
	test('diagnostics pulled right after start wait for the glossary (regression: JAXA reported as unknown)', async () => {
		const workspace = mkdtempSync(join(tmpdir(), 'policy-lens-early-'));
		const client = await startTestClient(workspace, pullCapabilities);
		try {
			const uri = URI.file(join(workspace, 'early.md')).toString();
			await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'The JAXA budget grew.\n' } });
			const report = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
			assert.deepEqual((report as { items: Diagnostic[] }).items.map((diagnostic) => diagnostic.code), ['acronym.undefined']);
		} finally {
			await client.stop();
			rmSync(workspace, { recursive: true, force: true });
		}
	});
});
