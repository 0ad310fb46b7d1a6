// The VS Code side: start the language server, and show the index state in the status bar.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { indexStateNotification, serverCommands, type CheckWorkspaceResult, type IndexState, type InitializationOptions } from '../../server/src/protocol';
import { serverEnvironment } from './serverEnvironment';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc, options: { env: serverEnvironment(process.env) } },
		debug: { module, transport: TransportKind.ipc, options: { env: serverEnvironment(process.env), execArgv: ['--nolazy', '--inspect=6009'] } },
	};
	const documentSelector = ['plaintext', 'markdown', 'statement'].flatMap((language) => [
		{ scheme: 'file', language },
		{ scheme: 'untitled', language },
	]);
	const clientOptions: LanguageClientOptions = {
		documentSelector,
		outputChannelName: 'Policy Lens',
		synchronize: { configurationSection: 'policyLens' },
		initializationOptions: {
			// The index cache lives in the workspace's storage (or the global one for a lone file).
			cacheDirectory: (context.storageUri ?? context.globalStorageUri).fsPath,
			// The settings as workspace/configuration will answer: the server starts with them instead of waiting for that answer.
			settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration().get('policyLens') ?? {})) as InitializationOptions['settings'],
		} satisfies InitializationOptions,
	};
	client = new LanguageClient('policyLens', 'Policy Lens', serverOptions, clientOptions);

	const status = vscode.window.createStatusBarItem('policyLens.status', vscode.StatusBarAlignment.Right, 100);
	status.name = 'Policy Lens';
	status.text = '$(sync~spin) Policy Lens';
	status.tooltip = 'Policy Lens is starting';
	status.command = 'policyLens.showOutput';
	status.show();
	context.subscriptions.push(status);
	context.subscriptions.push(
		vscode.commands.registerCommand('policyLens.showOutput', () => client?.outputChannel.show()),
		vscode.commands.registerCommand('policyLens.generateAbbreviationTable', generateAbbreviationTable),
		vscode.commands.registerCommand('policyLens.checkWorkspace', checkWorkspace),
	);

	const count = (value: number, noun: string, plural = `${noun}s`) => `${value.toLocaleString('en-US')} ${value === 1 ? noun : plural}`;
	client.onNotification(indexStateNotification, (state: IndexState) => {
		const counts = `${count(state.statements, 'statement')}, ${count(state.entities, 'entity', 'entities')}`;
		if (state.state === 'indexing') {
			status.text = `$(sync~spin) Policy Lens ${state.done.toLocaleString('en-US')}/${state.total.toLocaleString('en-US')}`;
			status.tooltip = `Policy Lens is indexing: ${state.done} of ${state.total} files read; ${counts} so far.`;
		} else {
			status.text = `$(book) Policy Lens: ${count(state.statements, 'statement')}`;
			status.tooltip = `Policy Lens index ready: ${counts} in ${count(state.documents, 'document')}.`;
		}
	});
	await client.start();
}

/** Shows the active draft's table of abbreviations in a new Markdown editor beside it. */
async function generateAbbreviationTable(): Promise<void> {
	const editor = vscode.window.activeTextEditor;
	if (!editor || !client) {
		void vscode.window.showInformationMessage('Policy Lens: open a draft to list its abbreviations.');
		return;
	}
	const markdown = await client.sendRequest(ExecuteCommandRequest.type, { command: serverCommands.abbreviationTable, arguments: [editor.document.uri.toString()] });
	if (typeof markdown !== 'string') return;
	const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
	await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
}

/** Checks every draft in the workspace; the findings appear in the Problems panel. */
async function checkWorkspace(): Promise<void> {
	if (!client) return;
	const result = (await client.sendRequest(ExecuteCommandRequest.type, { command: serverCommands.checkWorkspace, arguments: [] })) as CheckWorkspaceResult | null;
	if (!result) return;
	await vscode.commands.executeCommand('workbench.actions.view.problems');
	void vscode.window.showInformationMessage(`Policy Lens checked ${result.files} ${result.files === 1 ? 'file' : 'files'}: ${result.findings} ${result.findings === 1 ? 'finding' : 'findings'}.`);
}

export async function deactivate(): Promise<void> {
	await client?.stop();
}
