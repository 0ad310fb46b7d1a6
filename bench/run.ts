// `npm run bench`: generates the corpus, measures the server, the CLI and the reference tools,
// prints the table and writes the JSON result. See bench/README.md.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs, usage } from './args';
import type { BenchContext } from './context';
import { runCases } from './cases';
import { defaultSeed, ensureCorpus, listFiles, type CorpusInfo } from './corpus';
import { mainFigures } from './figures';
import { loadGlossary, repositoryRoot } from './glossary';
import { keepEnvironment, now, variablesLeftOut } from './processes';
import { writeReferenceConfig } from './referenceConfig';
import { timeCli, timeCspell, timeRipgrep, timeTextlint, type ToolTiming } from './referenceTools';
import { machineInfo, renderTable, writeJson, type Figure } from './report';
import { benchServer, type ServerFigures } from './serverBench';
import { growthFigures, type ScalePoint } from './scaling';
import { median } from './stats';

const outDirectory = join(repositoryRoot, 'bench', 'out');
const serverPath = join(repositoryRoot, 'dist', 'server.js');
const cliPath = join(repositoryRoot, 'dist', 'cli.js');

const started = now();
/** Progress goes to stderr, so stdout carries only the tables. */
function log(line: string): void {
	process.stderr.write(`[${((now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

interface MainResult {
	readonly statements: number;
	readonly corpus: CorpusInfo;
	readonly phasesMs: Record<string, number>;
	readonly figures: Figure[];
	readonly server: ServerFigures;
	readonly tools: ToolTiming[];
}

async function timed<T>(phases: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
	const start = now();
	try {
		return await work();
	} finally {
		phases[name] = now() - start;
	}
}

async function runMain(context: BenchContext, statements: number): Promise<MainResult> {
	const phasesMs: Record<string, number> = {};
	log(`corpus of ${statements.toLocaleString('en-US')} statements…`);
	const corpus = await timed(phasesMs, 'corpus', async () => ensureCorpus(outDirectory, context.glossary, statements, context.seed));
	log(corpus.generated ? `generated ${corpus.files.toLocaleString('en-US')} files, ${(corpus.bytes / 1048576).toFixed(1)} MB in ${(corpus.generationMs / 1000).toFixed(1)} s` : `reusing ${relative(process.cwd(), corpus.root)} (${(corpus.bytes / 1048576).toFixed(1)} MB)`);
	const reference = writeReferenceConfig(outDirectory, context.glossary);
	const statementPaths = listFiles(join(corpus.root, 'statements')).map((file) => relative(corpus.root, file.path)).sort();
	const server = await timed(phasesMs, 'server', () => benchServer({
		repositoryRoot,
		serverPath: context.serverPath,
		nodeArgs: context.serverNodeArgs,
		corpus,
		cacheDirectory: join(outDirectory, `cache-${statements}`),
		builtInStatements: context.builtInStatements,
		acronyms: context.acronyms,
		positions: context.args.positions,
		seed: context.seed,
		log,
	}, statementPaths));
	for (const [name, ms] of Object.entries(server.phasesMs)) phasesMs[`server: ${name}`] = ms;
	log('CLI check of the draft…');
	const cli = await timed(phasesMs, 'cli', () => timeCli(repositoryRoot, corpus.draftPath));
	const tools: ToolTiming[] = [cli];
	let ripgrep: ToolTiming | undefined;
	let textlint: ToolTiming | undefined;
	let cspell: ToolTiming | undefined;
	if (!context.args.skipReferences) {
		log(`ripgrep over the corpus with ${reference.termCount} terms…`);
		ripgrep = await timed(phasesMs, 'ripgrep', () => timeRipgrep(reference, corpus.root));
		log('textlint + prh on the draft…');
		textlint = await timed(phasesMs, 'textlint', () => timeTextlint(reference, corpus.draftPath));
		log('cspell on the draft…');
		cspell = await timed(phasesMs, 'cspell', () => timeCspell(reference, corpus.draftPath));
		tools.push(ripgrep, textlint, cspell);
	}
	const figures = mainFigures({ corpus, server, cli, ...(ripgrep && { ripgrep }), ...(textlint && { textlint }), ...(cspell && { cspell }) });
	const title = `Policy Lens benchmark: ${statements.toLocaleString('en-US')} statements, ${(corpus.bytes / 1048576).toFixed(1)} MB, ${corpus.files.toLocaleString('en-US')} files`;
	process.stdout.write(`\n${renderTable(title, figures)}\n`);
	const leftOut = variablesLeftOut();
	if (leftOut.length > 0) process.stdout.write(`environment: ${leftOut.join(', ')} set here and left out of every measured process (see bench/README.md; --keep-environment keeps it)\n`);
	process.stdout.write(`phases: ${Object.entries(phasesMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}\n\n`);
	return { statements, corpus, phasesMs, figures, server, tools };
}

/** Which build was measured: the bundle changes under a working tree, the commit alone does not say. */
function buildInfo(): Record<string, string> {
	const info: Record<string, string> = {};
	for (const path of [serverPath, cliPath]) {
		info[relative(repositoryRoot, path)] = `sha256 ${createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)}, built ${statSync(path).mtime.toISOString()}`;
	}
	return info;
}

function scalePoint(run: MainResult): ScalePoint {
	const { server } = run;
	const p99 = (latency: ServerFigures['latency']['hover']) => (latency.server ?? latency.client).p99;
	return {
		statements: run.statements,
		bytes: run.corpus.bytes,
		coldMs: median(server.coldRuns.readyMs),
		warmMs: server.warm.readyMs,
		readyRssMB: server.peakRssAfterMB.ready ?? 0,
		peakRssMB: server.cold.peakRssMB ?? 0,
		hoverP99Ms: p99(server.latency.hover),
		referencesP99Ms: p99(server.latency.references),
	};
}

function checkBuild(): void {
	const missing = [serverPath, cliPath].filter((path) => !existsSync(path));
	if (missing.length) {
		throw new Error(`${missing.map((path) => relative(process.cwd(), path)).join(' and ')} missing: run "npm run build" first (the benchmark measures the bundled server and CLI).`);
	}
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${usage}\n`);
		return;
	}
	checkBuild();
	if (args.keepEnvironment) keepEnvironment();
	const glossary = loadGlossary();
	const context: BenchContext = {
		args,
		glossary,
		seed: args.seed ?? defaultSeed,
		repositoryRoot,
		outDirectory,
		serverPath,
		serverNodeArgs: args.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', join(outDirectory, 'profiles')] : [],
		builtInStatements: readdirSync(join(repositoryRoot, 'data', 'statements')).filter((name) => name.endsWith('.txt')).length,
		acronyms: new Set(glossary.entities.flatMap((entity) => entity.acronyms)),
		log,
	};
	const machine = { ...machineInfo(repositoryRoot), build: buildInfo() };
	if (args.cases.length > 0) {
		const results = await runCases(context);
		const out = resolve(args.out ?? join(outDirectory, `results-cases-${args.statements}.json`));
		writeJson(out, { benchmark: 'policy-lens', kind: 'cases', machine, args, results });
		log(`wrote ${relative(process.cwd(), out)}`);
		return;
	}
	if (args.scaling) {
		const runs: MainResult[] = [];
		for (const statements of [1000, 10000, 50000]) runs.push(await runMain(context, statements));
		const points = runs.map(scalePoint);
		const growth = growthFigures(points);
		process.stdout.write(`${renderTable('Growth from 1,000 to 10,000 to 50,000 statements (per-statement cost relative to the smaller size)', growth)}\n`);
		const out = resolve(args.out ?? join(outDirectory, 'results-scaling.json'));
		writeJson(out, { benchmark: 'policy-lens', kind: 'scaling', machine, args, growth, points, runs });
		log(`wrote ${relative(process.cwd(), out)}`);
		return;
	}
	const result = await runMain(context, args.statements);
	const out = resolve(args.out ?? join(outDirectory, `results-${args.statements}.json`));
	writeJson(out, { benchmark: 'policy-lens', kind: 'main', machine, args, ...result });
	log(`wrote ${relative(process.cwd(), out)}`);
}

// Node exits quietly, with status 0, when nothing is left to wait for even though a promise is
// still pending; a run must never end that way, so say so and fail.
let finished = false;
process.once('beforeExit', () => {
	if (finished) return;
	process.stderr.write('bench: internal error: the run stopped with nothing left to wait for (a promise that can never settle).\n');
	process.exit(1);
});

main().then(
	() => {
		finished = true;
		process.exit(process.exitCode ?? 0);
	},
	(error: unknown) => {
		finished = true;
		process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
