// The LSP layer: wires the pure core (server/src/core) to a connection. It owns the open
// documents, the settings, the file system and the indexing schedule; every answer comes from
// the core's language service.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import {
	CancellationToken, CodeActionKind, SemanticTokensBuilder, DiagnosticSeverity, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind,
	FileChangeType, LSPErrorCodes, ResponseError, SymbolKind, TextDocumentSyncKind, TextDocuments,
	type CodeAction, type Connection, type Definition, type Diagnostic, type DocumentSymbol, type InitializeParams,
	type InitializeResult, type LocationLink, type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyzeDocument, computeLineStarts, type DocumentAnalysis } from '../core/analysis';
import { CorpusIndex } from '../core/corpusIndex';
import { GlossarySet } from '../core/glossarySet';
import { listAbbreviations, formatAbbreviationTable } from '../core/abbreviations';
import { checkDocument, type CheckResult, type DocumentFormat } from '../core/checks';
import { parseProjectConfig, projectConfigFileName, type ProjectConfig } from '../core/config';
import type { DataProblem } from '../core/dataFile';
import { analyzeMarkdown } from '../core/markdown';
import { createResolver } from '../core/resolver';
import { createLanguageService, semanticTokenModifiers, semanticTokenTypes, type DefinitionTarget } from '../core/service';
import { builtInDataFiles, findFiles, readTextFile } from '../node/files';
import {
	defaultSettings, indexStateNotification, serverCommands, type CheckWorkspaceResult, type IndexState, type Settings,
} from '../protocol';
import { addAcronymToGlossary, directiveDiagnostic, toCodeActions, toDiagnostic } from './checking';
import { rangeOf } from './convert';
import { applyProjectConfig, checkOptionsOf, mergeSettings } from './settings';

export interface ServerRuntime {
	/** The folder holding the built-in `glossary/` and `statements/`. */
	readonly dataDirectory: string;
	/** Today's date as ISO 8601, for judging names in drafts that give no date. */
	readonly today: () => string;
}

/** How many files are read and analysed between two yields to the event loop while indexing. */
const indexBatchSize = 25;

