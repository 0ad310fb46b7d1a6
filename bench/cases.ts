// Heavy and bad input (`--case <name>`), each at full scale: what it costs (time, peak memory)
// and whether the index ended correct (the statement count in the last index state matches the
// files on disk, and nothing points at files that are gone).
import { cpSync, existsSync, readFileSync, renameSync, rmSync, mkdirSync, truncateSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { URI } from 'vscode-uri';
import type { CaseName } from './args';
import { cacheFiles as listCacheFiles, makeOlderVersion, waitForCacheWritten } from './cacheFiles';
import {
	buildHugeFile, buildManyDefinitions, buildTinyFiles, definitionsFileName, ensureWorkspace, hugeFileName, usesFileName, type CaseWorkspace,
} from './caseCorpora';
import { ensureCorpus, listFiles, writeStatements } from './corpus';
import type { LspSession, TimedIndexState } from './lsp';
import { lineStartsOf, positionAt, samplePositions, type OpenDocument } from './positions';
import { now } from './processes';
import { createRandom, deriveSeed } from './random';
import { figure, renderTable, type Figure } from './report';
import type { BenchContext } from './context';
import { fetchServerTimings, firstAcronymOffset, indexDeadlineMs, measureLatency, serverSettings, startServer, type LatencyFigures } from './serverBench';
import type { Settings } from '../server/src/protocol';

export interface CaseResult {
	readonly name: CaseName;
	readonly description: string;
	readonly figures: Figure[];
	readonly details: Record<string, unknown>;
}

type Log = (line: string) => void;

const tinyFileCount = 100000;
const hugeFileMB = 50;
const massChangeFiles = 5000;
const definitionCount = 10000;

function freshDirectory(path: string): string {
	rmSync(path, { recursive: true, force: true });
	mkdirSync(path, { recursive: true });
	return path;
}

function describeWorkspace(workspace: CaseWorkspace, log: Log): void {
	log(`${workspace.generated ? 'generated' : 'reusing'} ${workspace.root}: ${workspace.files.toLocaleString('en-US')} files, ${(workspace.bytes / 1048576).toFixed(1)} MB`);
}

/** Starts the server on `workspace` and waits for the complete index. */
async function indexWorkspace(context: BenchContext, label: string, workspace: string, cacheDirectory: string, files: number, settings?: Partial<Settings>): Promise<{ session: LspSession; ready: TimedIndexState }> {
	const session = startServer({ label, repositoryRoot: context.repositoryRoot, serverPath: context.serverPath, nodeArgs: context.serverNodeArgs, workspace, cacheDirectory, ...(settings && { settings }) });
	try {
		await session.initialize();
		const ready = await session.waitForIndexState('a complete index (indexState ready)', (state) => state.state === 'ready', indexDeadlineMs(files));
		return { session, ready };
	} catch (error) {
		session.kill();
		throw error;
	}
}

function correctFigure(id: string, label: string, actual: number, expected: number): Figure {
	return figure(id, label, actual === expected ? 1 : 0, 'bool', { target: 'yes', pass: actual === expected, note: `${actual.toLocaleString('en-US')} statements in the index, ${expected.toLocaleString('en-US')} expected (with the built-in corpus)` });
}

/** The server's own p99 against the issue's target when it reports it; the client's otherwise. */
function latencyFigure(id: string, label: string, latency: LatencyFigures, limitMs: number): Figure {
	const slowest = latency.slowest[0];
	const client = `client p50 ${latency.client.p50.toFixed(2)} ms, p99 ${latency.client.p99.toFixed(2)} ms over ${latency.client.count} of ${latency.requested} positions; slowest ${slowest ? `${slowest.ms.toFixed(0)} ms at line ${slowest.line + 1}` : 'n/a'}`;
	if (!latency.server) return figure(id, `${label}, client`, latency.client.p99, 'ms', { note: client });
	return figure(id, `${label}, inside the server`, latency.server.p99, 'ms', { target: `≤ ${limitMs} ms`, pass: latency.server.p99 <= limitMs, note: client });
}

/** A cold start and a warm start over `workspace`: time, memory, correctness. */
async function coldAndWarm(context: BenchContext, workspace: CaseWorkspace, cacheDirectory: string, log: Log, settings?: Partial<Settings>) {
	const expected = workspace.statements + context.builtInStatements;
	freshDirectory(cacheDirectory);
	log('cold start…');
	const cold = await indexWorkspace(context, 'cold server', workspace.root, cacheDirectory, workspace.files, settings);
	const coldRss = cold.session.peakRssMB();
	const logs = cold.session.logs;
	const cacheWaitMs = await waitForCacheWritten(cacheDirectory, 60000);
	await cold.session.stop();
	log('warm start…');
	const warm = await indexWorkspace(context, 'warm server', workspace.root, cacheDirectory, workspace.files, settings);
	const warmRss = warm.session.peakRssMB();
	await warm.session.stop();
	const figures = [
		figure('coldIndex', 'cold index (spawn → ready)', cold.ready.at, 'ms', { note: `${(workspace.bytes / 1048576 / (cold.ready.at / 1000)).toFixed(1)} MB/s` }),
		figure('warmStart', 'warm start to a complete index', warm.ready.at, 'ms', { target: '≤ 0.5 s', pass: warm.ready.at <= 500, note: cacheWaitMs === undefined ? 'the cold start wrote no cache within 60 s' : `the cold start's cache was written ${(cacheWaitMs / 1000).toFixed(1)} s after ready` }),
		figure('peakRss', 'server peak resident memory', Math.max(coldRss ?? 0, warmRss ?? 0) || null, 'MB', { target: '≤ 400 MB', pass: Math.max(coldRss ?? 0, warmRss ?? 0) <= 400, note: `cold ${coldRss?.toFixed(0)} MB, warm ${warmRss?.toFixed(0)} MB` }),
		correctFigure('coldCorrect', 'cold index correct', cold.ready.state.statements, expected),
		correctFigure('warmCorrect', 'warm index correct', warm.ready.state.statements, expected),
	];
	return { figures, cold, warm, logs, expected };
}

async function tinyFiles(context: BenchContext, log: Log): Promise<CaseResult> {
	const out = context.outDirectory;
	log(`tiny-files: ${tinyFileCount.toLocaleString('en-US')} statements of a few hundred bytes…`);
	const workspace = ensureWorkspace(join(out, 'case-tiny-files'), `tiny:${context.seed}:${tinyFileCount}`, buildTinyFiles(context.glossary, context.seed, tinyFileCount));
	describeWorkspace(workspace, log);
	const { figures } = await coldAndWarm(context, workspace, join(out, 'case-tiny-files.cache'), log);
	return { name: 'tiny-files', description: `${tinyFileCount.toLocaleString('en-US')} tiny statements (${(workspace.bytes / 1048576).toFixed(0)} MB)`, figures, details: { files: workspace.files, bytes: workspace.bytes } };
}

async function hugeFile(context: BenchContext, log: Log): Promise<CaseResult> {
	const out = context.outDirectory;
	const ordinary = 200;
	log(`huge-file: one ${hugeFileMB} MB statement among ${ordinary} ordinary ones…`);
	const workspace = ensureWorkspace(join(out, 'case-huge-file'), `huge:${context.seed}:${ordinary}:${hugeFileMB}`, buildHugeFile(context.glossary, context.seed, ordinary, hugeFileMB));
	describeWorkspace(workspace, log);
	const { figures, logs } = await coldAndWarm(context, workspace, join(out, 'case-huge-file.cache'), log);
	const warning = logs.find((line) => line.message.includes(hugeFileName));
	figures.push(figure('skippedWithWarning', `the ${hugeFileMB} MB file skipped with a warning`, warning ? 1 : 0, 'bool', { target: 'yes', pass: warning !== undefined, note: warning ? warning.message.slice(0, 200) : `no log line names ${hugeFileName}` }));
	return { name: 'huge-file', description: `one ${hugeFileMB} MB statement (limit ${serverSettings().maxFileSizeMB} MB) and ${ordinary} ordinary ones`, figures, details: { files: workspace.files, bytes: workspace.bytes, warning: warning?.message } };
}

/**
 * Waits for the index to settle after a change: the first state that is `ready` with the
 * expected count, or, failing that, the last state before `quietMs` without any.
 */
async function settle(session: LspSession, from: number, expected: number, quietMs: number, deadlineMs: number): Promise<{ state: TimedIndexState | undefined; correct: boolean }> {
	const deadline = now() + deadlineMs;
	let last: TimedIndexState | undefined;
	for (let index = from; now() < deadline; index++) {
		const next = await session.nextIndexState(index, quietMs);
		if (next === undefined) {
			if (last === undefined || last.state.state === 'ready') return { state: last, correct: false };
			index--;
			continue;
		}
		last = next;
		if (next.state.state === 'ready' && next.state.statements === expected) return { state: next, correct: true };
	}
	return { state: last, correct: false };
}

/** Find-all-references from the first acronym of a statement; the URIs whose files are gone. */
async function staleReferences(session: LspSession, path: string, acronyms: ReadonlySet<string>): Promise<{ references: number; stale: number }> {
	const text = readFileSync(path, 'utf8');
	const uri = URI.file(path).toString();
	await session.open(uri, 'statement', text);
	const position = positionAt(lineStartsOf(text), firstAcronymOffset(text, acronyms));
	const locations = (await session.request<Array<{ uri: string }> | null>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } })) ?? [];
	const stale = locations.filter((location) => !existsSync(URI.parse(location.uri).fsPath)).length;
	return { references: locations.length, stale };
}

