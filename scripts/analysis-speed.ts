// Micro-benchmark of the per-file analysis that cold indexing runs in its workers: `packDocument`
// over every `*.txt` file of a folder (searched recursively), all read into memory first so that
// only the analysis is timed. It also times the parts of `packDocument` in loops of their own, and
// can write or check a hash of every record, to prove that a faster analysis gives the same output.
//
// Usage: node --import tsx scripts/analysis-speed.ts <folder> [--passes N] [--write-hashes FILE] [--check-hashes FILE] [--keep-bundle]
// Run `npm run build` first: the lexicon comes from dist/builtin-glossary.json, as in the server.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import type { computeLineStarts, locateDefinition, mineDefinitions, paragraphAt } from '../server/src/core/analysis';
import { GlossarySet } from '../server/src/core/glossarySet';
import type { Lexicon, recognize } from '../server/src/core/recognizer';
import type { parseStatement } from '../server/src/core/statement';
import type { packDocument, PackedRecord } from '../server/src/core/storedAnalysis';
import type { ParsedDocument } from '../server/src/core/types';
import { loadBuiltInGlossaryFiles } from '../server/src/node/builtInGlossary';
import { builtInDataFiles } from '../server/src/node/files';

const root = join(__dirname, '..');

interface AnalysisModule {
	readonly packDocument: typeof packDocument;
	readonly parseStatement: typeof parseStatement;
	readonly mineDefinitions: typeof mineDefinitions;
	readonly locateDefinition: typeof locateDefinition;
	readonly paragraphAt: typeof paragraphAt;
	readonly recognize: typeof recognize;
	readonly computeLineStarts: typeof computeLineStarts;
}

/**
 * The analysis bundled by esbuild, as the build bundles it into dist/indexWorker.js. Under tsx
 * each module is compiled to CommonJS on its own, where every imported binding is read through a
 * getter on the exporting module; in the recognizer's inner loop that costs more than the rest of
 * the work, so timing the modules as tsx loads them would measure the wrong hot spots.
 */
function loadBundledAnalysis(keepBundle: boolean): AnalysisModule {
	const folder = mkdtempSync(join(tmpdir(), 'policy-lens-analysis-speed-'));
	const outfile = join(folder, 'analysis.cjs');
	buildSync({
		stdin: {
			contents: [
				"export { computeLineStarts, locateDefinition, mineDefinitions, paragraphAt } from './server/src/core/analysis';",
				"export { recognize } from './server/src/core/recognizer';",
				"export { parseStatement } from './server/src/core/statement';",
				"export { packDocument } from './server/src/core/storedAnalysis';",
			].join('\n'),
			resolveDir: root,
			loader: 'ts',
		},
		bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
	});
	const analysis = createRequire(__filename)(outfile) as AnalysisModule;
	if (keepBundle) console.log(`bundle kept at ${outfile}`);
	else rmSync(folder, { recursive: true, force: true });
	return analysis;
}

interface Options {
	readonly folder: string;
	readonly passes: number;
	readonly writeHashes: string | undefined;
	readonly checkHashes: string | undefined;
	readonly keepBundle: boolean;
}

function readOptions(argv: readonly string[]): Options {
	let folder: string | undefined;
	let passes = 3;
	let writeHashes: string | undefined;
	let checkHashes: string | undefined;
	let keepBundle = false;
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--passes') passes = Number(argv[++index]);
		else if (argument === '--write-hashes') writeHashes = argv[++index];
		else if (argument === '--check-hashes') checkHashes = argv[++index];
		else if (argument === '--keep-bundle') keepBundle = true;
		else folder = argument;
	}
	if (folder === undefined || !(passes >= 1)) {
		throw new Error('usage: node --import tsx scripts/analysis-speed.ts <folder> [--passes N] [--write-hashes FILE] [--check-hashes FILE] [--keep-bundle]');
	}
	return { folder, passes, writeHashes, checkHashes, keepBundle };
}

/** The built-in lexicon as the server builds it: the compiled glossary when current, else the YAML. */
async function loadLexicon(): Promise<Lexicon> {
	const paths = (await builtInDataFiles(join(root, 'data'))).glossaries;
	const glossaries = new GlossarySet();
	const { files, trie } = loadBuiltInGlossaryFiles(paths, join(root, 'dist', 'builtin-glossary.json'));
	for (const { path, file } of files) {
		const problems = glossaries.addBuiltInFile(file);
		if (problems.length) throw new Error(`${path}: ${problems.map((problem) => problem.message).join('; ')}`);
	}
	glossaries.useBuiltInTrie(trie);
	return glossaries.lexicon;
}

interface Document {
	readonly uri: string;
	readonly text: string;
}

function readDocuments(folder: string): Document[] {
	const documents: Document[] = [];
	const visit = (directory: string): void => {
		for (const entry of readdirSync(directory, { withFileTypes: true }).sort((left, right) => (left.name < right.name ? -1 : 1))) {
			const path = join(directory, entry.name);
			if (entry.isDirectory()) visit(path);
			else if (entry.name.endsWith('.txt')) documents.push({ uri: `file://${path}`, text: readFileSync(path, 'utf8').replace(/^\ufeff/, '') });
		}
	};
	visit(folder);
	return documents;
}

interface Timing {
	/** Wall-clock milliseconds of the fastest pass. */
	readonly wall: number;
	/**
	 * CPU milliseconds of the pass that used the least (`process.cpuUsage`, all of the process's
	 * threads, so the garbage collector's helpers count). On a machine shared with other work the
	 * wall clock also counts the time the benchmark waits for a core; CPU time does not.
	 */
	readonly cpu: number;
}

