// The VS Code side: start the language server, and show the index state in the status bar.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { indexStateNotification, type IndexState } from '../../server/src/protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
	};
	const documentSelector = ['plaintext', 'markdown', 'statement'].flatMap((language) => [
		{ scheme: 'file', language },
		{ scheme: 'untitled', language },
	]);
	const clientOptions: LanguageClientOptions = {
		documentSelector,
		outputChannelName: 'Policy Lens',
		synchronize: { configurationSection: 'policyLens' },
	};
	client = new LanguageClient('policyLens', 'Policy Lens', serverOptions, clientOptions);

	const status = vscode.window.createStatusBarItem('policyLens.status', vscode.StatusBarAlignment.Right, 100);
	status.name = 'Policy Lens';
	status.text = '$(sync~spin) Policy Lens';
	status.tooltip = 'Policy Lens is starting';
	status.command = 'policyLens.showOutput';
	status.show();
	context.subscriptions.push(status);
	context.subscriptions.push(vscode.commands.registerCommand('policyLens.showOutput', () => client?.outputChannel.show()));

	client.onNotification(indexStateNotification, (state: IndexState) => {
		const counts = `${state.statements.toLocaleString('en-US')} statements, ${state.entities.toLocaleString('en-US')} entities`;
		if (state.state === 'indexing') {
			status.text = `$(sync~spin) Policy Lens ${state.done.toLocaleString('en-US')}/${state.total.toLocaleString('en-US')}`;
			status.tooltip = `Policy Lens is indexing: ${state.done} of ${state.total} files read; ${counts} so far.`;
		} else {
			status.text = `$(book) Policy Lens: ${state.statements.toLocaleString('en-US')} statements`;
			status.tooltip = `Policy Lens index ready: ${counts} in ${state.documents.toLocaleString('en-US')} documents.`;
		}
	});
	await client.start();
}

export async function deactivate(): Promise<void> {
	await client?.stop();
}
