// An LSP client for the benchmark: starts a server as a child process over stdio, as an editor
// would, announces an editor's capabilities, answers the server's requests, and records what
// the benchmark waits for (index state, log lines) with the time each arrived. Every wait has a
// deadline, and a server that dies fails every pending wait with its exit status and stderr.
import type { ChildProcess } from 'node:child_process';
import {
	createProtocolConnection, StreamMessageReader, StreamMessageWriter,
	type ClientCapabilities, type InitializeResult, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { indexStateNotification, type IndexState, type Settings } from '../server/src/protocol';
import { now, readPeakRssMB, spawnTracked } from './processes';

/** What VS Code announces for the features the benchmark uses. */
export const editorCapabilities: ClientCapabilities = {
	general: { positionEncodings: ['utf-16'] },
	window: { workDoneProgress: true, showMessage: {} },
	workspace: {
		configuration: true,
		workspaceFolders: true,
		didChangeConfiguration: { dynamicRegistration: true },
		didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
		diagnostics: { refreshSupport: true },
		symbol: {},
		executeCommand: {},
	},
	textDocument: {
		synchronization: { dynamicRegistration: true, didSave: true, willSave: false },
		hover: { contentFormat: ['markdown', 'plaintext'] },
		definition: { linkSupport: true },
		references: {},
		documentSymbol: { hierarchicalDocumentSymbolSupport: true },
		codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
		publishDiagnostics: { relatedInformation: true, versionSupport: true },
		diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
	},
};

export interface SessionOptions {
	/** Shown in errors: "cold server", "null server". */
	readonly label: string;
	readonly command: string;
	readonly args: readonly string[];
	readonly cwd: string;
	/** The workspace folder, or undefined for none. */
	readonly workspaceUri?: string;
	readonly initializationOptions?: unknown;
	/** Answered to `workspace/configuration` for the `policyLens` section. */
	readonly settings?: Partial<Settings>;
}

export interface TimedIndexState {
	/** Milliseconds since the server was spawned. */
	readonly at: number;
	readonly state: IndexState;
}

export interface LogLine {
	readonly at: number;
	readonly type: number;
	readonly message: string;
}

interface IndexWaiter {
	readonly from: number;
	readonly predicate: (state: IndexState) => boolean;
	readonly resolve: (state: TimedIndexState) => void;
}

/**
 * A delay that can be cancelled. It keeps the process alive while it runs (an unref'd timer
 * would let Node exit silently when the only other thing awaited is a dead server), so callers
 * cancel it as soon as they are done waiting.
 */
function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
	let timer: NodeJS.Timeout | undefined;
	const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
	return { promise, cancel: () => clearTimeout(timer) };
}

const deadlineError = (what: string, ms: number) => new Error(`${what} did not happen within ${ms < 10000 ? `${ms} ms` : `${(ms / 1000).toFixed(0)} s`}`);

export class LspSession {
	readonly process: ChildProcess;
	readonly connection: ProtocolConnection;
	/** `now()` when the process was spawned: the origin of every `at`. */
	readonly spawnedAt: number;
	readonly indexStates: TimedIndexState[] = [];
	readonly logs: LogLine[] = [];
	diagnosticRefreshes = 0;
	initializeResult: InitializeResult | undefined;
	private stderrTail = '';
	private stopping = false;
	private readonly waiters: IndexWaiter[] = [];
	/** Rejects when the process ends without being asked to; every wait races against it. */
	private readonly failure: Promise<never>;
	private failWith: (error: Error) => void = () => undefined;
	/** Why the session failed, once it has. */
	private failed: Error | undefined;
	/** The rejecters of requests awaiting their answer, which a failure rejects (see `rawRequest`). */
	private readonly pendingRequests = new Set<(error: Error) => void>();
	private versions = new Map<string, number>();

