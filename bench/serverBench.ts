// The server's figures, measured the way an editor meets them: a cold start over the corpus
// with the draft open, the first hover while indexing goes on, request latencies once the index
// is complete, the edit-to-diagnostics loop on the 1 MB draft, peak memory, and a warm restart
// with the cache the cold start left. A do-nothing server, timed with the same client code,
// gives the stdio floor for the client-side hover latency.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { serverTimingsRequest, type InitializationOptions, type ServerTimings, type Settings } from '../server/src/protocol';
import { cacheFiles as listCacheFiles, waitForCacheWritten } from './cacheFiles';
import type { CorpusInfo } from './corpus';
import { LspSession } from './lsp';
import { samplePositions, lineStartsOf, positionAt, type OpenDocument, type SamplePosition } from './positions';
import { now, settle } from './processes';
import { createRandom, deriveSeed } from './random';
import { summarize, type Summary } from './stats';

export interface ServerBenchOptions {
	readonly repositoryRoot: string;
	readonly serverPath: string;
	readonly nodeArgs: readonly string[];
	readonly corpus: CorpusInfo;
	readonly cacheDirectory: string;
	/** Statements the built-in corpus adds to the workspace's (the server indexes them too). */
	readonly builtInStatements: number;
	readonly acronyms: ReadonlySet<string>;
	readonly positions: number;
	readonly seed: number;
	readonly log: (line: string) => void;
}

export interface LatencyFigures {
	readonly client: Summary;
	/** Time inside the handler, from `policyLens/serverTimings`; undefined when the server does not report it. */
	readonly server?: Summary;
	/** Answers that were not null or empty. */
	readonly answered: number;
	/** Positions asked for; `client.count` is fewer when the series ran out of time. */
	readonly requested: number;
	/** The slowest requests (client time), with the text around the position, to find what is slow. */
	readonly slowest: ReadonlyArray<{ readonly ms: number; readonly uri: string; readonly line: number; readonly character: number; readonly context: string }>;
}

export interface SessionStart {
	/** Spawn to the `ready` index state. */
	readonly readyMs: number;
	/** The first `indexing` state to `ready`: indexing alone, without process start and glossary load. */
	readonly indexingMs?: number;
	readonly statements: number;
	readonly documents: number;
	readonly expectedStatements: number;
	/** Spawn to the answer to `initialize`: process start and bundle load. */
	readonly initializeMs: number;
	readonly firstHoverMs: number;
	readonly firstHoverAttempts: number;
	/** Whether the index was still being built when the first hover was answered. */
	readonly firstHoverWhileIndexing: boolean;
	readonly peakRssMB?: number;
	/** What the server logged about indexing and its cache (the whole session), for reading the figures. */
	readonly serverSaid?: readonly string[];
}

export interface ServerFigures {
	/** The cold start that went on to the latencies and edits (the last of `coldRuns`). */
	readonly cold: SessionStart;
	/** Spawn to ready and spawn to the first hover of each cold start, in the order run. */
	readonly coldRuns: { readonly readyMs: readonly number[]; readonly firstHoverMs: readonly number[] };
	/** The warm start of median `readyMs` among `warmRunsMs`. */
	readonly warm: SessionStart;
	/** Spawn to ready of each warm start, in the order run. */
	readonly warmRunsMs: readonly number[];
	readonly cacheFiles: number;
	/** From the end of the cold session's work until its cache was on disk; undefined if it never was. */
	readonly cacheWaitMs?: number;
	readonly serverTimings: 'available' | 'n/a';
	readonly latency: { readonly hover: LatencyFigures; readonly definition: LatencyFigures; readonly references: LatencyFigures };
	/** The do-nothing server's hover, client side, timed in turns with the server's own hover series. */
	readonly nullServerHover: Summary;
	readonly edits: {
		readonly incremental: boolean;
		readonly firstDiagnosticsMs: number;
		readonly diagnostics: number;
		readonly byCode: Record<string, number>;
		readonly editToDiagnostics: Summary;
		readonly server?: Summary;
	};
	/** Wall time of each phase, for the report. */
	readonly phasesMs: Record<string, number>;
	/** The cold server's peak RSS (VmHWM) after each phase: which phase raised it. */
	readonly peakRssAfterMB: Record<string, number | undefined>;
}