async function massChange(context: BenchContext, log: Log): Promise<CaseResult> {
	const out = context.outDirectory;
	const statements = context.args.statements;
	const affected = Math.min(massChangeFiles, Math.floor(statements / 2));
	log(`mass-change: ${statements.toLocaleString('en-US')} statements, then ${affected.toLocaleString('en-US')} deleted or renamed at once…`);
	// Always rebuilt: the case changes its files.
	const workspace = ensureWorkspace(join(out, 'case-mass-change'), `mass:${context.seed}:${statements}`, (root) => {
		writeStatements(root, context.glossary, context.seed, 0, statements);
		return statements;
	}, false);
	describeWorkspace(workspace, log);
	const cacheDirectory = freshDirectory(join(out, 'case-mass-change.cache'));
	const { session, ready } = await indexWorkspace(context, 'server', workspace.root, cacheDirectory, workspace.files);
	try {
		// A seeded choice of files; half are deleted, half renamed into another folder, as a checkout does.
		const paths = listFiles(join(workspace.root, 'statements')).map((file) => file.path).sort();
		const random = createRandom(deriveSeed(context.seed, 'mass-change', 0));
		for (let index = paths.length - 1; index > 0; index--) {
			const other = random.int(0, index);
			[paths[index], paths[other]] = [paths[other]!, paths[index]!];
		}
		const chosen = paths.slice(0, affected);
		const deleted = chosen.slice(0, affected >> 1);
		const renamed = chosen.slice(affected >> 1);
		const changes: Array<{ uri: string; type: number }> = [];
		const fsStarted = now();
		for (const path of deleted) {
			unlinkSync(path);
			changes.push({ uri: URI.file(path).toString(), type: 3 });
		}
		const renamedFolder = join(workspace.root, 'statements', 'renamed');
		mkdirSync(renamedFolder, { recursive: true });
		for (const path of renamed) {
			const target = join(renamedFolder, basename(path));
			renameSync(path, target);
			changes.push({ uri: URI.file(path).toString(), type: 3 }, { uri: URI.file(target).toString(), type: 1 });
		}
		const fsMs = now() - fsStarted;
		const expected = statements - deleted.length + context.builtInStatements;
		const from = session.indexStates.length;
		const sentAt = session.elapsed();
		await session.notify('workspace/didChangeWatchedFiles', { changes });
		log(`sent ${changes.length.toLocaleString('en-US')} file events; waiting for the index to settle…`);
		const settled = await settle(session, from, expected, 5000, 300000);
		const settleMs = settled.state ? settled.state.at - sentAt : null;
		const survivor = paths[affected]!;
		const { references, stale } = await staleReferences(session, survivor, context.acronyms);
		const rss = session.peakRssMB();
		const figures = [
			figure('initialIndex', 'initial index (spawn → ready)', ready.at, 'ms'),
			figure('settle', `${affected.toLocaleString('en-US')} files changed → index settled`, settleMs, 'ms', { note: `${changes.length.toLocaleString('en-US')} events in one didChangeWatchedFiles; the file operations took ${fsMs.toFixed(0)} ms` }),
			correctFigure('correct', 'index correct after the change', settled.state?.state.statements ?? -1, expected),
			figure('staleReferences', 'references to files that are gone', stale, '', { target: '0', pass: stale === 0, note: `${references} references from an acronym in a surviving statement` }),
			figure('peakRss', 'server peak resident memory', rss, 'MB', { target: '≤ 400 MB', ...(rss !== undefined && { pass: rss <= 400 }) }),
		];
		return { name: 'mass-change', description: `${statements.toLocaleString('en-US')} statements; ${deleted.length} deleted and ${renamed.length} renamed at once`, figures, details: { events: changes.length, fsMs, lastState: settled.state } };
	} finally {
		await session.stop();
	}
}