export function startServer(connection: Connection, runtime: ServerRuntime): void {
	const documents = new TextDocuments(TextDocument);
	const index = new CorpusIndex();
	const glossaries = new GlossarySet();
	const service = createLanguageService({ getLexicon: () => glossaries.lexicon, index });
	const resolver = createResolver(() => glossaries.lexicon, index);
	/** Check results of open documents, keyed by URI, valid for one document version and index generation. */
	const checkCache = new Map<string, { version: number; generation: number; result: CheckResult }>();
	const pendingChecks = new Map<string, NodeJS.Timeout>();
	/** Line starts of glossary files, so glossary entries can be go-to-definition targets. */
	const glossaryLineStarts = new Map<string, readonly number[]>();
	const fileProblems = new Map<string, readonly DataProblem[]>();

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
	let indexState: IndexState = { state: 'indexing', statements: 0, documents: 0, entities: 0, done: 0, total: 0 };
	const pendingAnalyses = new Map<string, NodeJS.Timeout>();
	/** The lexicon each open document was analysed with: a reloaded glossary makes the analysis stale. */
	const analysedWith = new WeakMap<DocumentAnalysis, object>();
	/** Diagnostics wait for the glossary: findings computed without it would call every acronym unknown. */
	let markGlossaryLoaded: () => void = () => undefined;
	const glossaryLoaded = new Promise<void>((resolve) => (markGlossaryLoaded = resolve));

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		const capabilities = params.capabilities;
		supportsConfiguration = capabilities.workspace?.configuration === true;
		supportsLinks = capabilities.textDocument?.definition?.linkSupport === true;
		supportsWatchRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
		supportsProgress = capabilities.window?.workDoneProgress === true;
		supportsPullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
		supportsDiagnosticRefresh = capabilities.workspace?.diagnostics?.refreshSupport === true;
		const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
		workspaceFolders = folders.map((uri) => URI.parse(uri)).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
		editorSettings = mergeSettings((params.initializationOptions as { settings?: Partial<Settings> } | undefined)?.settings);
		settings = editorSettings;
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

	connection.onInitialized(async () => {
		if (supportsWatchRegistration) {
			await connection.client.register(DidChangeWatchedFilesNotification.type, {
				watchers: [{ globPattern: '**/*.{txt,md,markdown,yaml,yml,json}' }],
			});
		}
		await loadSettings();
		await loadBuiltInGlossary();
		await loadWorkspaceGlossaries();
		markGlossaryLoaded();
		void reindex();
	});

	connection.onDidChangeConfiguration(async () => {
		await loadSettings();
		await loadWorkspaceGlossaries();
		checkCache.clear();
		void reindex();
	});

	async function loadSettings(): Promise<void> {
		if (supportsConfiguration) {
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
		for (const path of (await builtInDataFiles(runtime.dataDirectory)).glossaries) {
			const text = await readFile(path, 'utf8');
			const uri = URI.file(path).toString();
			glossaryLineStarts.set(uri, computeLineStarts(text));
			for (const problem of glossaries.addBuiltIn(uri, text)) connection.console.error(`Built-in glossary ${path}: ${problem.message}`);
		}
	}

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
		indexState = { ...indexState, ...update, statements: index.statementCount, documents: index.size, entities: glossaries.lexicon.glossary.entities.size };
		void connection.sendNotification(indexStateNotification, indexState);
	}

	/** Reads one file from disk into the index, unless it is open (the editor's text wins). */
	async function indexFile(path: string): Promise<void> {
		const uri = URI.file(path).toString();
		if (documents.get(uri)) return;
		const result = await readTextFile(path, settings.maxFileSizeMB * 1048576);
		if ('text' in result) index.set(analyzeDocument(uri, result.text, glossaries.lexicon));
		else {
			index.delete(uri);
			if (!result.missing) connection.console.warn(`Skipped ${path}: it ${result.skipped}.`);
		}
	}

	/**
	 * Rebuilds the index from the built-in corpus, the workspace folders and the open documents,
	 * in batches that yield to the event loop so requests are answered from what is indexed so
	 * far. A newer run supersedes an older one.
	 */
	async function reindex(): Promise<void> {
		const run = ++indexRun;
		let progress: WorkDoneProgressServerReporter | undefined;
		try {
			if (supportsProgress) {
				progress = await connection.window.createWorkDoneProgress();
				progress.begin('Policy Lens', 0, 'Finding statements', false);
			}
			const paths: string[] = [];
			if (settings.useBuiltInCorpus) paths.push(...(await builtInDataFiles(runtime.dataDirectory)).statements);
			for (const folder of workspaceFolders) paths.push(...(await findFiles(folder, settings.include, settings.exclude)).sort());
			if (run !== indexRun) return;
			const wanted = new Set(paths.map((path) => URI.file(path).toString()));
			for (const document of [...index.all()]) {
				if (!wanted.has(document.uri) && !documents.get(document.uri)) index.delete(document.uri);
			}
			for (const document of documents.all()) analyzeOpenDocument(document);
			sendIndexState({ state: 'indexing', done: 0, total: paths.length });
			for (let start = 0; start < paths.length; start += indexBatchSize) {
				await Promise.all(paths.slice(start, start + indexBatchSize).map(indexFile));
				if (run !== indexRun) return;
				const done = Math.min(paths.length, start + indexBatchSize);
				progress?.report(Math.round((done / paths.length) * 100), `Indexing ${done.toLocaleString('en-US')} / ${paths.length.toLocaleString('en-US')} files`);
				sendIndexState({ state: 'indexing', done, total: paths.length });
				await new Promise((resolveYield) => setImmediate(resolveYield));
			}
			sendIndexState({ state: 'ready', done: paths.length, total: paths.length });
			refreshDiagnostics();
			connection.console.info(`Indexed ${index.size} documents (${index.statementCount} statements) with ${glossaries.lexicon.glossary.entities.size} glossary entities.`);
		} catch (error) {
			connection.console.error(`Indexing failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		} finally {
			progress?.done();
		}
	}

	function analyzeOpenDocument(document: TextDocument): DocumentAnalysis {
		const lexicon = glossaries.lexicon;
		const analysis = analyzeDocument(document.uri, document.getText(), lexicon, document.version);
		analysedWith.set(analysis, lexicon);
		index.set(analysis);
		return analysis;
	}

	/** The analysis of a document at its current version, computing it if the last one is stale. */
	function currentAnalysis(uri: string): DocumentAnalysis | undefined {
		const document = documents.get(uri);
		const analysis = index.get(uri);
		if (!document) return analysis;
		if (analysis && analysis.version === document.version && analysedWith.get(analysis) === glossaries.lexicon) return analysis;
		return analyzeOpenDocument(document);
	}

	documents.onDidOpen(({ document }) => {
		if (isGlossaryFile(document.uri)) void reloadGlossary(document.uri);
		analyzeOpenDocument(document);
	});

	documents.onDidChangeContent(({ document }) => {
		if (isGlossaryFile(document.uri)) {
			scheduleGlossaryReload(document.uri);
			return;
		}
		// Keep other documents' references fresh without analysing on every keystroke.
		clearTimeout(pendingAnalyses.get(document.uri));
		pendingAnalyses.set(document.uri, setTimeout(() => {
			pendingAnalyses.delete(document.uri);
			currentAnalysis(document.uri);
		}, 150));
	});

	documents.onDidClose(({ document }) => {
		clearTimeout(pendingAnalyses.get(document.uri));
		pendingAnalyses.delete(document.uri);
		// The unsaved text is gone at once; the saved file, if the workspace has one, comes back from disk.
		index.delete(document.uri);
		const uri = URI.parse(document.uri);
		if (uri.scheme === 'file' && isIndexedPath(uri.fsPath)) void indexFile(uri.fsPath).then(() => sendIndexState({}));
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
			touched = true;
			if (change.type === FileChangeType.Deleted) index.delete(change.uri);
			else await indexFile(uri.fsPath);
		}
		if (touched) sendIndexState({});
	});

	/**
	 * Runs a request handler: cancellation becomes `RequestCancelled`, and a thrown error is
	 * logged and answered with an empty result, so one bad request never takes the server down.
	 */
	function handle<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R) {
		return (params: P, token: CancellationToken): R | ResponseError<void> => {
			if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
			try {
				return handler(params, token);
			} catch (error) {
				connection.console.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
				return empty;
			}
		};
	}

	function offsetOf(uri: string, position: { line: number; character: number }): number | undefined {
		return documents.get(uri)?.offsetAt(position);
	}

	function lineStartsOf(uri: string): readonly number[] | undefined {
		return index.get(uri)?.lineStarts ?? glossaryLineStarts.get(uri);
	}

	connection.onHover(handle('hover', null, ({ textDocument, position }) => {
		const analysis = currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (!analysis || offset === undefined) return null;
		const hover = service.getHover(textDocument.uri, offset);
		if (!hover) return null;
		return { contents: { kind: 'markdown' as const, value: hover.markdown }, range: rangeOf(analysis.lineStarts, hover.span) };
	}));

	connection.onDefinition(handle('definition', null, ({ textDocument, position }): Definition | LocationLink[] | null => {
		const analysis = currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (!analysis || offset === undefined) return null;
		const targets = service.getDefinition(textDocument.uri, offset).filter((target) => lineStartsOf(target.uri));
		if (targets.length === 0) return null;
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

	connection.onReferences(handle('references', null, ({ textDocument, position }) => {
		currentAnalysis(textDocument.uri);
		const offset = offsetOf(textDocument.uri, position);
		if (offset === undefined) return null;
		return service.findReferences(textDocument.uri, offset).map((location) => ({ uri: location.uri, range: rangeOf(lineStartsOf(location.uri)!, location.span) }));
	}));

	connection.onDocumentSymbol(handle('documentSymbol', null, ({ textDocument }): DocumentSymbol[] | null => {
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

	connection.languages.semanticTokens.on(handle('semanticTokens', { data: [] }, ({ textDocument }) => {
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
	function checkText(text: string, analysis: DocumentAnalysis, format: DocumentFormat): CheckResult | undefined {
		if (format === 'statement' && !settings.checkStatements) return undefined;
		return checkDocument(text, analysis, format, { lexicon: glossaries.lexicon, resolver, options: checkOptionsOf(settings, runtime.today()) });
	}

	function checkOpenDocument(uri: string): { result: CheckResult; analysis: DocumentAnalysis } | undefined {
		const document = documents.get(uri);
		if (!document || isGlossaryFile(uri)) return undefined;
		const analysis = currentAnalysis(uri)!;
		const cached = checkCache.get(uri);
		if (cached && cached.version === document.version && cached.generation === index.generation) return { result: cached.result, analysis };
		const result = checkText(document.getText(), analysis, formatOf(analysis, document.languageId));
		if (!result) return undefined;
		checkCache.set(uri, { version: document.version, generation: index.generation, result });
		return { result, analysis };
	}

	function diagnosticsOf(uri: string): Diagnostic[] {
		const checked = checkOpenDocument(uri);
		if (!checked) return [];
		const { result, analysis } = checked;
		return [
			...result.findings.map((finding) => toDiagnostic(finding, analysis.lineStarts)),
			...result.directiveProblems.map((problem) => directiveDiagnostic(problem, analysis.lineStarts)),
		];
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
				void connection.sendDiagnostics({ uri, version: document.version, diagnostics: diagnosticsOf(uri) });
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
		if (!supportsPullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
	});

	connection.languages.diagnostics.on(async (params, token) => {
		await glossaryLoaded;
		if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.', { retriggerRequest: true });
		try {
			return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(params.textDocument.uri) };
		} catch (error) {
			connection.console.error(`diagnostic failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
			return { kind: DocumentDiagnosticReportKind.Full, items: [] };
		}
	});

	connection.onCodeAction(handle('codeAction', null, ({ textDocument, range, context }): CodeAction[] | null => {
		const checked = checkOpenDocument(textDocument.uri);
		if (!checked) return null;
		return toCodeActions(textDocument.uri, checked.result.findings, range, checked.analysis.lineStarts, context.diagnostics);
	}));

	connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
		try {
			switch (command) {
				case serverCommands.addToGlossary:
					return await addToWorkspaceGlossary(String(args[0]), String(args[1]));
				case serverCommands.abbreviationTable:
					return await abbreviationTable(String(args[0]));
				case serverCommands.checkWorkspace:
					return await checkWorkspace();
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
	async function checkWorkspace(): Promise<CheckWorkspaceResult> {
		let files = 0;
		let findings = 0;
		const builtIn = join(runtime.dataDirectory, 'statements') + '/';
		for (const analysis of [...index.all()]) {
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