/**
 * Time allowed for one series (1,000 requests of one method). A server whose queries grow with the
 * corpus can take very long at 50,000 statements; the series then stops early and says so, rather
 * than losing the whole run.
 */
const seriesBudgetMs = 300000;
/** Warm-up requests are cut short too: they only need to get the JIT going. */
const warmupBudgetMs = 60000;

/** Requests before the timed ones, so both servers (and the client) are past JIT warm-up. */
const warmupRequests = 200;
/**
 * Warm starts, of which the median is the figure: each takes about a second, and one start's
 * time on a shared 2-core machine moves by a fifth from one minute to the next.
 */
const warmStarts = 5;
/**
 * Cold starts, of which the median is the figure, as ripgrep's time is the median of three: the
 * first are timed to ready and stopped (each with a cache folder of its own, emptied), the last
 * goes on to the latency series and the edits.
 */
const coldStarts = 3;
const openStatements = 20;
const edits = 20;

export function serverSettings(): Partial<Settings> {
	return { maxFileSizeMB: 5 };
}

export function startServer(options: { label: string; repositoryRoot: string; serverPath: string; nodeArgs?: readonly string[]; workspace: string; cacheDirectory: string; settings?: Partial<Settings> }): LspSession {
	const settings = options.settings ?? serverSettings();
	const initializationOptions: InitializationOptions = { cacheDirectory: options.cacheDirectory, settings };
	return new LspSession({
		label: options.label,
		command: process.execPath,
		args: [...(options.nodeArgs ?? []), options.serverPath, '--stdio'],
		cwd: options.repositoryRoot,
		workspaceUri: URI.file(options.workspace).toString(),
		initializationOptions,
		settings,
	});
}

/** A deadline for indexing that grows with the corpus: generous, since it only catches hangs. */
export function indexDeadlineMs(files: number): number {
	return 120000 + files * 20;
}

/** The middle of the first glossary acronym in the text (after any front matter): a hover that must answer. */
export function firstAcronymOffset(text: string, acronyms: ReadonlySet<string>): number {
	const bodyStart = text.startsWith('---') ? text.indexOf('\n---', 3) + 4 : 0;
	const pattern = /\b[A-Z][A-Z0-9]+\b/g;
	pattern.lastIndex = bodyStart;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		if (acronyms.has(match[0])) return match.index + (match[0].length >> 1);
	}
	throw new Error('The draft has no glossary acronym to hover on.');
}

function hasContent(hover: unknown): boolean {
	if (hover === null || typeof hover !== 'object') return false;
	const contents = (hover as { contents?: unknown }).contents;
	if (typeof contents === 'string') return contents.length > 0;
	if (Array.isArray(contents)) return contents.length > 0;
	return typeof contents === 'object' && contents !== null && String((contents as { value?: unknown }).value ?? '').length > 0;
}

function isAnswer(result: unknown): boolean {
	return result !== null && result !== undefined && !(Array.isArray(result) && result.length === 0);
}

/** Retries the hover as soon as each answer comes back (no sleeps) until one has content. */
async function firstHover(session: LspSession, uri: string, position: { line: number; character: number }, deadlineMs: number): Promise<{ at: number; attempts: number; whileIndexing: boolean }> {
	const stop = session.watchdog('the first hover with content', deadlineMs);
	try {
		for (let attempts = 1; ; attempts++) {
			const hover = await session.rawRequest('textDocument/hover', { textDocument: { uri }, position });
			if (hasContent(hover)) {
				const last = session.indexStates.at(-1);
				return { at: session.elapsed(), attempts, whileIndexing: last?.state.state !== 'ready' };
			}
		}
	} finally {
		stop();
	}
}

