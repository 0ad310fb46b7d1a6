// The LSP layer: wires the pure core (server/src/core) to a connection. It owns the open
// documents, the settings, the file system and the indexing schedule; every answer comes from
// the core's language service.
import { isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import {
	CancellationToken, CodeActionKind, SemanticTokensBuilder, DiagnosticSeverity, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind,
	FileChangeType, LSPErrorCodes, ResponseError, SymbolKind, TextDocumentSyncKind, TextDocuments,
	type CodeAction, type Connection, type Definition, type DocumentSymbol, type InitializeParams,
	type InitializeResult, type Location, type LocationLink, type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyzeDocument, computeLineStarts, type DocumentAnalysis } from '../core/analysis';
import { CorpusIndex } from '../core/corpusIndex';
import { GlossarySet } from '../core/glossarySet';
import { findingsMoveOf, IncrementalAnalysis } from '../core/incremental';
import { listAbbreviations, formatAbbreviationTable } from '../core/abbreviations';
import { checkDocument, type CheckResult, type DocumentFormat } from '../core/checks';
import { parseProjectConfig, projectConfigFileName, type ProjectConfig } from '../core/config';
import type { DataProblem } from '../core/dataFile';
import { analyzeMarkdown } from '../core/markdown';
import type { Lexicon } from '../core/recognizer';
import { createResolver } from '../core/resolver';
import { createLanguageService, semanticTokenModifiers, semanticTokenTypes, type DefinitionTarget } from '../core/service';
import { builtInDataFiles, builtInDataFilesSync, concatFoundFiles, findFilesWithStampsSync, readTextFile, statFiles, type FileStamp, type FoundFiles } from '../node/files';
import { loadBuiltInGlossaryFiles } from '../node/builtInGlossary';
import { cacheFromAnotherGlossary, glossaryFingerprint, loadIndexCache, saveIndexCache, type CacheEntry } from '../node/indexCache';
import type { StoredAnalysis } from '../core/storedAnalysis';
import { toStoredAnalysis, type FileToIndex, type IndexedFile, type StoredDocument } from '../node/indexing';
import { RecordSpool } from '../node/recordSpool';
import { useSteadyHeapGrowth } from '../node/heapGrowth';
import { useBaselineCompiler } from '../node/serverFlags';
import { IndexPool } from '../node/indexPool';
import {
	defaultSettings, indexStateNotification, serverCommands, serverTimingsRequest, type CheckWorkspaceResult, type IndexState,
	type InitializationOptions,
	type ServerTimings, type Settings,
} from '../protocol';
import { addAcronymToGlossary, DiagnosticCache, toCodeActions, toDiagnostic, type ConvertedDiagnostics } from './checking';
import { LocationHeads, rangeOf, writeLocationsJson } from './convert';
import { JsonBytes, prebuiltArray, serializeWithItems } from './messageWriter';
import { HandlerTimings } from './timings';
import { applyProjectConfig, checkOptionsOf, mergeSettings } from './settings';

export interface ServerRuntime {
	/** The folder holding the built-in `glossary/` and `statements/`. */
	readonly dataDirectory: string;
	/** Today's date as ISO 8601, for judging names in drafts that give no date. */
	readonly today: () => string;
	/** The bundled index worker script; when it is missing, files are analysed on the server's thread. */
	readonly indexWorkerPath: string;
	/** The build's precompiled built-in glossary; when missing or stale, the YAML is parsed. */
	readonly compiledGlossaryPath?: string;
	/** Whether the connection's writer takes a result's JSON made beforehand (`JsonStreamWriter`, over stdio). */
	readonly prebuiltJson?: boolean;
}

/** How many files go to a worker at a time while indexing (about 350 KB of statements). */
const indexBatchSize = 50;
/** How long the index cache waits after the last change before it is written. */
const cacheSaveDelayMs = 1_000;

export function startServer(connection: Connection, runtime: ServerRuntime): void {
	const documents = new TextDocuments(TextDocument);
	const index = new CorpusIndex();
	/** Reference locations' heads by document number: numbers are the index's, so they live as long as it. */
	const locationHeads = new LocationHeads();
	const glossaries = new GlossarySet();
	// Corpus-wide tables are built once the index is complete and no burst of file changes is under way.
	const service = createLanguageService({ getLexicon: () => glossaries.lexicon, index, isCorpusSettled: () => indexState.state === 'ready' && watchedChangesInFlight === 0, tablesInSteps: true });
	const resolver = createResolver(() => glossaries.lexicon, index);
	/** Check results of open documents, keyed by URI, valid for one document version and index generation. */
	const checkCache = new Map<string, { version: number; generation: number; result: CheckResult }>();
	const pendingChecks = new Map<string, NodeJS.Timeout>();
	/** Line starts of glossary files, so glossary entries can be go-to-definition targets. */
	const glossaryLineStarts = new Map<string, readonly number[]>();
	const fileProblems = new Map<string, readonly DataProblem[]>();
	const timings = new HandlerTimings();
	const pool = new IndexPool(runtime.indexWorkerPath, (message) => connection.console.warn(message));
	/** The index cache file, when the client gave a folder for it. */
	let cacheFile: string | undefined;
	/** Where workers' records wait for the next cache write; in memory when there is no cache folder. */
	let spool = new RecordSpool(undefined);
	let cacheLoaded = false;
	let cacheSaving = false;
	/** The cache entries of the files in the index, by path: what is written to `cacheFile`. */
	const cacheEntries = new Map<string, CacheEntry>();

	/** The editor's settings as last read; `settings` adds the project configuration file on top. */
	let editorSettings: Settings = defaultSettings;
	let settings: Settings = defaultSettings;
	let projectConfig: ProjectConfig | undefined;
	let workspaceFolders: string[] = [];
	let supportsConfiguration = false;
	let supportsLinks = false;
	let supportsWatchRegistration = false;
	let supportsProgress = false;
	let supportsPullDiagnostics = false;
	let supportsDiagnosticRefresh = false;
	let indexRun = 0;
	let watchedChangesInFlight = 0;
	let indexState: IndexState = { state: 'indexing', statements: 0, documents: 0, entities: 0, done: 0, total: 0 };
	const pendingAnalyses = new Map<string, NodeJS.Timeout>();
	/** The lexicon each open document was analysed with: a reloaded glossary makes the analysis stale. */
	const analysedWith = new WeakMap<DocumentAnalysis, object>();
	/** Whether the glossary has loaded: until then a settings change only marks the settings stale (see onInitialized). */
	let glossaryReady = false;
	/**
	 * Open documents are analysed, and diagnostics pulls answered, once the glossary has loaded
	 * (findings without it would call every acronym unknown) and the start's index run has filed
	 * the cache and taken the walk's result (see onInitialized).
	 */
	let answering = false;
	let startAnswering: () => void = () => undefined;
	const answeringStarted = new Promise<void>((resolve) => (startAnswering = () => resolve(void (answering = true))));

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		useBaselineCompiler();
		const capabilities = params.capabilities;
		supportsConfiguration = capabilities.workspace?.configuration === true;
		supportsLinks = capabilities.textDocument?.definition?.linkSupport === true;
		supportsWatchRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
		supportsProgress = capabilities.window?.workDoneProgress === true;
		supportsPullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
		supportsDiagnosticRefresh = capabilities.workspace?.diagnostics?.refreshSupport === true;
		const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
		workspaceFolders = folders.map((uri) => URI.parse(uri)).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
		const options = (params.initializationOptions ?? {}) as InitializationOptions;
		editorSettings = mergeSettings(options.settings);
		settingsGivenAtStart = options.settings !== undefined && options.settings !== null;
		if (typeof options.cacheDirectory === 'string' && options.cacheDirectory) {
			cacheFile = join(options.cacheDirectory, 'index-cache.bin');
			spool = new RecordSpool(options.cacheDirectory);
		}
		settings = editorSettings;
		// A warm start's longest steps start now, not after the client has sent its settings: the
		// built-in glossary loads, and right after this answer has gone the cache is read and filed
		// and the folders are walked with the settings known so far (the start walks again if the
		// client's settings or the project file change what is indexed).
		builtInLoaded = loadBuiltInGlossary();
		// Awaited once the client is initialized; a failure is reported there, not as an unhandled rejection meanwhile.
		builtInLoaded.catch(() => undefined);
		setImmediate(() => {
			loadCacheOnce();
			startFirstWalk();
		});
		return {
			capabilities: {
				textDocumentSync: TextDocumentSyncKind.Incremental,
				hoverProvider: true,
				definitionProvider: true,
				referencesProvider: true,
				documentSymbolProvider: true,
				workspaceSymbolProvider: true,
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
				semanticTokensProvider: { legend: { tokenTypes: [...semanticTokenTypes], tokenModifiers: [...semanticTokenModifiers] }, full: true },
				executeCommandProvider: { commands: [serverCommands.addToGlossary, serverCommands.abbreviationTable, serverCommands.checkWorkspace] },
				...(supportsPullDiagnostics ? { diagnosticProvider: { identifier: 'policy-lens', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
			},
			serverInfo: { name: 'policy-lens' },
		};
	});

	/** The built-in glossary, which needs no settings: it loads while the client answers for them. */
	let builtInLoaded: Promise<void> = Promise.resolve();

	connection.onInitialized(async () => {
		try {
			await start();
		} catch (error) {
			// Questions waiting for the start (`handleAnswering`, diagnostics pulls) are answered
			// from what there is rather than left waiting for a start that will not come.
			connection.console.error(`The start failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}. Questions are answered without the index.`);
			startAnswering();
		}
	});

	/** After initialized: the settings, the glossaries, then the first index run. */
	async function start(): Promise<void> {
		if (supportsWatchRegistration) {
			connection.client.register(DidChangeWatchedFilesNotification.type, {
				watchers: [{ globPattern: '**/*.{txt,md,markdown,yaml,yml,json}' }],
			}).catch((error: unknown) => connection.console.warn(`Could not ask to be told of file changes: ${String(error)}.`));
		}
		// Settings the client gave at initialize (our VS Code client gives them) are used at once,
		// with the project file: the start does not wait for workspace/configuration, whose answer
		// queues behind the text of every document the client opens at start. That answer starts
		// another index run only if it changes the settings (`confirmSettings`).
		const confirmLater = settingsGivenAtStart && supportsConfiguration;
		await loadSettings(!confirmLater);
		// The walk needs only the settings: with them known, it goes on while the glossary loads.
		startFirstWalk();
		await builtInLoaded;
		// Settings that changed meanwhile (a client may send its settings once at start) are read
		// again, and the folders walked with them, before the first index run.
		do {
			if (settingsChangedDuringStart) {
				settingsChangedDuringStart = false;
				await loadSettings();
				startFirstWalk();
			}
			await loadWorkspaceGlossaries();
		} while (settingsChangedDuringStart);
		glossaryReady = true;
		// Questions and diagnostics pulls that waited for the glossary go on once the index run has
		// filed what the cache holds and taken the walk's result (at once when nothing is cached):
		// checked against the cached corpus instead of none, and not worked out (a long draft's
		// analysis) ahead of the run's next steps, which on a warm start complete the index.
		void reindex(startAnswering);
		if (confirmLater) void confirmSettings();
	}

	/** Whether the client gave its settings in the initialize request's options. */
	let settingsGivenAtStart = false;

	/** Asks the client for the settings the start took from the initialize request; a difference is a settings change. */
	async function confirmSettings(): Promise<void> {
		const used = JSON.stringify(settings);
		await loadSettings();
		if (JSON.stringify(settings) === used) return;
		await loadWorkspaceGlossaries();
		checkCache.clear();
		void reindex();
	}

	/** Whether the settings changed before the start's first index run: that run then uses them, and no run starts without the glossary. */
	let settingsChangedDuringStart = false;

	connection.onDidChangeConfiguration(async () => {
		if (!glossaryReady) {
			// The start reads the settings and the workspace glossaries again before its index run.
			settingsChangedDuringStart = true;
			return;
		}
		await loadSettings();
		await loadWorkspaceGlossaries();
		checkCache.clear();
		void reindex();
	});

	/** Reads the editor's settings from the client (unless `fromClient` is false: then those given at initialize stay) and the project file. */
	async function loadSettings(fromClient = true): Promise<void> {
		if (supportsConfiguration && fromClient) {
			try {
				const value = (await connection.workspace.getConfiguration('policyLens')) as Partial<Settings> | null;
				editorSettings = mergeSettings(value ?? undefined);
			} catch (error) {
				connection.console.warn(`Could not read the policyLens settings; using the defaults (${String(error)}).`);
			}
		}
		await loadProjectConfig();
		settings = workspaceFolders[0] ? applyProjectConfig(editorSettings, projectConfig, workspaceFolders[0]) : editorSettings;
	}

	/** The project configuration file of the first workspace folder, kept at its last good version when it has problems. */
	async function loadProjectConfig(): Promise<void> {
		const folder = workspaceFolders[0];
		if (!folder) return;
		const path = join(folder, projectConfigFileName);
		const uri = URI.file(path).toString();
		const result = await readTextFile(path, 1048576);
		if (!('text' in result)) {
			if (!result.missing) connection.console.warn(`Skipped ${path}: it ${result.skipped}.`);
			projectConfig = undefined;
			publishFileProblems(uri, [], [0]);
			return;
		}
		const lineStarts = computeLineStarts(result.text);
		const { config, problems } = parseProjectConfig(uri, result.text);
		for (const problem of problems) {
			const position = rangeOf(lineStarts, problem.span).start;
			connection.console.warn(`${path}:${position.line + 1}:${position.character + 1}: ${problem.message} The last good configuration stays in force.`);
		}
		publishFileProblems(uri, problems, lineStarts);
		if (config) projectConfig = config;
	}

	async function loadBuiltInGlossary(): Promise<void> {
		const paths = (await builtInDataFiles(runtime.dataDirectory)).glossaries;
		const { files, trie, fingerprint } = loadBuiltInGlossaryFiles(paths, runtime.compiledGlossaryPath);
		for (const { path, uri, text, file } of files) {
			glossaryLineStarts.set(uri, computeLineStarts(text));
			for (const problem of glossaries.addBuiltInFile(file)) connection.console.error(`Built-in glossary ${path}: ${problem.message}`);
		}
		glossaries.useBuiltInTrie(trie);
		builtInFingerprint = fingerprint;
	}

	/** The built-in glossary's cache fingerprint, worked out by the build; for the glossary in force while no workspace file is. */
	let builtInFingerprint: string | undefined;

	function glossaryPaths(): string[] {
		const paths: string[] = [];
		for (const file of settings.glossaryFiles) {
			if (isAbsolute(file)) paths.push(file);
			else for (const folder of workspaceFolders) paths.push(resolve(folder, file));
		}
		return [...new Set(paths)];
	}

	/** Loads every configured workspace glossary; returns whether the glossary in force changed. */
	async function loadWorkspaceGlossaries(): Promise<boolean> {
		const wanted = new Set(glossaryPaths().map((path) => URI.file(path).toString()));
		let changed = false;
		for (const uri of glossaries.workspaceFiles()) {
			if (!wanted.has(uri)) changed = glossaries.removeWorkspaceFile(uri) || changed;
		}
		for (const uri of wanted) changed = (await loadWorkspaceGlossary(uri)) || changed;
		return changed;
	}

	async function loadWorkspaceGlossary(uri: string): Promise<boolean> {
		const open = documents.get(uri);
		let text: string;
		if (open) text = open.getText();
		else {
			const result = await readTextFile(URI.parse(uri).fsPath, settings.maxFileSizeMB * 1048576);
			if (!('text' in result)) {
				if (!result.missing) connection.console.warn(`Skipped glossary ${URI.parse(uri).fsPath}: it ${result.skipped}.`);
				const removed = glossaries.removeWorkspaceFile(uri);
				publishFileProblems(uri, [], [0]);
				return removed;
			}
			text = result.text;
		}
		glossaryLineStarts.set(uri, computeLineStarts(text));
		const { problems, changed } = glossaries.updateWorkspaceFile(uri, text);
		for (const problem of problems) {
			const position = rangeOf(glossaryLineStarts.get(uri)!, problem.span).start;
			connection.console.warn(`${URI.parse(uri).fsPath}:${position.line + 1}:${position.character + 1}: ${problem.message} The last good version of this glossary stays in force.`);
		}
		publishFileProblems(uri, problems, glossaryLineStarts.get(uri) ?? [0]);
		return changed;
	}

	/** Problems in a glossary or configuration file, as diagnostics on that file. */
	function publishFileProblems(uri: string, problems: readonly DataProblem[], lineStarts: readonly number[]): void {
		if (problems.length === 0 && !fileProblems.has(uri)) return;
		if (problems.length) fileProblems.set(uri, problems);
		else fileProblems.delete(uri);
		const code = uri.endsWith(projectConfigFileName) ? 'config.invalid' : 'glossary.invalid';
		void connection.sendDiagnostics({
			uri,
			diagnostics: problems.map((problem) => ({
				range: rangeOf(lineStarts, problem.span),
				severity: DiagnosticSeverity.Error,
				source: 'policy-lens',
				code,
				message: problem.message,
			})),
		});
	}

	function isGlossaryFile(uri: string): boolean {
		return glossaryPaths().some((path) => URI.file(path).toString() === uri);
	}

	/** Whether a file on disk belongs in the index: a built-in statement, or a workspace file the globs take. */
	function isIndexedPath(path: string): boolean {
		if (settings.useBuiltInCorpus && path.startsWith(join(runtime.dataDirectory, 'statements') + '/')) return true;
		return matchesWorkspaceGlobs(path);
	}

	function matchesWorkspaceGlobs(path: string): boolean {
		for (const folder of workspaceFolders) {
			if (!path.startsWith(folder + '/')) continue;
			const relative = path.slice(folder.length + 1);
			if (picomatch.isMatch(relative, [...settings.include], { dot: true }) && !picomatch.isMatch(relative, [...settings.exclude], { dot: true })) return true;
		}
		return false;
	}

	function sendIndexState(update: Partial<IndexState>): void {
		indexState = { ...indexState, ...update, statements: index.statementCount, documents: index.size, entities: glossaries.lexicon.glossary.entities.size, tablesReady: service.hasTables() };
		void connection.sendNotification(indexStateNotification, indexState);
		if (indexState.state === 'ready') {
			// From the first complete index on, the heap is kept close to its live data (see heapGrowth.ts).
			useSteadyHeapGrowth();
			schedulePrepare();
		}
	}

	/** The preparation under way, a few milliseconds of it between other work (see `schedulePrepare`). */
	let preparation: Iterator<void> | undefined;
	let preparing: NodeJS.Immediate | undefined;
	/** When the preparation under way started, the time its steps took, and how many ran: for its log line. */
	let preparationStarted = 0;
	let preparationBusyMs = 0;
	let preparationSlices = 0;
	/** How long one step of the preparation may hold the thread before requests get their turn. */
	const preparationSliceMs = 8;

	/**
	 * Once the index settles: analyses the open documents nobody has asked about yet, then builds
	 * the corpus-wide tables a few milliseconds at a time, so the next question neither waits for
	 * them (it is answered as while indexing until they are complete) nor for one long pass.
	 * A newer call starts the preparation over.
	 */
	function schedulePrepare(): void {
		preparationStarted = performance.now();
		preparationBusyMs = 0;
		preparationSlices = 0;
		preparation = (function* () {
			// The keys of the documents the cache filed go into the postings first: every question reads them.
			if (index.hasUnposted) {
				index.post();
				yield;
			}
			for (const document of documents.all()) {
				currentAnalysis(document.uri);
				yield;
			}
			yield* service.preparation();
			// Every stored document's head for reference answers, in the table's order, before the tables are said to be ready.
			if (service.hasTables()) {
				const table = index.storedMentions();
				yield* locationHeads.steps(table.documents, table.ids);
			}
		})();
		const step = () => {
			preparing = undefined;
			const steps = preparation;
			const sliceStarted = performance.now();
			try {
				const until = sliceStarted + preparationSliceMs;
				do {
					if (!steps || steps.next().done) {
						if (preparation === steps) {
							preparation = undefined;
							preparationBusyMs += performance.now() - sliceStarted;
							// Only a preparation that built something takes more than one step.
							if (++preparationSlices > 1) connection.console.info(`Prepared the corpus tables in ${Math.round(performance.now() - preparationStarted)} ms (${Math.round(preparationBusyMs)} ms of work in ${preparationSlices} steps).`);
							if (!indexState.tablesReady && service.hasTables()) {
								indexState = { ...indexState, tablesReady: true };
								void connection.sendNotification(indexStateNotification, indexState);
							}
						}
						return;
					}
				} while (performance.now() < until);
				preparationBusyMs += performance.now() - sliceStarted;
				preparationSlices++;
			} catch (error) {
				preparation = undefined;
				connection.console.error(`Preparing the corpus tables failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
				return;
			}
			preparing = setImmediate(step);
		};
		preparing ??= setImmediate(step);
	}

	/** The glossary the workers last received, and its fingerprint for the index cache. */
	let poolLexicon: Lexicon | undefined;
	let lexiconFingerprint = '';

	/** Makes the workers and the cache follow the glossary in force; drops cache entries made with another one. */
	function syncGlossary(): Lexicon {
		const lexicon = glossaries.lexicon;
		if (poolLexicon !== lexicon) {
			poolLexicon = lexicon;
			pool.setGlossary(lexicon.glossary);
			const fingerprint = (glossaries.workspaceFiles().length === 0 && builtInFingerprint) || glossaryFingerprint(lexicon.glossary);
			if (fingerprint !== lexiconFingerprint && lexiconFingerprint !== '') cacheEntries.clear();
			lexiconFingerprint = fingerprint;
		}
		return lexicon;
	}

	/**
	 * The walk for the first index run, started as the initialize request is answered, with the
	 * settings known then; `key` says what it walked, and the start walks again if the settings
	 * read from the client and the project file change that.
	 */
	let firstWalk: { readonly key: string; readonly files: Promise<FoundFiles> } | undefined;

	/** What decides which files a walk finds. */
	function walkKey(): string {
		return JSON.stringify([workspaceFolders, settings.include, settings.exclude, settings.useBuiltInCorpus]);
	}

	/**
	 * With a cache filed (a warm start), the walk runs on this thread, at once: nothing is
	 * answered before the start's index run has taken its result anyway (see `currentAnalysis`),
	 * and a worker would first have to boot, which took the processor from this thread when it
	 * mattered most (a client asking for hovers in a loop, as the benchmark's does, takes the other
	 * core). Side by side, ten warm starts each way on 10,000 statements: 703 ms at the median
	 * instead of 759. Without a cache, a worker walks while questions are answered.
	 */
	function startFirstWalk(): void {
		if (firstWalk?.key === walkKey()) return;
		const files = cacheEntries.size > 0 ? walkHere() : findIndexedFiles();
		// Awaited by the index run; a failure is reported there, not as an unhandled rejection meanwhile.
		files.catch(() => undefined);
		firstWalk = { key: walkKey(), files };
	}

	/** `findIndexedFiles` on this thread, synchronously. */
	function walkHere(): Promise<FoundFiles> {
		try {
			const builtIn = settings.useBuiltInCorpus ? [statFiles(builtInDataFilesSync(runtime.dataDirectory).statements)] : [];
			return Promise.resolve(concatFoundFiles([...builtIn, ...workspaceFolders.map((folder) => findFilesWithStampsSync(folder, settings.include, settings.exclude))]));
		} catch (error) {
			return Promise.reject(error instanceof Error ? error : new Error(String(error)));
		}
	}

	/** The built-in statements (unless turned off) and the workspace files the globs take, with their stamps. */
	async function findIndexedFiles(): Promise<FoundFiles> {
		const folders = Promise.all(workspaceFolders.map((folder) => pool.findFiles(folder, settings.include, settings.exclude)));
		const builtIn = settings.useBuiltInCorpus ? [statFiles((await builtInDataFiles(runtime.dataDirectory)).statements)] : [];
		return concatFoundFiles([...builtIn, ...(await folders)]);
	}

	/**
	 * Reads the cache file once, as soon as the initialize request is answered (or at the first
	 * index run, if that comes first); later runs keep `cacheEntries` current. What it holds is
	 * filed at once, while the client sends its settings and the glossary loads, and before the
	 * walk over the folders says which files are still there and unchanged: the run that follows
	 * removes what is gone and analyses what changed. Until the glossary has loaded, which glossary
	 * the cache was made with is only noted (`cacheFingerprint`); the first index run compares.
	 */
	function loadCacheOnce(): void {
		if (cacheLoaded || !cacheFile) return;
		cacheLoaded = true;
		const started = performance.now();
		const loaded = loadIndexCache(cacheFile, lexiconFingerprint || undefined);
		if ('entries' in loaded) {
			cacheFingerprint = loaded.fingerprint;
			const stored: StoredAnalysis[] = [];
			for (const entry of loaded.entries) {
				const path = entry.path;
				if (cacheEntries.has(path)) continue;
				cacheEntries.set(path, entry);
				const document = entry.document;
				if (!documents.get(document.summary.uri)) stored.push((document.analysis ??= toStoredAnalysis(document)));
			}
			index.addStored(stored);
			connection.console.info(`Read the index cache ${cacheFile}: ${loaded.entries.length} files in ${Math.round(performance.now() - started)} ms.`);
		} else if ('discarded' in loaded) {
			logDiscardedCache(loaded.discarded);
		}
	}

	/** The fingerprint of the glossary the cache read at start was made with, until the first index run has compared it with the glossary in force. */
	let cacheFingerprint: string | undefined;

	function logDiscardedCache(reason: string): void {
		connection.console.warn(`Discarded the index cache ${cacheFile}: ${reason}. The index is built again from the files.`);
	}

	/** Drops what the start filed from a cache made with another glossary than the one that loaded. */
	function checkCacheFingerprint(): void {
		if (cacheFingerprint === undefined) return;
		const matches = cacheFingerprint === lexiconFingerprint;
		cacheFingerprint = undefined;
		if (matches) return;
		for (const entry of cacheEntries.values()) {
			const uri = entry.document.summary.uri;
			if (entry.document.analysis && index.get(uri) === entry.document.analysis) removeFromIndex(uri, 'the cache was made with another glossary');
		}
		cacheEntries.clear();
		logDiscardedCache(cacheFromAnotherGlossary);
	}

	/** Writes the cache now, or after the next change burst when `delayMs` is given; one write at a time. */
	/** The cache write under way, which shutdown waits for so that no half-written file is left. */
	let cacheWrite: Promise<unknown> = Promise.resolve();
	connection.onShutdown(async () => {
		await cacheWrite.catch(() => undefined);
		await pool.dispose();
		spool.dispose();
	});

	function scheduleCacheSave(delayMs = 0): void {
		if (!cacheFile || cacheSaving) return;
		cacheSaving = true;
		const target = cacheFile;
		const write = () => {
			const started = performance.now();
			// Records arriving during the write go to a new spool; the old one goes once the cache holds its records.
			const releaseSpool = spool.rotate();
			cacheWrite = saveIndexCache(target, lexiconFingerprint, cacheEntries.values()).then(
				(bytes) => {
					releaseSpool();
					cacheSaving = false;
					connection.console.info(`Wrote the index cache ${target}: ${cacheEntries.size} files, ${(bytes / 1048576).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms.`);
				},
				(error: unknown) => {
					cacheSaving = false;
					connection.console.warn(`Could not write the index cache ${target}: ${error instanceof Error ? error.message : String(error)}.`);
				},
			);
		};
		if (delayMs > 0) setTimeout(write, delayMs).unref();
		else write();
	}

	/** Puts one worker result into the index and the cache, unless the file is open (the editor's text wins). */
	function mergeIndexed(result: IndexedFile): void {
		if (result.kind === 'skipped') {
			cacheEntries.delete(result.path);
			if (!documents.get(result.uri)) removeFromIndex(result.uri, result.missing ? 'the file is gone' : `skipped: it ${result.reason}`);
			if (!result.missing) connection.console.warn(`Skipped ${result.path}: it ${result.reason}.`);
			return;
		}
		const entry = result.kind === 'analyzed'
			? { path: result.path, hash: result.hash, stamp: result.stamp, document: spool.store(result.packed) }
			: cacheEntries.get(result.path);
		if (!entry) return;
		cacheEntries.set(result.path, result.kind === 'analyzed' ? entry : { path: entry.path, hash: entry.hash, stamp: result.stamp, document: entry.document });
		if (!documents.get(entry.document.summary.uri)) setStored(entry.document);
	}

	/** The last few documents taken out of the index, and why: said in the log when go-to-definition finds less than expected. */
	const recentRemovals: string[] = [];

	/** Takes a document out of the index, noting why. */
	function removeFromIndex(uri: string, why: string): boolean {
		if (!index.delete(uri)) return false;
		recentRemovals.push(`${uri} (${why})`);
		if (recentRemovals.length > 5) recentRemovals.shift();
		return true;
	}

	/** Indexes a stored document, unless the index already holds that very one. */
	function setStored(document: StoredDocument): void {
		// The same analysis for the same document: a file closed unchanged takes back the stored document it shadowed.
		const analysis = (document.analysis ??= toStoredAnalysis(document));
		if (index.get(document.summary.uri) !== analysis) index.set(analysis);
	}

	/**
	 * Reads and analyses files in the workers, a few batches in flight at a time, merging each
	 * batch as it comes back. Returns false when a newer indexing run took over.
	 */
	async function analyzeFiles(files: readonly FileToIndex[], run: number, onBatch: (count: number) => void): Promise<boolean> {
		const lexicon = syncGlossary();
		const maximumBytes = settings.maxFileSizeMB * 1048576;
		let next = 0;
		const inFlight = Math.max(1, pool.workerCount * 3);
		const lane = async (): Promise<void> => {
			while (next < files.length && run === indexRun) {
				const batch = files.slice(next, next + indexBatchSize);
				next += batch.length;
				const results = await pool.analyze(batch, maximumBytes, lexicon);
				if (run !== indexRun) return;
				for (const result of results) mergeIndexed(result);
				onBatch(batch.length);
				// Let requests in between batches, also when the batch ran on this thread.
				await new Promise((resolveYield) => setImmediate(resolveYield));
			}
		};
		await Promise.all(Array.from({ length: inFlight }, lane));
		return run === indexRun;
	}

	/**
	 * Rebuilds the index from the built-in corpus, the workspace folders and the open documents.
	 * Files whose size and modification time match the cache are taken from it at once; the
	 * rest are analysed by the workers in batches, and requests are answered from what is
	 * indexed so far. A newer run supersedes an older one.
	 */
	async function reindex(filed?: () => void): Promise<void> {
		const run = ++indexRun;
		let progress: WorkDoneProgressServerReporter | undefined;
		try {
			const started = performance.now();
			syncGlossary();
			// The folders are walked in a worker while this thread reads the cache and files what it
			// holds, synchronously and before anything is awaited, so no request (a hover on a long
			// draft, say) is worked out before the cache is filed.
			const finding = firstWalk?.files ?? findIndexedFiles();
			firstWalk = undefined;
			loadCacheOnce();
			checkCacheFingerprint();
			// Nothing cached (a first start): the index is far from complete, so questions go on now.
			if (cacheEntries.size === 0) filed?.();
			// Awaited, not only for the progress: the client answers after the messages it sent before
			// (on a warm start, the didOpen of the documents it restores, a megabyte each for a long
			// draft, which come in 64 KB reads), so the run below sees those documents open. Without
			// the wait, about one warm start in three took the open draft, not yet read, for a file
			// missing from the cache, and analysed it again: ready at 1.1 s instead of 0.45.
			if (supportsProgress) {
				progress = await connection.window.createWorkDoneProgress();
				progress.begin('Policy Lens', 0, 'Finding statements', false);
			}
			const found = await finding;
			if (run !== indexRun) return;
			// Each found file's cache entry, looked up once, and its URI: a cached file's is the one
			// made from its path when it was indexed. A URI found twice counts once.
			const positions: number[] = [];
			const uris: string[] = [];
			const entries: Array<CacheEntry | undefined> = [];
			const wanted = new Set<string>();
			let entriesFound = 0;
			for (let position = 0; position < found.paths.length; position++) {
				const path = found.paths[position]!;
				const entry = cacheEntries.get(path);
				const uri = entry ? entry.document.summary.uri : URI.file(path).toString();
				if (wanted.has(uri)) continue;
				wanted.add(uri);
				positions.push(position);
				uris.push(uri);
				entries.push(entry);
				if (entry) entriesFound++;
			}
			// Documents no longer found go. When the index holds the cache's entries and nothing else,
			// and every entry was found (a warm start with nothing deleted), there are none to look for.
			if (!(entriesFound === cacheEntries.size && index.size === cacheEntries.size)) {
				for (const document of [...index.all()]) {
					if (!wanted.has(document.uri) && !documents.get(document.uri)) removeFromIndex(document.uri, 'not found by the index run');
				}
			}
			// Cache entries of paths no longer found go (none, when every entry was found).
			if (entriesFound < cacheEntries.size) {
				const foundPaths = new Set(positions.map((position) => found.paths[position]!));
				for (const path of [...cacheEntries.keys()]) if (!foundPaths.has(path)) cacheEntries.delete(path);
			}
			// Unchanged files come from the cache; the others go to the workers. Open documents are
			// analysed when first asked about, or once the index is ready (see `schedulePrepare`).
			const toAnalyze: FileToIndex[] = [];
			let done = 0;
			for (let wantedAt = 0; wantedAt < positions.length; wantedAt++) {
				const position = positions[wantedAt]!;
				const path = found.paths[position]!;
				const uri = uris[wantedAt]!;
				const entry = entries[wantedAt];
				if (documents.get(uri)) done++;
				else if (entry && sameStamp(entry.stamp, found.sizes[position]!, found.mtimes[position]!) && entry.document.summary.uri === uri) {
					setStored(entry.document);
					done++;
				} else toAnalyze.push({ path, uri, ...(entry ? { knownHash: entry.hash } : {}) });
			}
			const total = positions.length;
			const report = () => {
				progress?.report(total ? Math.round((done / total) * 100) : 100, `Indexing ${formatCount(done)} / ${formatCount(total)} files`);
				sendIndexState({ state: 'indexing', done, total });
			};
			report();
			// With files to analyse, questions are answered from what is indexed meanwhile; with
			// none (a warm start), the index is complete at the next step.
			if (toAnalyze.length > 0) filed?.();
			const completed = await analyzeFiles(toAnalyze, run, (count) => {
				done += count;
				report();
			});
			if (!completed) return;
			sendIndexState({ state: 'ready', done: total, total });
			// Idle workers hold their heaps; the next batch (a changed file, a checkout) starts them again.
			void pool.releaseIdle();
			filed?.();
			refreshDiagnostics();
			const reused = total - toAnalyze.length;
			connection.console.info(`Indexed ${index.size} documents (${index.statementCount} statements) with ${glossaries.lexicon.glossary.entities.size} glossary entities in ${Math.round(performance.now() - started)} ms: ${toAnalyze.length} read and analysed${cacheFile ? `, ${reused} from the cache` : ''}${pool.workerCount ? ` (${pool.workerCount} workers)` : ''}.`);
			// After a moment: the ready notification and the first questions go before the write.
			if (toAnalyze.length > 0) scheduleCacheSave(cacheSaveDelayMs);
		} catch (error) {
			connection.console.error(`Indexing failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		} finally {
			// Also when the run failed or a newer one took over before it filed anything.
			filed?.();
			progress?.done();
		}
	}

	/** Open documents' analyses, kept up to date edit by edit: an edit re-reads only the text around it. */
	const openAnalyses = new Map<string, IncrementalAnalysis>();

	function analyzeOpenDocument(document: TextDocument): DocumentAnalysis {
		const lexicon = glossaries.lexicon;
		let incremental = openAnalyses.get(document.uri);
		if (!incremental) openAnalyses.set(document.uri, (incremental = new IncrementalAnalysis(document.uri)));
		const analysis = incremental.analyze(document.getText(), lexicon, document.version);
		analysedWith.set(analysis, lexicon);
		index.set(analysis);
		return analysis;
	}

	/**
	 * The analysis of a document at its current version, computing it if the last one is stale.
	 * Until `answering`, an open document has none: before the glossary has loaded no name is
	 * known, and until the start's index run has taken the walk's result its analysis would only
	 * hold that run back (a long draft's takes a few hundred milliseconds).
	 */
	function currentAnalysis(uri: string): DocumentAnalysis | undefined {
		const document = documents.get(uri);
		const analysis = index.get(uri);
		if (!document) return analysis;
		if (!answering) return undefined;
		if (analysis && analysis.version === document.version && analysedWith.get(analysis) === glossaries.lexicon) return analysis;
		return analyzeOpenDocument(document);
	}

	documents.onDidOpen(({ document }) => {
		if (isGlossaryFile(document.uri)) void reloadGlossary(document.uri);
		// Not analysed here: the first question about it does that, or the index becoming ready
		// (`schedulePrepare`), so that opening a long draft never holds up indexing or other answers.
		// Nor are the corpus tables rebuilt here: in a large corpus that takes seconds, for each file opened.
		justOpened.add(document.uri);
	});

	/** Documents whose opening has not yet been followed by its content event (which the opening also fires). */
	const justOpened = new Set<string>();

	documents.onDidChangeContent(({ document }) => {
		if (isGlossaryFile(document.uri)) {
			scheduleGlossaryReload(document.uri);
			return;
		}
		if (justOpened.delete(document.uri)) return;
		// Keep other documents' references fresh without analysing on every keystroke.
		clearTimeout(pendingAnalyses.get(document.uri));
		pendingAnalyses.set(document.uri, setTimeout(() => {
			pendingAnalyses.delete(document.uri);
			currentAnalysis(document.uri);
		}, 150));
	});

	documents.onDidClose(({ document }) => {
		justOpened.delete(document.uri);
		clearTimeout(pendingAnalyses.get(document.uri));
		pendingAnalyses.delete(document.uri);
		// The unsaved text is gone at once. An indexed file's stored document (the file as last
		// indexed) comes back at once, with no moment when the index lacks the file; the file is
		// then read again from disk, in case it was saved since. Any other document goes.
		const uri = URI.parse(document.uri);
		const indexed = uri.scheme === 'file' && isIndexedPath(uri.fsPath);
		const stored = indexed ? cacheEntries.get(uri.fsPath)?.document : undefined;
		if (stored && stored.summary.uri === document.uri) setStored(stored);
		else removeFromIndex(document.uri, 'closed; read again from disk');
		if (indexed) {
			const knownHash = cacheEntries.get(uri.fsPath)?.hash;
			void analyzeFiles([{ path: uri.fsPath, uri: document.uri, ...(knownHash ? { knownHash } : {}) }], indexRun, () => undefined).then(() => sendIndexState({}));
		}
		if (isGlossaryFile(document.uri)) void reloadGlossary(document.uri);
	});

	let glossaryTimer: NodeJS.Timeout | undefined;
	function scheduleGlossaryReload(uri: string): void {
		clearTimeout(glossaryTimer);
		glossaryTimer = setTimeout(() => void reloadGlossary(uri), 300);
	}

	async function reloadGlossary(uri: string): Promise<void> {
		if (await loadWorkspaceGlossary(uri)) void reindex();
	}

	connection.onDidChangeWatchedFiles(async ({ changes }) => {
		let touched = false;
		const changed = new Map<string, string>();
		for (const change of changes) {
			const uri = URI.parse(change.uri);
			if (uri.scheme !== 'file') continue;
			if (workspaceFolders[0] && uri.fsPath === join(workspaceFolders[0], projectConfigFileName)) {
				await loadSettings();
				await loadWorkspaceGlossaries();
				checkCache.clear();
				void reindex();
				continue;
			}
			if (isGlossaryFile(change.uri)) {
				if (!documents.get(change.uri)) await reloadGlossary(change.uri);
				continue;
			}
			if (!matchesWorkspaceGlobs(uri.fsPath) || documents.get(change.uri)) continue;
			if (change.type === FileChangeType.Deleted) {
				if (removeFromIndex(change.uri, 'deleted on disk')) touched = true;
				cacheEntries.delete(uri.fsPath);
			} else changed.set(uri.fsPath, change.uri);
		}
		// A checkout creates and changes thousands of files at once: one pass through the workers.
		const files = [...changed].map(([path, uri]): FileToIndex => {
			const knownHash = cacheEntries.get(path)?.hash;
			return { path, uri, ...(knownHash ? { knownHash } : {}) };
		});
		if (files.length) {
			touched = true;
			watchedChangesInFlight++;
			// A checkout's thousands of files show as indexing, with counts, like a start does.
			let done = 0;
			sendIndexState({ state: 'indexing', done, total: files.length });
			try {
				await analyzeFiles(files, indexRun, (count) => {
					done += count;
					sendIndexState({ state: 'indexing', done, total: files.length });
				});
			} finally {
				watchedChangesInFlight--;
			}
			if (watchedChangesInFlight === 0) {
				void pool.releaseIdle();
				sendIndexState({ state: 'ready', done: files.length, total: files.length });
			}
			scheduleCacheSave(cacheSaveDelayMs);
		} else if (touched) scheduleCacheSave(cacheSaveDelayMs);
		if (touched) sendIndexState({});
	});

	/**
	 * Runs a request handler: cancellation becomes `RequestCancelled`, and a thrown error is
	 * logged and answered with an empty result, so one bad request never takes the server down.
	 */
	function handle<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R) {
		return (params: P, token: CancellationToken): R | ResponseError<void> => {
			if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
			const started = performance.now();
			try {
				return handler(params, token);
			} catch (error) {
				connection.console.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
				return empty;
			} finally {
				timings.record(name, performance.now() - started);
			}
		};
	}

	/**
	 * `handle`, for a question about a document, that waits until the start's index run lets
	 * questions be answered (`answeringStarted`) when it comes earlier about an open document, which
	 * has no analysis until then (see `currentAnalysis`), rather than answering it empty. On a warm
	 * start that is a fraction of a second; an editor then shows the hover the user asked for, and
	 * the semantic tokens it asks for as it restores its documents, which it would otherwise take
	 * as final until the next edit. A document changed meanwhile gets `ContentModified`, as an
	 * answer for its older version would be wrong; its time is recorded from the wait's end.
	 */
	function handleAnswering<P extends { textDocument: { uri: string } }, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R) {
		const handled = handle(name, empty, handler);
		return (params: P, token: CancellationToken): R | ResponseError<void> | Promise<R | ResponseError<void>> => {
			const uri = params.textDocument.uri;
			const version = documents.get(uri)?.version;
			if (answering || version === undefined) return handled(params, token);
			return answeringStarted.then(() => {
				if (documents.get(uri)?.version !== version) return new ResponseError(LSPErrorCodes.ContentModified, 'The document changed while the question waited for the start to finish.');
				return handled(params, token);
			});
		};
	}

	connection.onRequest(serverTimingsRequest, (): ServerTimings => timings.take());

	function offsetOf(uri: string, position: { line: number; character: number }): number | undefined {
		return documents.get(uri)?.offsetAt(position);
	}

	function lineStartsOf(uri: string): readonly number[] | undefined {
		return index.get(uri)?.lineStarts ?? glossaryLineStarts.get(uri);
	}

	connection.onHover(handleAnswering('hover', null, ({ textDocument, position }) => {
		const analysis = currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (!analysis || offset === undefined) return null;
		const hover = service.getHover(textDocument.uri, offset);
		if (!hover) return null;
		return { contents: { kind: 'markdown' as const, value: hover.markdown }, range: rangeOf(analysis.lineStarts, hover.span) };
	}));

	connection.onDefinition(handleAnswering('definition', null, ({ textDocument, position }): Definition | LocationLink[] | null => {
		const analysis = currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (!analysis || offset === undefined) return null;
		const targets = service.getDefinition(textDocument.uri, offset).filter((target) => lineStartsOf(target.uri));
		if (targets.length === 0) return null;
		// Said in the log, so that a user (or a test) who expected a statement can see what the index held.
		if (targets.every((target) => target.reason === 'glossary') && index.size > 1) {
			const origin = targets[0]!.originSpan;
			const removed = recentRemovals.length ? ` Documents last taken out of it: ${recentRemovals.join('; ')}.` : '';
			connection.console.info(`Go to definition on "${documents.get(textDocument.uri)?.getText().slice(origin.start, origin.end) ?? ''}" in ${textDocument.uri}: no other document defines or mentions it, so its glossary entry is the target (the index holds ${index.size} documents, ${index.statementCount} statements, and is ${indexState.state}).${removed}`);
		}
		if (supportsLinks) return targets.map((target) => toLocationLink(analysis.lineStarts, target));
		return targets.map((target) => ({ uri: target.uri, range: rangeOf(lineStartsOf(target.uri)!, target.selectionSpan) }));
	}));

	function toLocationLink(originLineStarts: readonly number[], target: DefinitionTarget): LocationLink {
		const lineStarts = lineStartsOf(target.uri)!;
		return {
			originSelectionRange: rangeOf(originLineStarts, target.originSpan),
			targetUri: target.uri,
			targetRange: rangeOf(lineStarts, target.span),
			targetSelectionRange: rangeOf(lineStarts, target.selectionSpan),
		};
	}

	connection.onReferences(handleAnswering('references', null, ({ textDocument, position }) => {
		currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (offset === undefined) return null;
		// Locations made straight from the mentions: a common name has tens of thousands. Where the
		// writer takes JSON made beforehand, they are written as JSON bytes, with no object or string each.
		if (runtime.prebuiltJson) {
			const json = JsonBytes.acquire();
			service.forEachReference(textDocument.uri, offset, (run) => writeLocationsJson(json, locationHeads, run));
			return prebuiltArray<Location>(json);
		}
		const locations: Location[] = [];
		service.forEachReference(textDocument.uri, offset, ({ document, lineStarts, lineFrom, lineTo, spans, from, to, stride }) => {
			// The document's line starts where they lie, without a copy: offsets from `lineFrom`.
			const own = lineStarts.subarray(lineFrom, lineTo);
			for (let at = from; at < to; at += stride) locations.push({ uri: document.uri, range: rangeOf(own, { start: spans[at]!, end: spans[at + 1]! }) });
		});
		return locations;
	}));

	connection.onDocumentSymbol(handleAnswering('documentSymbol', null, ({ textDocument }): DocumentSymbol[] | null => {
		const analysis = currentAnalysis(textDocument.uri);
		if (!analysis) return null;
		return service.getDocumentSymbols(textDocument.uri).map((symbol) => ({
			name: symbol.name,
			detail: symbol.detail,
			kind: symbol.kind === 'field' ? SymbolKind.Field : SymbolKind.String,
			range: rangeOf(analysis.lineStarts, symbol.span),
			selectionRange: rangeOf(analysis.lineStarts, symbol.selectionSpan),
		}));
	}));

	connection.languages.semanticTokens.on(handleAnswering('semanticTokens', { data: [] }, ({ textDocument }) => {
		const analysis = currentAnalysis(textDocument.uri);
		if (!analysis) return { data: [] };
		const builder = new SemanticTokensBuilder();
		for (const token of service.getSemanticTokens(textDocument.uri)) {
			const type = semanticTokenTypes.indexOf(token.type);
			const modifiers = token.modifiers.reduce((bits, modifier) => bits | (1 << semanticTokenModifiers.indexOf(modifier)), 0);
			// A token may not cross a line: a name broken across lines becomes one token per line.
			const { start, end } = rangeOf(analysis.lineStarts, token.span);
			for (let line = start.line; line <= end.line; line++) {
				const from = line === start.line ? start.character : 0;
				const to = line === end.line ? end.character : analysis.lineStarts[line + 1]! - analysis.lineStarts[line]! - 1;
				if (to > from) builder.push(line, from, to - from, type, modifiers);
			}
		}
		return builder.build();
	}));

	connection.onWorkspaceSymbol(handle('workspaceSymbol', null, ({ query }): SymbolInformation[] => {
		return service.getWorkspaceSymbols(query).flatMap((symbol) => {
			const lineStarts = lineStartsOf(symbol.uri);
			if (!lineStarts) return [];
			return [{ name: symbol.name, kind: symbolKindOf(symbol.entityKind), containerName: symbol.containerName, location: { uri: symbol.uri, range: rangeOf(lineStarts, symbol.span) } }];
		});
	}));

	function formatOf(analysis: DocumentAnalysis, languageId: string | undefined): DocumentFormat {
		if (analysis.parsed.isStatement) return 'statement';
		if (languageId === 'markdown' || /\.(md|markdown)$/i.test(analysis.uri)) return 'markdown';
		return 'plaintext';
	}

	/** Runs the checks on one document's text; statements only when the settings ask for it. */
	function checkText(text: string, analysis: DocumentAnalysis, format: DocumentFormat, incremental?: IncrementalAnalysis): CheckResult | undefined {
		if (format === 'statement' && !settings.checkStatements) return undefined;
		const context = { lexicon: glossaries.lexicon, resolver, options: checkOptionsOf(settings, runtime.today()), resolution: index.resolutionGeneration };
		return incremental ? incremental.check(text, analysis, format, context) : checkDocument(text, analysis, format, context);
	}

	function checkOpenDocument(uri: string): { result: CheckResult; analysis: DocumentAnalysis } | undefined {
		const document = documents.get(uri);
		if (!document || isGlossaryFile(uri)) return undefined;
		const analysis = currentAnalysis(uri)!;
		const cached = checkCache.get(uri);
		if (cached && cached.version === document.version && cached.generation === index.generation) return { result: cached.result, analysis };
		const result = checkText(document.getText(), analysis, formatOf(analysis, document.languageId), openAnalyses.get(uri));
		if (!result) return undefined;
		checkCache.set(uri, { version: document.version, generation: index.generation, result });
		return { result, analysis };
	}

	/** Open documents' diagnostics, kept from one version to the next, and the number of their last distinct answer. */
	const openDiagnostics = new Map<string, { readonly cache: DiagnosticCache; answer: number }>();
	/** Tells this server's result ids from those of an earlier one that a client may still hold. */
	const resultIdPrefix = `${process.pid.toString(36)}.${Date.now().toString(36)}.`;

	/** An open document's diagnostics and the id of their content: it changes exactly when they do. */
	function diagnosticsOf(uri: string): { converted: ConvertedDiagnostics; resultId: string } | undefined {
		if (!documents.get(uri)) return undefined;
		const checked = checkOpenDocument(uri);
		let state = openDiagnostics.get(uri);
		if (!state) openDiagnostics.set(uri, (state = { cache: new DiagnosticCache(), answer: 0 }));
		const converted = state.cache.convert(checked?.result ?? { findings: [], directiveProblems: [] }, checked?.analysis.lineStarts ?? [0], checked && findingsMoveOf(checked.result));
		if (!converted.same || state.answer === 0) state.answer++;
		return { converted, resultId: `${resultIdPrefix}${state.answer}` };
	}

	/** Push mode only (clients without pull diagnostics): debounced, so typing stays fluid. */
	function schedulePush(uri: string): void {
		if (supportsPullDiagnostics) return;
		clearTimeout(pendingChecks.get(uri));
		pendingChecks.set(uri, setTimeout(() => {
			pendingChecks.delete(uri);
			const document = documents.get(uri);
			if (!document) return;
			try {
				void connection.sendDiagnostics({ uri, version: document.version, diagnostics: diagnosticsOf(uri)?.converted.diagnostics ?? [] });
			} catch (error) {
				connection.console.error(`Checking ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
			}
		}, 200));
	}

	/** After the corpus, the glossary or the settings change, findings may change in every open draft. */
	function refreshDiagnostics(): void {
		checkCache.clear();
		if (supportsPullDiagnostics) {
			if (supportsDiagnosticRefresh) void connection.languages.diagnostics.refresh();
		} else {
			for (const document of documents.all()) schedulePush(document.uri);
		}
	}

	documents.onDidOpen(({ document }) => schedulePush(document.uri));
	documents.onDidChangeContent(({ document }) => schedulePush(document.uri));
	documents.onDidClose(({ document }) => {
		checkCache.delete(document.uri);
		openDiagnostics.delete(document.uri);
		openAnalyses.delete(document.uri);
		if (!supportsPullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
	});

	connection.languages.diagnostics.on(async (params, token) => {
		const askedFor = documents.get(params.textDocument.uri)?.version;
		await answeringStarted;
		if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.', { retriggerRequest: true });
		// The text changed while the request waited: its answer would be for an older version, so the client is asked to pull again.
		if (documents.get(params.textDocument.uri)?.version !== askedFor) return new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed; pull its diagnostics again.', { retriggerRequest: true });
		const started = performance.now();
		try {
			const diagnostics = diagnosticsOf(params.textDocument.uri);
			if (!diagnostics) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
			const { converted, resultId } = diagnostics;
			// The client still shows this very answer (VS Code says which it holds): nothing to send.
			if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
			// Over stdio, the diagnostics' JSON is kept from one version to the next (see messageWriter.ts).
			return serializeWithItems({ kind: DocumentDiagnosticReportKind.Full, resultId, items: converted.diagnostics }, 'items', converted.json);
		} catch (error) {
			connection.console.error(`diagnostic failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
			return { kind: DocumentDiagnosticReportKind.Full, items: [] };
		} finally {
			timings.record('diagnostic', performance.now() - started);
		}
	});

	connection.onCodeAction(handleAnswering('codeAction', null, ({ textDocument, range, context }): CodeAction[] | null => {
		const checked = checkOpenDocument(textDocument.uri);
		if (!checked) return null;
		return toCodeActions(textDocument.uri, checked.result.findings, range, checked.analysis.lineStarts, context.diagnostics);
	}));

	connection.onExecuteCommand(async ({ command, arguments: args = [] }, token) => {
		try {
			switch (command) {
				case serverCommands.addToGlossary:
					return await addToWorkspaceGlossary(String(args[0]), String(args[1]));
				case serverCommands.abbreviationTable:
					return await abbreviationTable(String(args[0]));
				case serverCommands.checkWorkspace:
					return await checkWorkspace(token);
				default:
					return null;
			}
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			connection.console.error(`${command} failed: ${message}`);
			void connection.window.showErrorMessage(`Policy Lens: ${message}`);
			return null;
		}
	});

	async function addToWorkspaceGlossary(acronym: string, foundIn: string): Promise<string> {
		const target = glossaryPaths()[0];
		if (!target) throw new Error('No workspace glossary is configured; set policyLens.glossaryFiles or glossaryFiles in policy-lens.config.json.');
		const id = await addAcronymToGlossary(target, acronym, URI.parse(foundIn).fsPath);
		connection.console.info(`Added ${acronym} to ${target} as ${id}.`);
		await reloadGlossary(URI.file(target).toString());
		return id;
	}

	/** The text of a document: the editor's, else the file on disk. */
	async function textOf(uri: string): Promise<string | undefined> {
		const open = documents.get(uri);
		if (open) return open.getText();
		const result = await readTextFile(URI.parse(uri).fsPath, settings.maxFileSizeMB * 1048576);
		return 'text' in result ? result.text : undefined;
	}

	async function abbreviationTable(uri: string): Promise<string> {
		const text = await textOf(uri);
		if (text === undefined) throw new Error(`${uri} could not be read.`);
		const analysis = documents.get(uri) ? currentAnalysis(uri)! : analyzeDocument(uri, text, glossaries.lexicon);
		const excluded = formatOf(analysis, documents.get(uri)?.languageId) === 'markdown' ? analyzeMarkdown(text).excluded : [];
		return formatAbbreviationTable(analysis.title, listAbbreviations(text, analysis, resolver, excluded));
	}

	/** Checks every draft in the workspace (and statements when the settings ask) and pushes the findings. */
	/**
	 * Checks every workspace file, publishing each one's findings. It reads a file between
	 * checks, so a cancellation is seen before the next file and the rest are left unchecked.
	 */
	async function checkWorkspace(token: CancellationToken): Promise<CheckWorkspaceResult | ResponseError<void>> {
		let files = 0;
		let findings = 0;
		const builtIn = join(runtime.dataDirectory, 'statements') + '/';
		const analyses = [...index.all()];
		for (const [position, analysis] of analyses.entries()) {
			if (token.isCancellationRequested) {
				connection.console.info(`Check Workspace was cancelled after ${position} of ${analyses.length} documents.`);
				return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
			}
			const path = URI.parse(analysis.uri).fsPath;
			if (path.startsWith(builtIn) || documents.get(analysis.uri)) continue;
			const text = await textOf(analysis.uri);
			if (text === undefined) continue;
			const result = checkText(text, analysis, formatOf(analysis, undefined));
			if (!result) continue;
			files++;
			findings += result.findings.length;
			void connection.sendDiagnostics({ uri: analysis.uri, diagnostics: result.findings.map((finding) => toDiagnostic(finding, analysis.lineStarts)) });
		}
		for (const document of documents.all()) {
			const checked = checkOpenDocument(document.uri);
			if (!checked) continue;
			files++;
			findings += checked.result.findings.length;
		}
		refreshDiagnostics();
		return { files, findings };
	}

	documents.listen(connection);
	connection.listen();
}

function symbolKindOf(entityKind: string): SymbolKind {
	switch (entityKind) {
		case 'treaty':
		case 'agreement':
		case 'document':
			return SymbolKind.File;
		case 'program':
		case 'mission':
		case 'spacecraft':
		case 'system':
		case 'facility':
			return SymbolKind.Object;
		case 'initiative':
		case 'strategy':
		case 'concept':
		case 'term':
			return SymbolKind.Constant;
		default:
			return SymbolKind.Module;
	}
}

/** A count with thousands separators ("10,001"); `toLocaleString` would load the locale data on the first progress report. */
function formatCount(count: number): string {
	return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Whether a cache entry's stamp (made afresh by each read of a cached entry's) is the one the walk found. */
function sameStamp(stamp: FileStamp, size: number, mtimeMs: number): boolean {
	return stamp.size === size && stamp.mtimeMs === mtimeMs;
}