async function manyDefinitions(context: BenchContext, log: Log): Promise<CaseResult> {
	const out = context.outDirectory;
	const ordinary = 1000;
	log(`many-definitions: a statement with ${definitionCount.toLocaleString('en-US')} acronym definitions among ${ordinary} ordinary ones…`);
	const { definitions, build } = buildManyDefinitions(context.glossary, context.seed, ordinary, definitionCount);
	const workspace = ensureWorkspace(join(out, 'case-many-definitions'), `definitions:${context.seed}:${ordinary}:${definitionCount}`, build);
	describeWorkspace(workspace, log);
	const settings: Partial<Settings> = { ...serverSettings(), checkStatements: true };
	const cacheDirectory = freshDirectory(join(out, 'case-many-definitions.cache'));
	const { session, ready } = await indexWorkspace(context, 'server', workspace.root, cacheDirectory, workspace.files, settings);
	try {
		const definitionsPath = join(workspace.root, 'statements', 'definitions', definitionsFileName);
		const text = readFileSync(definitionsPath, 'utf8');
		const document: OpenDocument = { uri: URI.file(definitionsPath).toString(), languageId: 'statement', text };
		const lineStarts = lineStartsOf(text);
		const openedAt = now();
		await session.open(document.uri, document.languageId, text);
		const firstAcronym = definitions[0]!.acronym;
		const hoverAt = positionAt(lineStarts, text.indexOf(`(${firstAcronym})`) + 2);
		const stopWaiting = session.watchdog('the first hover in the statement with the definitions', 120000);
		let hover: unknown = null;
		try {
			while (hover === null) hover = await session.rawRequest('textDocument/hover', { textDocument: { uri: document.uri }, position: hoverAt });
		} finally {
			stopWaiting();
		}
		const firstHoverMs = now() - openedAt;
		log(`first hover after ${firstHoverMs.toFixed(0)} ms; timing hover and references…`);
		const positions = samplePositions(createRandom(deriveSeed(context.seed, 'definitions-positions', 0)), document, [], 300);
		const warmup = samplePositions(createRandom(deriveSeed(context.seed, 'definitions-warmup', 0)), document, [], 20);
		const timingsAvailable = (await fetchServerTimings(session)) !== undefined;
		const texts = new Map([[document.uri, text]]);
		const hoverLatency = await measureLatency(session, 'textDocument/hover', positions, warmup, timingsAvailable, texts);
		const referencesLatency = await measureLatency(session, 'textDocument/references', positions, warmup, timingsAvailable, texts);
		log('pulling its diagnostics…');
		const diagnosticsStarted = now();
		const report = await session.request<{ items?: unknown[] }>('textDocument/diagnostic', { textDocument: { uri: document.uri } }, 300000);
		const diagnosticsMs = now() - diagnosticsStarted;
		log(`diagnostics after ${(diagnosticsMs / 1000).toFixed(1)} s; hover in the other statement…`);
		// An acronym defined only in the big statement, used bare in another: the corpus's definition must answer.
		const usesPath = join(workspace.root, 'statements', 'definitions', usesFileName);
		const usesText = readFileSync(usesPath, 'utf8');
		const usesUri = URI.file(usesPath).toString();
		await session.open(usesUri, 'statement', usesText);
		const used = definitions.slice(0, 100).find(({ acronym }) => usesText.includes(`${acronym} will`))!;
		const usedHover = await session.request<{ contents?: { value?: string } } | null>('textDocument/hover', { textDocument: { uri: usesUri }, position: positionAt(lineStartsOf(usesText), usesText.indexOf(`${used.acronym} will`) + 1) });
		const resolved = JSON.stringify(usedHover ?? '').includes(used.expansion);
		const rss = session.peakRssMB();
		const expected = workspace.statements + context.builtInStatements;
		const figures = [
			figure('coldIndex', 'cold index (spawn → ready)', ready.at, 'ms'),
			correctFigure('correct', 'index correct', ready.state.statements, expected),
			figure('firstHover', 'open it → first hover answered', firstHoverMs, 'ms'),
			latencyFigure('hoverP99', 'hover p99 in it', hoverLatency, 2),
			latencyFigure('referencesP99', 'references p99 in it', referencesLatency, 20),
			figure('diagnostics', 'its diagnostics (checkStatements on)', diagnosticsMs, 'ms', { note: `${report.items?.length ?? 0} diagnostics` }),
			figure('resolvedElsewhere', 'acronym defined there resolves in another file', resolved ? 1 : 0, 'bool', { target: 'yes', pass: resolved, note: `${used.acronym} = ${used.expansion}` }),
			figure('peakRss', 'server peak resident memory', rss, 'MB', { target: '≤ 400 MB', ...(rss !== undefined && { pass: rss <= 400 }) }),
		];
		return { name: 'many-definitions', description: `a statement with ${definitionCount.toLocaleString('en-US')} acronym definitions (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB) and ${ordinary} ordinary ones`, figures, details: { hoverLatency, referencesLatency } };
	} finally {
		await session.stop();
	}
}