/** Starts a session, opens the draft, times the first hover and the complete index. */
async function startSession(label: string, options: ServerBenchOptions, draft: OpenDocument, hoverAt: { line: number; character: number }): Promise<{ session: LspSession; start: SessionStart }> {
	const { corpus } = options;
	const session = startServer({ label, repositoryRoot: options.repositoryRoot, serverPath: options.serverPath, nodeArgs: options.nodeArgs, workspace: corpus.root, cacheDirectory: options.cacheDirectory });
	try {
		await session.initialize();
		const initializeMs = session.elapsed();
		await session.open(draft.uri, draft.languageId, draft.text);
		const hover = await firstHover(session, draft.uri, hoverAt, 60000);
		const ready = await session.waitForIndexState('a complete index (indexState ready)', (state) => state.state === 'ready', indexDeadlineMs(corpus.files));
		const firstIndexing = session.indexStates.find((timed) => timed.state.state === 'indexing' && timed.state.total > 0);
		const expectedStatements = corpus.statements + options.builtInStatements;
		return {
			session,
			start: {
				readyMs: ready.at,
				...(firstIndexing !== undefined && firstIndexing.at <= ready.at && { indexingMs: ready.at - firstIndexing.at }),
				statements: ready.state.statements,
				documents: ready.state.documents,
				expectedStatements,
				initializeMs,
				firstHoverMs: hover.at,
				firstHoverAttempts: hover.attempts,
				firstHoverWhileIndexing: hover.whileIndexing,
			},
		};
	} catch (error) {
		session.kill();
		throw error;
	}
}

function indexLogLines(session: LspSession): string[] {
	return session.logs.filter((line) => /index|cache|skipped/i.test(line.message)).slice(0, 20).map((line) => `${(line.at / 1000).toFixed(2)} s: ${line.message.slice(0, 300)}`);
}

/** `policyLens/serverTimings`, or undefined when the server does not implement it (MethodNotFound). */
export async function fetchServerTimings(session: LspSession): Promise<ServerTimings | undefined> {
	try {
		return await session.request<ServerTimings>(serverTimingsRequest, null, 30000);
	} catch (error) {
		if (error instanceof ResponseError) return undefined;
		throw error;
	}
}

/** The handler times of `method` ("textDocument/hover"), under its full name or a short one ("hover"). */
function timingsOf(timings: ServerTimings | undefined, method: string): number[] | undefined {
	if (!timings) return undefined;
	const short = method.slice(method.indexOf('/') + 1);
	const key = [method, short].find((name) => name in timings) ?? Object.keys(timings).find((name) => name.toLowerCase().includes(short.toLowerCase()));
	return key === undefined ? undefined : [...timings[key]!];
}

function requestParams(method: string, sample: SamplePosition): unknown {
	const params = { textDocument: { uri: sample.uri }, position: sample.position };
	return method === 'textDocument/references' ? { ...params, context: { includeDeclaration: true } } : params;
}

/**
 * One request at a time, as a user clicking: client-side time of each, and the server's own when
 * reported. Given a `floor` session (the do-nothing server), each request is also sent to it, in
 * turns with the server's: both series then meet the same moments of a noisy machine and of the
 * client's own garbage collection, which a series timed minutes apart does not.
 */
