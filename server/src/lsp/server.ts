// The LSP layer: wires the pure core (server/src/core) to a connection. It owns the open
// documents, the settings, the file system and the indexing schedule; every answer comes from
// the core's language service.
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import {
	CancellationToken, DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, LSPErrorCodes, ResponseError,
	SymbolKind, TextDocumentSyncKind, TextDocuments,
	type Connection, type Definition, type DocumentSymbol, type InitializeParams, type InitializeResult, type LocationLink,
	type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyzeDocument, computeLineStarts, type DocumentAnalysis } from '../core/analysis';
import { CorpusIndex } from '../core/corpusIndex';
import type { GlossaryProblem } from '../core/glossary';
import { GlossarySet } from '../core/glossarySet';
import { createLanguageService, type DefinitionTarget } from '../core/service';
import { defaultSettings, indexStateNotification, type IndexState, type Settings } from '../protocol';
import { rangeOf } from './convert';
import { findFiles, readTextFile } from './files';

export interface ServerRuntime {
	/** The folder holding the built-in `glossary/` and `statements/`. */
	readonly dataDirectory: string;
}

/** How many files are read and analysed between two yields to the event loop while indexing. */
const indexBatchSize = 25;

export function startServer(connection: Connection, runtime: ServerRuntime): void {
	const documents = new TextDocuments(TextDocument);
	const index = new CorpusIndex();
	const glossaries = new GlossarySet();
	const service = createLanguageService({ getLexicon: () => glossaries.lexicon, index });
	/** Line starts of glossary files, so glossary entries can be go-to-definition targets. */
	const glossaryLineStarts = new Map<string, readonly number[]>();
	const glossaryProblems = new Map<string, readonly GlossaryProblem[]>();

	let settings: Settings = defaultSettings;
	let workspaceFolders: string[] = [];
	let supportsConfiguration = false;
	let supportsLinks = false;
	let supportsWatchRegistration = false;
	let supportsProgress = false;
	let indexRun = 0;
	let indexState: IndexState = { state: 'indexing', statements: 0, documents: 0, entities: 0, done: 0, total: 0 };
	const pendingAnalyses = new Map<string, NodeJS.Timeout>();

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		const capabilities = params.capabilities;
		supportsConfiguration = capabilities.workspace?.configuration === true;
		supportsLinks = capabilities.textDocument?.definition?.linkSupport === true;
		supportsWatchRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
		supportsProgress = capabilities.window?.workDoneProgress === true;
		const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
		workspaceFolders = folders.map((uri) => URI.parse(uri)).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
		settings = mergeSettings((params.initializationOptions as { settings?: Partial<Settings> } | undefined)?.settings);
		return {
			capabilities: {
				textDocumentSync: TextDocumentSyncKind.Incremental,
				hoverProvider: true,
				definitionProvider: true,
				referencesProvider: true,
				documentSymbolProvider: true,
				workspaceSymbolProvider: true,
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
		void reindex();
	});

	connection.onDidChangeConfiguration(async () => {
		await loadSettings();
		await loadWorkspaceGlossaries();
		void reindex();
	});

	async function loadSettings(): Promise<void> {
		if (!supportsConfiguration) return;
		try {
			const value = (await connection.workspace.getConfiguration('policyLens')) as Partial<Settings> | null;
			settings = mergeSettings(value ?? undefined);
		} catch (error) {
			connection.console.warn(`Could not read the policyLens settings; using the defaults (${String(error)}).`);
		}
	}

	async function loadBuiltInGlossary(): Promise<void> {
		const directory = join(runtime.dataDirectory, 'glossary');
		const names = (await readdir(directory)).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
		for (const name of names) {
			const path = join(directory, name);
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
				publishGlossaryProblems(uri, []);
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
		publishGlossaryProblems(uri, problems);
		return changed;
	}

	function publishGlossaryProblems(uri: string, problems: readonly GlossaryProblem[]): void {
		if (problems.length === 0 && !glossaryProblems.has(uri)) return;
		const lineStarts = glossaryLineStarts.get(uri) ?? [0];
		if (problems.length) glossaryProblems.set(uri, problems);
		else glossaryProblems.delete(uri);
		void connection.sendDiagnostics({
			uri,
			diagnostics: problems.map((problem) => ({
				range: rangeOf(lineStarts, problem.span),
				severity: DiagnosticSeverity.Error,
				source: 'policy-lens',
				code: 'glossary.invalid',
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
			if (settings.useBuiltInCorpus) {
				const statementsDirectory = join(runtime.dataDirectory, 'statements');
				for (const name of (await readdir(statementsDirectory)).sort()) paths.push(join(statementsDirectory, name));
			}
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
			connection.console.info(`Indexed ${index.size} documents (${index.statementCount} statements) with ${glossaries.lexicon.glossary.entities.size} glossary entities.`);
		} catch (error) {
			connection.console.error(`Indexing failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		} finally {
			progress?.done();
		}
	}

	function analyzeOpenDocument(document: TextDocument): DocumentAnalysis {
		const analysis = analyzeDocument(document.uri, document.getText(), glossaries.lexicon, document.version);
		index.set(analysis);
		return analysis;
	}

	/** The analysis of a document at its current version, computing it if the last one is stale. */
	function currentAnalysis(uri: string): DocumentAnalysis | undefined {
		const document = documents.get(uri);
		const analysis = index.get(uri);
		if (!document) return analysis;
		if (analysis && analysis.version === document.version) return analysis;
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

	connection.onWorkspaceSymbol(handle('workspaceSymbol', null, ({ query }): SymbolInformation[] => {
		return service.getWorkspaceSymbols(query).flatMap((symbol) => {
			const lineStarts = lineStartsOf(symbol.uri);
			if (!lineStarts) return [];
			return [{ name: symbol.name, kind: symbolKindOf(symbol.entityKind), containerName: symbol.containerName, location: { uri: symbol.uri, range: rangeOf(lineStarts, symbol.span) } }];
		});
	}));

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

function mergeSettings(value: Partial<Settings> | undefined): Settings {
	if (!value) return defaultSettings;
	const strings = (list: unknown, fallback: readonly string[]): readonly string[] =>
		Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : fallback;
	return {
		include: strings(value.include, defaultSettings.include),
		exclude: strings(value.exclude, defaultSettings.exclude),
		glossaryFiles: strings(value.glossaryFiles, defaultSettings.glossaryFiles),
		maxFileSizeMB: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB : defaultSettings.maxFileSizeMB,
		useBuiltInCorpus: typeof value.useBuiltInCorpus === 'boolean' ? value.useBuiltInCorpus : defaultSettings.useBuiltInCorpus,
	};
}
