// The protocol scenarios again, inside VS Code's extension host: hover, definition, references,
// a workspace acronym and a broken glossary. A tiny runner keeps the suite free of test
// frameworks; each step polls for its condition with a deadline instead of sleeping.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const deadlineMs = 60000;

async function poll<T>(what: string, probe: () => Thenable<T | undefined> | T | undefined): Promise<T> {
	const started = Date.now();
	let last: unknown;
	while (Date.now() - started < deadlineMs) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setImmediate(resolve));
	}
	throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

function hoverText(hovers: vscode.Hover[]): string {
	return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : (content as vscode.MarkdownString).value))).join('\n');
}

async function hoverAt(uri: vscode.Uri, position: vscode.Position, expected: RegExp): Promise<string> {
	return poll(`a hover matching ${expected}`, async () => {
		const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position));
		return expected.test(text) ? text : undefined;
	});
}

function positionOf(document: vscode.TextDocument, needle: string): vscode.Position {
	const offset = document.getText().indexOf(needle);
	assert.notEqual(offset, -1, `"${needle}" is not in ${document.uri.fsPath}`);
	return document.positionAt(offset + 1);
}

const tests: Array<[string, () => Promise<void>]> = [];
const test = (name: string, body: () => Promise<void>) => tests.push([name, body]);

let draft: vscode.TextDocument;
let referenceStatement: vscode.TextDocument;

test('hover on JAXA cites paragraph 4 of the reference statement', async () => {
	const text = await hoverAt(draft.uri, positionOf(draft, 'JAXA'), /paragraph 4/);
	assert.match(text, /Japan Aerospace Exploration Agency/);
});

test('go-to-definition from JAXA lands on that paragraph', async () => {
	const links = await poll('a definition', async () => {
		const result = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', draft.uri, positionOf(draft, 'JAXA'));
		return result.length ? result : undefined;
	});
	const link = links[0]!;
	const uri = 'targetUri' in link ? link.targetUri : link.uri;
	const range = 'targetUri' in link ? link.targetSelectionRange ?? link.targetRange : link.range;
	assert.match(uri.fsPath, /JPUS_20240827\.D1E\.txt$/);
	referenceStatement = await vscode.workspace.openTextDocument(uri);
	assert.match(referenceStatement.lineAt(range.start.line).text, /^Principal participants/);
});

test('references on Artemis return its three mentions and not the Artemis Accords', async () => {
	const position = positionOf(referenceStatement, 'Artemis program');
	const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', referenceStatement.uri, position);
	const inStatement = locations.filter((location) => location.uri.toString() === referenceStatement.uri.toString());
	assert.equal(inStatement.length, 3);
	for (const location of inStatement) assert.doesNotMatch(referenceStatement.getText(new vscode.Range(location.range.start, location.range.start.translate(0, 20))), /Accords/);
});

test('an acronym defined only in a workspace statement is resolved in the draft', async () => {
	await hoverAt(draft.uri, positionOf(draft, 'CDON'), /Coastal Drift Observation Network/);
});

test('a broken glossary gets a diagnostic, and hovers still work', async () => {
	const glossary = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'policy-lens.glossary.yaml');
	const diagnostics = await poll('a glossary diagnostic', () => {
		const found = vscode.languages.getDiagnostics(glossary);
		return found.length ? found : undefined;
	});
	assert.equal(diagnostics[0]!.range.start.line, 2);
	await hoverAt(draft.uri, positionOf(draft, 'JAXA'), /Japan Aerospace Exploration Agency/);
});

export async function run(): Promise<void> {
	const folder = vscode.workspace.workspaceFolders![0]!.uri;
	draft = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'draft.md'));
	await vscode.window.showTextDocument(draft);
	let failed = 0;
	for (const [name, body] of tests) {
		try {
			await body();
			console.log(`ok - ${name}`);
		} catch (error) {
			failed++;
			console.log(`not ok - ${name}\n${error instanceof Error ? error.stack : String(error)}`);
		}
	}
	console.log(`${tests.length - failed} passed, ${failed} failed`);
	if (failed) throw new Error(`${failed} of ${tests.length} in-editor tests failed.`);
}