export async function measureLatency(session: LspSession, method: string, positions: readonly SamplePosition[], warmup: readonly SamplePosition[], timingsAvailable: boolean, texts: ReadonlyMap<string, string>, floor?: LspSession): Promise<LatencyFigures & { readonly floor?: Summary }> {
	const stop = session.watchdog(`${positions.length} ${method} requests`, warmupBudgetMs + seriesBudgetMs + 300000);
	const stopFloor = floor?.watchdog(`${positions.length} ${method} requests`, warmupBudgetMs + seriesBudgetMs + 300000);
	try {
		const warmupStarted = now();
		for (const sample of warmup) {
			if (now() - warmupStarted > warmupBudgetMs) break;
			await session.rawRequest(method, requestParams(method, sample));
			if (floor) await floor.rawRequest(method, requestParams(method, sample));
		}
		if (timingsAvailable) await fetchServerTimings(session);
		settle();
		const samples: number[] = [];
		const floorSamples: number[] = [];
		let answered = 0;
		const seriesStarted = now();
		for (const sample of positions) {
			if (now() - seriesStarted > seriesBudgetMs) break;
			const started = now();
			const result = await session.rawRequest(method, requestParams(method, sample));
			samples.push(now() - started);
			if (isAnswer(result)) answered++;
			if (floor) {
				const floorStarted = now();
				await floor.rawRequest(method, requestParams(method, sample));
				floorSamples.push(now() - floorStarted);
			}
		}
		const serverSamples = timingsAvailable ? timingsOf(await fetchServerTimings(session), method) : undefined;
		const slowest = samples.map((ms, index) => ({ ms, index })).sort((a, b) => b.ms - a.ms).slice(0, 10).map(({ ms, index }) => {
			const { uri, position } = positions[index]!;
			const line = texts.get(uri)?.split('\n', position.line + 1)[position.line] ?? '';
			return { ms, uri: uri.slice(uri.lastIndexOf('/') + 1), ...position, context: `${line.slice(Math.max(0, position.character - 40), position.character)}|${line.slice(position.character, position.character + 40)}` };
		});
		return {
			client: summarize(samples),
			...(serverSamples && serverSamples.length > 0 && { server: summarize(serverSamples) }),
			...(floor && { floor: summarize(floorSamples) }),
			answered,
			requested: positions.length,
			slowest,
		};
	} finally {
		stop();
		stopFloor?.();
	}
}

/** A pull that the server cancelled because the text moved on is asked again, as clients do. */
async function pullDiagnostics(session: LspSession, uri: string): Promise<Array<{ code?: unknown }>> {
	for (;;) {
		try {
			const report = await session.rawRequest<{ kind: string; items?: Array<{ code?: unknown }> }>('textDocument/diagnostic', { textDocument: { uri } });
			return report.items ?? [];
		} catch (error) {
			if (error instanceof ResponseError && (error.code === -32800 || error.code === -32802)) continue;
			throw error;
		}
	}
}

/** A one-character edit in the middle of the draft, then a diagnostics pull, timed from the edit to the answer. */
async function measureEdits(session: LspSession, draft: OpenDocument, timingsAvailable: boolean): Promise<ServerFigures['edits']> {
	const stop = session.watchdog('the edit-to-diagnostics loop', 600000);
	try {
		const firstStarted = now();
		const initial = await pullDiagnostics(session, draft.uri);
		const firstDiagnosticsMs = now() - firstStarted;
		const byCode: Record<string, number> = {};
		for (const item of initial) byCode[String(item.code)] = (byCode[String(item.code)] ?? 0) + 1;
		// At the start of a sentence in the middle: an ordinary keystroke in prose.
		const offset = draft.text.indexOf('. ', draft.text.length >> 1) + 2;
		const lineStarts = lineStartsOf(draft.text);
		const at = positionAt(lineStarts, offset);
		const incremental = session.incrementalSync;
		if (timingsAvailable) await fetchServerTimings(session);
		const samples: number[] = [];
		for (let i = 0; i < edits; i++) {
			const inserting = i % 2 === 0;
			const started = now();
			if (incremental) {
				const end = inserting ? at : { line: at.line, character: at.character + 1 };
				await session.change(draft.uri, inserting ? 'x' : '', { start: at, end });
			} else {
				await session.change(draft.uri, inserting ? draft.text.slice(0, offset) + 'x' + draft.text.slice(offset) : draft.text);
			}
			await pullDiagnostics(session, draft.uri);
			samples.push(now() - started);
		}
		const serverSamples = timingsAvailable ? timingsOf(await fetchServerTimings(session), 'textDocument/diagnostic') : undefined;
		return {
			incremental,
			firstDiagnosticsMs,
			diagnostics: initial.length,
			byCode,
			editToDiagnostics: summarize(samples),
			...(serverSamples && serverSamples.length > 0 && { server: summarize(serverSamples) }),
		};
	} finally {
		stop();
	}
}

/**
 * The statements the latency positions may fall in come from the first 1,000 (the smallest size
 * of `--scaling`), which every corpus shares: a smaller corpus is a prefix of a larger one, and
 * the paths sort in the order the statements were made. The positions are then the same requests
 * at every size, and the growth rows compare each request with itself. Spread over the whole
 * corpus, the statements, and so half the positions, differed from one size to the next: the
 * references p99 was a few-thousand-location answer at 10,000 statements (2.0 ms) and a
 * 100,000-location one at 50,000 (19.0 ms), 9.4× for 5×; with the same positions, 4.0 and 19.2 ms.
 */