async function badCache(context: BenchContext, log: Log): Promise<CaseResult> {
	const out = context.outDirectory;
	const statements = context.args.statements;
	log(`bad-cache: ${statements.toLocaleString('en-US')} statements; a cache truncated, and one from an older version…`);
	const corpus = ensureCorpus(out, context.glossary, statements, context.seed);
	const workspace: CaseWorkspace = { root: corpus.root, statements: corpus.statements, files: corpus.files, bytes: corpus.bytes, generated: corpus.generated };
	const expected = corpus.statements + context.builtInStatements;
	const clean = freshDirectory(join(out, 'case-bad-cache', 'clean'));
	log('cold start to write a cache…');
	const first = await indexWorkspace(context, 'cold server', workspace.root, clean, workspace.files);
	const coldMs = first.ready.at;
	await waitForCacheWritten(clean, 60000);
	await first.session.stop();
	const cacheFiles = listCacheFiles(clean);
	const figures: Figure[] = [
		figure('coldIndex', 'cold index, writing the cache', coldMs, 'ms'),
		figure('cacheWritten', 'cache written by the cold start', cacheFiles.length > 0 ? 1 : 0, 'bool', { target: 'yes', pass: cacheFiles.length > 0, note: `${cacheFiles.length} file(s), ${(cacheFiles.reduce((sum, file) => sum + file.size, 0) / 1048576).toFixed(1)} MB in ${clean}` }),
	];
	const details: Record<string, unknown> = { cacheFiles: cacheFiles.map((file) => ({ path: file.path.slice(clean.length + 1), size: file.size })) };
	if (cacheFiles.length === 0) {
		figures.push(figure('truncated', 'truncated cache: rebuilt, correct', null, 'bool', { target: 'yes', note: 'nothing to truncate: the server wrote no cache (does it honour initializationOptions.cacheDirectory?)' }));
		figures.push(figure('olderVersion', 'older-version cache: rebuilt, correct', null, 'bool', { target: 'yes', note: 'nothing to alter: the server wrote no cache' }));
		return { name: 'bad-cache', description: `${statements.toLocaleString('en-US')} statements with a damaged cache`, figures, details };
	}
	const variants: Array<{ name: 'truncated' | 'olderVersion'; label: string; damage: (directory: string) => string[] }> = [
		{
			name: 'truncated',
			label: 'truncated cache',
			damage: (directory) => listCacheFiles(directory).filter((file) => file.size > 0).map((file) => {
				truncateSync(file.path, file.size >> 1);
				return `${file.path.slice(directory.length + 1)}: ${file.size} → ${file.size >> 1} bytes`;
			}),
		},
		{
			name: 'olderVersion',
			label: 'older-version cache',
			damage: (directory) => listCacheFiles(directory).map((file) => makeOlderVersion(file.path)).filter((done): done is string => done !== undefined),
		},
	];
	for (const variant of variants) {
		const directory = join(out, 'case-bad-cache', variant.name);
		rmSync(directory, { recursive: true, force: true });
		mkdirSync(dirname(directory), { recursive: true });
		cpSync(clean, directory, { recursive: true });
		const damage = variant.damage(directory);
		details[variant.name] = { damage };
		if (damage.length === 0) {
			figures.push(figure(variant.name, `${variant.label}: rebuilt, correct`, null, 'bool', { target: 'yes', note: 'no version number found in the cache files; adjust makeOlderVersion in bench/cacheFiles.ts to the cache format' }));
			continue;
		}
		log(`${variant.label}: ${damage.length} file(s) changed; starting…`);
		const { session, ready } = await indexWorkspace(context, `server (${variant.label})`, workspace.root, directory, workspace.files);
		const rss = session.peakRssMB();
		const cacheLines = session.logs.filter((line) => /cache/i.test(line.message)).map((line) => line.message.slice(0, 300));
		await session.stop();
		const correct = ready.state.statements === expected;
		figures.push(figure(variant.name, `${variant.label}: start → ready`, ready.at, 'ms', {
			target: 'rebuilt, correct',
			pass: correct,
			note: `${ready.state.statements} of ${expected} statements; peak ${rss?.toFixed(0)} MB${cacheLines.length ? `; server said: ${cacheLines[0]}` : '; the server logged nothing about its cache'}`,
		}));
		details[variant.name] = { damage, readyMs: ready.at, statements: ready.state.statements, peakRssMB: rss, cacheLines };
	}
	return { name: 'bad-cache', description: `${statements.toLocaleString('en-US')} statements with a damaged cache`, figures, details };
}

const runners: Record<CaseName, (context: BenchContext, log: Log) => Promise<CaseResult>> = {
	'tiny-files': tinyFiles,
	'huge-file': hugeFile,
	'mass-change': massChange,
	'many-definitions': manyDefinitions,
	'bad-cache': badCache,
};

export async function runCases(context: BenchContext): Promise<CaseResult[]> {
	const log = context.log;
	const results: CaseResult[] = [];
	for (const name of context.args.cases) {
		const started = now();
		const result = await runners[name](context, log);
		results.push(result);
		process.stdout.write(`\n${renderTable(`Case ${name}: ${result.description} (${((now() - started) / 1000).toFixed(0)} s)`, result.figures)}\n`);
	}
	return results;
}