	constructor(readonly options: SessionOptions) {
		this.spawnedAt = now();
		this.process = spawnTracked(options.command, options.args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
		let rejectFailure: (error: Error) => void = () => undefined;
		this.failure = new Promise<never>((_, reject) => (rejectFailure = reject));
		this.failWith = (error) => {
			this.failed ??= error;
			for (const reject of this.pendingRequests) reject(error);
			this.pendingRequests.clear();
			rejectFailure(error);
		};
		// Nobody may be waiting when the server dies; the rejection is still seen by the next wait.
		this.failure.catch(() => undefined);
		this.process.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-8192)));
		this.process.once('error', (error) => this.failWith(new Error(`${options.label}: could not start ${options.command}: ${error.message}`)));
		this.process.once('exit', (code, signal) => {
			if (!this.stopping) this.failWith(new Error(`${options.label} exited unexpectedly (code ${code}, signal ${signal}).${this.diagnosis()}`));
		});
		this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
		this.listen();
	}

	get pid(): number | undefined {
		return this.process.pid;
	}

	/** Milliseconds since spawn. */
	elapsed(): number {
		return now() - this.spawnedAt;
	}

	/** The server's stderr and last log lines, for error messages. */
	diagnosis(): string {
		const logs = this.logs.slice(-15).map((line) => `  ${line.message.slice(0, 400)}`).join('\n');
		return `${this.stderrTail ? `\n--- stderr (tail) ---\n${this.stderrTail}` : ''}${logs ? `\n--- last log lines ---\n${logs}` : ''}`;
	}

	private listen(): void {
		const connection = this.connection;
		connection.onNotification(indexStateNotification, (state: IndexState) => {
			const timed = { at: this.elapsed(), state };
			this.indexStates.push(timed);
			for (const waiter of [...this.waiters]) {
				if (this.indexStates.length - 1 >= waiter.from && waiter.predicate(state)) {
					this.waiters.splice(this.waiters.indexOf(waiter), 1);
					waiter.resolve(timed);
				}
			}
		});
		connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
			if (this.logs.length < 20000) this.logs.push({ at: this.elapsed(), type: params.type, message: params.message });
		});
		for (const method of ['$/progress', 'textDocument/publishDiagnostics', 'window/showMessage', 'telemetry/event']) connection.onNotification(method, () => undefined);
		connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) => params.items.map((item) => (item.section === 'policyLens' ? this.options.settings ?? null : null)));
		connection.onRequest('workspace/diagnostic/refresh', () => {
			this.diagnosticRefreshes++;
			return null;
		});
		for (const method of ['window/workDoneProgress/create', 'client/registerCapability', 'client/unregisterCapability', 'window/showMessageRequest', 'workspace/semanticTokens/refresh', 'workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
			connection.onRequest(method, () => null);
		}
		connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
		connection.onError(() => undefined);
		connection.listen();
	}

	/** Races `work` against the server's death and a deadline. */
	async within<T>(what: string, deadlineMs: number, work: Promise<T>): Promise<T> {
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${this.options.label}: ${deadlineError(what, deadlineMs).message}.${this.diagnosis()}`)), deadlineMs);
		});
		try {
			return await Promise.race([work, this.failure, deadline]);
		} finally {
			clearTimeout(timer);
		}
	}

	/** `initialize` then `initialized`; resolves with the server's answer. */
	async initialize(deadlineMs = 30000): Promise<InitializeResult> {
		const workspaceUri = this.options.workspaceUri;
		this.initializeResult = await this.within('initialize', deadlineMs, this.connection.sendRequest<InitializeResult>('initialize', {
			processId: process.pid,
			clientInfo: { name: 'policy-lens-bench' },
			locale: 'en',
			rootUri: workspaceUri ?? null,
			workspaceFolders: workspaceUri ? [{ uri: workspaceUri, name: 'bench' }] : null,
			capabilities: editorCapabilities,
			initializationOptions: this.options.initializationOptions,
		}));
		await this.connection.sendNotification('initialized', {});
		return this.initializeResult;
	}

	request<R>(method: string, params: unknown, deadlineMs = 60000): Promise<R> {
		return this.within(method, deadlineMs, this.connection.sendRequest<R>(method, params));
	}

	/**
	 * A request raced only against the server's death: the latency loops run thousands of them and
	 * put one deadline on the whole series (see `watchdog`), so a timer per request stays out of
	 * the figures.
	 */
	rawRequest<R>(method: string, params: unknown): Promise<R> {
		// Not `Promise.race` with `this.failure`: a promise that never settles keeps a reaction for
		// every race it joined, and each holds its race's answer, so a session kept every answer it
		// got (after 3,000 requests with references of tens of thousands of locations, 450 MB of
		// the harness's heap, which then slowed every process the harness timed after it).
		if (this.failed) return Promise.reject(this.failed);
		return new Promise<R>((resolve, reject) => {
			this.pendingRequests.add(reject);
			this.connection.sendRequest<R>(method, params).then(
				(value) => {
					this.pendingRequests.delete(reject);
					resolve(value);
				},
				(error: unknown) => {
					this.pendingRequests.delete(reject);
					reject(error instanceof Error ? error : new Error(String(error)));
				},
			);
		});
	}

	/** Kills the server if `deadlineMs` passes before the returned function is called. */
	watchdog(what: string, deadlineMs: number): () => void {
		const timer = setTimeout(() => {
			this.failWith(new Error(`${this.options.label}: ${deadlineError(what, deadlineMs).message}.${this.diagnosis()}`));
			this.kill();
		}, deadlineMs);
		return () => clearTimeout(timer);
	}

	async open(uri: string, languageId: string, text: string): Promise<void> {
		this.versions.set(uri, 1);
		await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
	}

	/** Sends one change; `range` undefined means the whole text. Returns the new version. */
	async change(uri: string, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<number> {
		const version = (this.versions.get(uri) ?? 1) + 1;
		this.versions.set(uri, version);
		await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [range ? { range, text } : { text }] });
		return version;
	}

	notify(method: string, params: unknown): Promise<void> {
		return this.connection.sendNotification(method, params);
	}

	/** Whether the server asked for incremental sync (TextDocumentSyncKind.Incremental = 2). */
	get incrementalSync(): boolean {
		const sync = this.initializeResult?.capabilities.textDocumentSync;
		return (typeof sync === 'number' ? sync : sync?.change) === 2;
	}

	/**
	 * The first index state, among those numbered `from` and later, that satisfies `predicate`;
	 * one that already arrived counts.
	 */
	waitForIndexState(what: string, predicate: (state: IndexState) => boolean, deadlineMs: number, from = 0): Promise<TimedIndexState> {
		for (let index = from; index < this.indexStates.length; index++) {
			if (predicate(this.indexStates[index]!.state)) return Promise.resolve(this.indexStates[index]!);
		}
		const work = new Promise<TimedIndexState>((resolve) => this.waiters.push({ from, predicate, resolve }));
		return this.within(what, deadlineMs, work);
	}

	/**
	 * Index state number `from`, waiting for it up to `quietMs`; undefined when none arrives in
	 * that time (the index has gone quiet). Rejects only if the server dies.
	 */
	async nextIndexState(from: number, quietMs: number): Promise<TimedIndexState | undefined> {
		if (from < this.indexStates.length) return this.indexStates[from];
		let timer: NodeJS.Timeout | undefined;
		let waiter: IndexWaiter | undefined;
		const arrival = new Promise<TimedIndexState>((resolve) => {
			waiter = { from, predicate: () => true, resolve };
			this.waiters.push(waiter);
		});
		const quiet = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), quietMs)));
		try {
			return await Promise.race([arrival, quiet, this.failure]);
		} finally {
			clearTimeout(timer);
			const index = this.waiters.indexOf(waiter!);
			if (index !== -1) this.waiters.splice(index, 1);
		}
	}

	peakRssMB(): number | undefined {
		return this.pid === undefined ? undefined : readPeakRssMB(this.pid);
	}

	/** shutdown and exit, as an editor closes; kills the process if it does not leave in time. */
	async stop(deadlineMs = 15000): Promise<void> {
		const exited = new Promise<void>((resolve) => {
			if (this.process.exitCode !== null || this.process.signalCode !== null) resolve();
			else this.process.once('exit', () => resolve());
		});
		const alreadyKilled = this.stopping;
		this.stopping = true;
		const wait = delay(deadlineMs);
		try {
			// A server that was killed (by a watchdog) cannot answer shutdown; only its exit is awaited.
			if (!alreadyKilled) {
				await Promise.race([this.connection.sendRequest('shutdown'), exited, wait.promise]);
				await this.connection.sendNotification('exit').catch(() => undefined);
			}
			await Promise.race([exited, wait.promise]);
		} catch {
			// The connection may already be gone; killing below is enough.
		} finally {
			wait.cancel();
			this.kill();
			this.connection.dispose();
		}
	}

	kill(): void {
		this.stopping = true;
		if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
	}
}