const sharedStatements = 1000;

/** Statements spread over the first `sharedStatements`, opened as an editor would open them. */
function pickStatements(corpus: CorpusInfo, statementPaths: readonly string[]): OpenDocument[] {
	const shared = statementPaths.slice(0, sharedStatements);
	const step = Math.max(1, Math.floor(shared.length / openStatements));
	const documents: OpenDocument[] = [];
	for (let index = 0; index < shared.length && documents.length < openStatements; index += step) {
		const path = shared[index]!;
		documents.push({ uri: URI.file(join(corpus.root, path)).toString(), languageId: 'statement', text: readFileSync(join(corpus.root, path), 'utf8') });
	}
	return documents;
}

/** The do-nothing server with the same documents open, for `measureLatency`'s floor. */
async function startNullServer(options: ServerBenchOptions, documents: readonly OpenDocument[]): Promise<LspSession> {
	const session = new LspSession({
		label: 'null server',
		command: process.execPath,
		args: ['--import', 'tsx', join(options.repositoryRoot, 'bench', 'nullServer.ts'), '--stdio'],
		cwd: options.repositoryRoot,
		workspaceUri: URI.file(options.corpus.root).toString(),
	});
	try {
		await session.initialize();
		for (const document of documents) await session.open(document.uri, document.languageId, document.text);
		return session;
	} catch (error) {
		session.kill();
		throw error;
	}
}