/** The fastest of `passes` timed passes of `run` over every document. */
function time(documents: readonly Document[], passes: number, run: (document: Document) => unknown): Timing {
	let sink = 0;
	let wall = Infinity;
	let cpu = Infinity;
	for (let pass = 0; pass < passes; pass++) {
		const started = performance.now();
		const startedCpu = process.cpuUsage();
		for (const document of documents) if (run(document) !== undefined) sink++;
		const used = process.cpuUsage(startedCpu);
		wall = Math.min(wall, performance.now() - started);
		cpu = Math.min(cpu, (used.user + used.system) / 1000);
	}
	if (sink < 0) console.log(sink);
	return { wall, cpu };
}

/** A stable JSON of a record, its typed arrays written as arrays. */
function recordJson(record: PackedRecord): string {
	return JSON.stringify(record, (_key, value: unknown) => (value instanceof Int32Array ? Array.from(value) : value));
}

function hashesOf(analysis: AnalysisModule, documents: readonly Document[], lexicon: Lexicon): string[] {
	return documents.map((document) => `${document.uri}\t${createHash('sha1').update(recordJson(analysis.packDocument(document.uri, document.text, lexicon))).digest('hex')}`);
}

function compareHashes(expectedFile: string, actual: readonly string[]): boolean {
	const expected = readFileSync(expectedFile, 'utf8').trimEnd().split('\n');
	let differences = 0;
	if (expected.length !== actual.length) console.log(`expected ${expected.length} records, got ${actual.length}`);
	for (let index = 0; index < Math.min(expected.length, actual.length); index++) {
		if (expected[index] === actual[index]) continue;
		if (++differences <= 10) console.log(`differs: ${actual[index]!.split('\t')[0]}`);
	}
	console.log(differences === 0 && expected.length === actual.length ? `all ${actual.length} records identical to ${expectedFile}` : `${differences} records differ from ${expectedFile}`);
	return differences === 0 && expected.length === actual.length;
}

async function main(): Promise<void> {
	const options = readOptions(process.argv.slice(2));
	const analysis = loadBundledAnalysis(options.keepBundle);
	const { packDocument, parseStatement, mineDefinitions, locateDefinition, paragraphAt, recognize, computeLineStarts } = analysis;
	const lexicon = await loadLexicon();
	const documents = readDocuments(options.folder);
	const megabytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document.text), 0) / 1e6;
	console.log(`${documents.length} files, ${megabytes.toFixed(1)} MB (UTF-8), ${lexicon.glossary.entities.size} glossary entities`);

	if (options.writeHashes !== undefined || options.checkHashes !== undefined) {
		const hashes = hashesOf(analysis, documents, lexicon);
		if (options.writeHashes !== undefined) {
			writeFileSync(options.writeHashes, `${hashes.join('\n')}\n`);
			console.log(`wrote ${hashes.length} record hashes to ${options.writeHashes}`);
		}
		if (options.checkHashes !== undefined && !compareHashes(options.checkHashes, hashes)) process.exitCode = 1;
	}

	// What locating definitions needs of each parsed document, copied: keeping parseStatement's own
	// objects alive for the whole run would lead V8 to allocate them in the old generation from then
	// on (allocation-site pretenuring), which makes parseStatement several times slower than it is in
	// a worker, where they die young.
	const parsed = documents.map((document): ParsedDocument => {
		const { bodyStart, paragraphs } = parseStatement(document.text);
		const copies = paragraphs.map((paragraph) => ({ number: paragraph.number, span: { start: paragraph.span.start, end: paragraph.span.end } }));
		return { isStatement: false, fields: [], problems: [], bodyStart, paragraphs: copies };
	});
	const parts: Array<[string, (document: Document, index: number) => unknown]> = [
		['parseStatement', (document) => parseStatement(document.text)],
		['mineDefinitions + locate', (document, index) => {
			const parse = parsed[index]!;
			return mineDefinitions(document.text, parse.bodyStart).map((definition) => locateDefinition(definition, paragraphAt(parse, definition.acronymSpan.start)));
		}],
		['recognize', (document) => recognize(document.text, lexicon)],
		['computeLineStarts', (document) => computeLineStarts(document.text)],
	];

	// A warm-up pass of everything, so that the timed passes run optimized code.
	time(documents, 1, (document) => packDocument(document.uri, document.text, lexicon));
	const whole = time(documents, options.passes, (document) => packDocument(document.uri, document.text, lexicon));
	const rate = (milliseconds: number) => `${(megabytes / (milliseconds / 1000)).toFixed(1)} MB/s`;
	console.log(`packDocument, fastest of ${options.passes} passes: ${whole.wall.toFixed(0)} ms wall clock (${rate(whole.wall)}), ${whole.cpu.toFixed(0)} ms CPU (${rate(whole.cpu)})`);
	console.log(`  ${'part'.padEnd(26)} ${'wall'.padStart(9)} ${'CPU'.padStart(14)}`);
	for (const [name, run] of parts) {
		let index = 0;
		const indexed = (document: Document) => run(document, index++ % documents.length);
		time(documents, 1, indexed);
		const elapsed = time(documents, options.passes, indexed);
		const share = (part: number, all: number) => `${((part / all) * 100).toFixed(0).padStart(3)}%`;
		console.log(`  ${name.padEnd(26)} ${elapsed.wall.toFixed(0).padStart(6)} ms ${elapsed.cpu.toFixed(0).padStart(6)} ms ${share(elapsed.cpu, whole.cpu)}`);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
