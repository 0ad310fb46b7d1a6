// A real LSP client for protocol tests: starts the bundled server as a child process over
// stdio, as an editor would, and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import {
	createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ClientCapabilities, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const repositoryRoot = join(__dirname, '..', '..');
export const serverPath = join(repositoryRoot, 'dist', 'server.js');

export interface TestClient {
	readonly connection: ProtocolConnection;
	readonly process: ChildProcess;
	/** Everything the server logged through window/logMessage. */
	readonly logs: string[];
	/** Resolves with the first notification of `method` whose params satisfy `predicate`; rejects after `deadlineMs`. */
	waitForNotification<T>(method: string, predicate: (params: T) => boolean, deadlineMs?: number): Promise<T>;
	/** Like `waitForNotification`, but only notifications that arrive after the call count. */
	nextNotification<T>(method: string, predicate: (params: T) => boolean, deadlineMs?: number): Promise<T>;
	/** Every notification of `method` received so far, in order. */
	received<T>(method: string): T[];
	stop(): Promise<void>;
}

/** The server-to-client notifications the tests can wait for. */
const observedNotifications = ['window/logMessage', 'textDocument/publishDiagnostics', 'policyLens/indexState', '$/progress'];

export const defaultCapabilities: ClientCapabilities = {
	textDocument: {
		hover: { contentFormat: ['markdown', 'plaintext'] },
		definition: { linkSupport: true },
		publishDiagnostics: {},
	},
	window: { workDoneProgress: true },
	workspace: { configuration: false, didChangeWatchedFiles: { dynamicRegistration: false } },
};

/** What a test can change in the client's side of the start. */
export interface StartHooks {
	/** The answer to each `workspace/configuration` request (by default, null for every item). */
	readonly configuration?: (items: unknown[]) => unknown[] | Promise<unknown[]>;
	/** Runs right after `initialized` is sent, before the client answers anything. */
	readonly afterInitialized?: (connection: ProtocolConnection) => void;
	/** Another copy of the server to start than `dist/server.js`. */
	readonly serverPath?: string;
}

export async function startTestClient(workspaceFolder: string | undefined, capabilities: ClientCapabilities = defaultCapabilities, initializationOptions?: unknown, environment?: NodeJS.ProcessEnv, hooks: StartHooks = {}): Promise<TestClient> {
	const child = spawn(process.execPath, [hooks.serverPath ?? serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...environment } });
	const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
	const logs: string[] = [];
	const waiters: Array<{ method: string; predicate: (params: unknown) => boolean; resolve: (params: unknown) => void }> = [];
	const seen: Array<{ method: string; params: unknown }> = [];
	const deliver = (method: string, params: unknown) => {
		seen.push({ method, params });
		for (const waiter of [...waiters]) {
			if (waiter.method === method && waiter.predicate(params)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(params);
			}
		}
	};
	for (const method of observedNotifications) {
		connection.onNotification(method, (params: unknown) => {
			if (method === 'window/logMessage') logs.push((params as { message: string }).message);
			deliver(method, params);
		});
	}
	connection.onRequest('window/workDoneProgress/create', () => null);
	connection.onRequest('client/registerCapability', () => null);
	connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => hooks.configuration?.(params.items) ?? params.items.map(() => null));
	connection.listen();
	await connection.sendRequest('initialize', {
		processId: process.pid,
		rootUri: workspaceFolder ? URI.file(workspaceFolder).toString() : null,
		workspaceFolders: workspaceFolders(workspaceFolder),
		capabilities,
		initializationOptions,
	});
	await connection.sendNotification('initialized', {});
	hooks.afterInitialized?.(connection);
	const client: TestClient = {
		connection,
		process: child,
		logs,
		waitForNotification<T>(method: string, predicate: (params: T) => boolean, deadlineMs = 20000): Promise<T> {
			const earlier = seen.find((entry) => entry.method === method && predicate(entry.params as T));
			if (earlier) return Promise.resolve(earlier.params as T);
			return client.nextNotification(method, predicate, deadlineMs);
		},
		nextNotification<T>(method: string, predicate: (params: T) => boolean, deadlineMs = 20000): Promise<T> {
			return new Promise<T>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`No ${method} notification matched within ${deadlineMs} ms; server log:\n${logs.join('\n')}`)), deadlineMs);
				waiters.push({ method, predicate: predicate as (params: unknown) => boolean, resolve: (params) => { clearTimeout(timer); resolve(params as T); } });
			});
		},
		received<T>(method: string): T[] {
			return seen.filter((entry) => entry.method === method).map((entry) => entry.params as T);
		},
		async stop() {
			try {
				await connection.sendRequest('shutdown');
				await connection.sendNotification('exit');
			} finally {
				connection.dispose();
				if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
			}
		},
	};
	return client;
}

function workspaceFolders(folder: string | undefined) {
	return folder ? [{ uri: URI.file(folder).toString(), name: 'workspace' }] : null;
}