export async function benchServer(options: ServerBenchOptions, statementPaths: readonly string[]): Promise<ServerFigures> {
	const { corpus, log } = options;
	const phasesMs: Record<string, number> = {};
	const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
		const started = now();
		try {
			return await work();
		} finally {
			phasesMs[name] = now() - started;
		}
	};
	const draftText = readFileSync(corpus.draftPath, 'utf8');
	const draft: OpenDocument = { uri: URI.file(corpus.draftPath).toString(), languageId: 'markdown', text: draftText };
	const hoverAt = positionAt(lineStartsOf(draftText), firstAcronymOffset(draftText, options.acronyms));

	const coldRuns = { readyMs: [] as number[], firstHoverMs: [] as number[] };
	log(`${coldStarts} cold starts over ${corpus.files.toLocaleString('en-US')} files (${(corpus.bytes / 1048576).toFixed(1)} MB)…`);
	const { session, start: cold } = await phase('cold start', async () => {
		const scratchCache = `${options.cacheDirectory}-cold`;
		for (let run = 1; run < coldStarts; run++) {
			rmSync(scratchCache, { recursive: true, force: true });
			mkdirSync(scratchCache, { recursive: true });
			settle();
			const started = await startSession('cold server', { ...options, cacheDirectory: scratchCache }, draft, hoverAt);
			await started.session.stop();
			coldRuns.readyMs.push(started.start.readyMs);
			coldRuns.firstHoverMs.push(started.start.firstHoverMs);
		}
		rmSync(scratchCache, { recursive: true, force: true });
		rmSync(options.cacheDirectory, { recursive: true, force: true });
		mkdirSync(options.cacheDirectory, { recursive: true });
		settle();
		const main = await startSession('cold server', options, draft, hoverAt);
		coldRuns.readyMs.push(main.start.readyMs);
		coldRuns.firstHoverMs.push(main.start.firstHoverMs);
		return main;
	});
	let latency: ServerFigures['latency'];
	let editFigures: ServerFigures['edits'];
	let timingsAvailable = false;
	let statements: OpenDocument[] = [];
	let positions: SamplePosition[] = [];
	let warmup: SamplePosition[] = [];
	let coldRss: number | undefined;
	let cacheWaitMs: number | undefined;
	let nullServerHover: Summary;
	const peakRssAfterMB: Record<string, number | undefined> = { ready: session.peakRssMB() };
	try {
		statements = pickStatements(corpus, statementPaths);
		for (const document of statements) await session.open(document.uri, document.languageId, document.text);
		positions = samplePositions(createRandom(deriveSeed(options.seed, 'positions', 0)), draft, statements, options.positions);
		warmup = samplePositions(createRandom(deriveSeed(options.seed, 'warmup', 0)), draft, statements, warmupRequests);
		// Latencies are a settled server's: once the index is ready, the server builds its corpus-wide
		// tables a few milliseconds at a time and says when they are built (`tablesReady`); questions
		// before that are answered by walking the documents. A server that does not say is not waited for.
		const latest = session.indexStates.length - 1;
		if (session.indexStates[latest]?.state.tablesReady === false) {
			const built = await session.waitForIndexState('the corpus tables (indexState tablesReady)', (state) => state.tablesReady !== false, indexDeadlineMs(corpus.files), latest + 1);
			log(`corpus tables built ${((built.at - cold.readyMs) / 1000).toFixed(1)} s after ready`);
		}
		timingsAvailable = (await fetchServerTimings(session)) !== undefined;
		log(`latency: ${positions.length} positions × hover, definition, references (server timings ${timingsAvailable ? 'available' : 'n/a'})…`);
		const texts = new Map([draft, ...statements].map((document) => [document.uri, document.text]));
		const nullServer = await startNullServer(options, [draft, ...statements]);
		({ latency, nullServerHover } = await phase('latency', async () => {
			let hover: LatencyFigures;
			let floor: Summary | undefined;
			try {
				({ floor, ...hover } = await measureLatency(session, 'textDocument/hover', positions, warmup, timingsAvailable, texts, nullServer));
			} finally {
				await nullServer.stop();
			}
			return {
				latency: {
					hover,
					definition: await measureLatency(session, 'textDocument/definition', positions, warmup, timingsAvailable, texts),
					references: await measureLatency(session, 'textDocument/references', positions, warmup, timingsAvailable, texts),
				},
				nullServerHover: floor ?? summarize([]),
			};
		}));
		peakRssAfterMB.latency = session.peakRssMB();
		log('edit → diagnostics on the draft…');
		editFigures = await phase('edits', () => measureEdits(session, draft, timingsAvailable));
		coldRss = session.peakRssMB();
		peakRssAfterMB.edits = coldRss;
		// The server writes its cache shortly after the index settles; a warm start needs it whole.
		cacheWaitMs = await waitForCacheWritten(options.cacheDirectory, 60000);
	} finally {
		await session.stop();
	}
	const coldSaid = indexLogLines(session);

	const cacheFiles = listCacheFiles(options.cacheDirectory).length;
	log(`${warmStarts} warm starts (${cacheFiles} cache file${cacheFiles === 1 ? '' : 's'} present)…`);
	const warm = await phase('warm start', async () => {
		const starts: SessionStart[] = [];
		let peakRssMB: number | undefined;
		for (let run = 0; run < warmStarts; run++) {
			settle();
			const { session: warmSession, start } = await startSession('warm server', options, draft, hoverAt);
			const rss = warmSession.peakRssMB();
			await warmSession.stop();
			if (rss !== undefined) peakRssMB = Math.max(peakRssMB ?? 0, rss);
			starts.push({ ...start, serverSaid: indexLogLines(warmSession) });
		}
		const byReady = [...starts].sort((a, b) => a.readyMs - b.readyMs);
		return { median: byReady[(byReady.length - 1) >> 1]!, runsMs: starts.map((start) => start.readyMs), peakRssMB };
	});
	return {
		cold: { ...cold, ...(coldRss !== undefined && { peakRssMB: coldRss }), serverSaid: coldSaid },
		warm: { ...warm.median, ...(warm.peakRssMB !== undefined && { peakRssMB: warm.peakRssMB }) },
		coldRuns,
		warmRunsMs: warm.runsMs,
		cacheFiles,
		...(cacheWaitMs !== undefined && { cacheWaitMs }),
		serverTimings: timingsAvailable ? 'available' : 'n/a',
		latency,
		nullServerHover,
		edits: editFigures,
		phasesMs,
		peakRssAfterMB,
	};
}
