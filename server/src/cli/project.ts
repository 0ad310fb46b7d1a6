// Loads what `policy-lens check` needs from the file system: the built-in data, the project
// configuration, the workspace glossaries, the files to check and the corpus they are checked
// against. Everything the user got wrong comes back as a CliError with readable lines, never as
// an exception with a stack trace.
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { analyzeDocument, computeLineStarts, type DocumentAnalysis } from '../core/analysis';
import { parseProjectConfig, projectConfigFileName, type ProjectConfig } from '../core/config';
import { CorpusIndex } from '../core/corpusIndex';
import type { DataProblem } from '../core/dataFile';
import { GlossarySet } from '../core/glossarySet';
import type { Lexicon, Trie } from '../core/recognizer';
import { createResolver, type Resolver } from '../core/resolver';
import { loadBuiltInGlossaryFiles, type BuiltInGlossaryFile } from '../node/builtInGlossary';
import { builtInDataFiles, decodeText, findFiles, globOptions, loadFastGlob, readFileBytes, readTextFile, type ReadResult } from '../node/files';
import { markdownDigest } from '../node/markdownThread';
import type { AnalysisWithoutFrontMatter } from '../core/markdown';

/** The exit code of usage and input errors. */
export const usageErrorExitCode = 2;

/** A mistake in the command line or its input: printed line by line to stderr, then exit 2. */
export class CliError extends Error {
	readonly lines: readonly string[];

	constructor(lines: readonly string[]) {
		super(lines.join('\n'));
		this.name = 'CliError';
		this.lines = lines;
	}
}

export const defaultInclude: readonly string[] = ['**/*.txt', '**/*.md'];
export const defaultExclude: readonly string[] = ['**/node_modules/**', '**/.git/**'];
export const defaultGlossaryFiles: readonly string[] = ['policy-lens.glossary.yaml'];

export interface ProjectOptions {
	/** The folder relative paths on the command line are resolved against. */
	readonly workingDirectory: string;
	/** The folder holding the built-in `glossary/` and `statements/`. */
	readonly dataDirectory: string;
	/** `--config`, as typed; undefined to look for policy-lens.config.json in the working directory. */
	readonly configFile?: string;
	/** `--glossary` files, as typed (relative to the working directory). */
	readonly extraGlossaryFiles: readonly string[];
	/** The file arguments: paths, folders or globs. */
	readonly targets: readonly string[];
	/** False for `--no-corpus`: the project's files are not indexed (the built-in data still is). */
	readonly useCorpus: boolean;
	readonly maximumBytes: number;
	/** The build's precompiled built-in glossary (dist/builtin-glossary.json); the YAML is parsed when it is missing or stale. */
	readonly compiledGlossaryPath?: string;
	/**
	 * Called with each Markdown file to check as soon as it is read (its text, and the digest of
	 * its bytes, `markdownDigest`), before the lexicon is built and the file analysed: it may start
	 * working out the Markdown structure elsewhere, or give undefined to leave that to the checks.
	 */
	readonly startMarkdownAnalysis?: (text: string, digest: string) => Promise<AnalysisWithoutFrontMatter> | undefined;
	/** Called before the project's own files are indexed as corpus: the run is then a long one. */
	readonly beforeCorpus?: () => void;
}

/** A file named on the command line, read and analysed. */
export interface TargetDocument {
	readonly path: string;
	readonly text: string;
	readonly analysis: DocumentAnalysis;
	/** The Markdown structure, when `startMarkdownAnalysis` started working it out. */
	readonly markdown?: Promise<AnalysisWithoutFrontMatter>;
}

export interface LoadedProject {
	readonly config: ProjectConfig;
	/** The configuration file in force, if any. */
	readonly configPath: string | undefined;
	/** The folder the configuration's paths and globs are relative to: the config's folder, else the working directory. */
	readonly projectFolder: string;
	readonly lexicon: Lexicon;
	readonly index: CorpusIndex;
	readonly resolver: Resolver;
	/** The files to check, in command-line order, each once. */
	readonly targets: readonly TargetDocument[];
}

/** How many files are read at once while indexing: enough to overlap I/O, few enough to stay within file-descriptor limits. */
const readBatchSize = 32;

export async function loadProject(options: ProjectOptions): Promise<LoadedProject> {
	const cwd = options.workingDirectory;
	const { config, configPath } = await loadConfig(options);
	const projectFolder = configPath ? dirname(configPath) : cwd;
	// The files to check are read while the glossaries load, and their Markdown is sent off as
	// soon as they are. A problem with them is reported where they were read before, after the
	// glossaries' own.
	const reading = resolveTargets(options, config, projectFolder).then(async (paths) => {
		const texts = await readTargets(cwd, paths, options.maximumBytes);
		return { texts, markdown: texts.map(({ text, digest }) => (digest === undefined ? undefined : options.startMarkdownAnalysis?.(text, digest))) };
	});
	reading.catch(() => undefined);

	const glossaries = new GlossarySet();
	const builtIn = await listBuiltInData(options.dataDirectory);
	let builtInGlossaries: { files: BuiltInGlossaryFile[]; trie: Trie | undefined };
	try {
		builtInGlossaries = loadBuiltInGlossaryFiles(builtIn.glossaries, options.compiledGlossaryPath);
	} catch (error) {
		throw new CliError([`policy-lens: the built-in glossary could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); reinstall Policy Lens.`]);
	}
	for (const { path, text, file } of builtInGlossaries.files) {
		const problems = glossaries.addBuiltInFile(file);
		// Shipped data is tested, so a problem here means a broken installation, not a user mistake.
		if (problems.length) throw new CliError(problems.map((problem) => formatProblem(cwd, path, text, problem)));
	}
	glossaries.useBuiltInTrie(builtInGlossaries.trie);
	await loadWorkspaceGlossaries(options, config, projectFolder, glossaries);

	const { texts, markdown } = await reading;
	// Built after the files are read, so that their Markdown can be worked out meanwhile.
	const lexicon = glossaries.lexicon;
	const targets = texts.map(({ path, text }, position): TargetDocument => {
		const analysis = analyzeDocument(URI.file(path).toString(), text, lexicon);
		const structure = markdown[position];
		return structure ? { path, text, analysis, markdown: structure } : { path, text, analysis };
	});

	const index = new CorpusIndex();
	for (const target of targets) index.set(target.analysis);
	const corpusPaths = [...builtIn.statements];
	if (options.useCorpus) {
		const found = await findFiles(projectFolder, config.include ?? defaultInclude, config.exclude ?? defaultExclude);
		if (found.length > 0) options.beforeCorpus?.();
		corpusPaths.push(...found.sort());
	}
	await indexCorpus(index, corpusPaths, options.maximumBytes, lexicon);

	return { config, configPath, projectFolder, lexicon, index, resolver: createResolver(() => lexicon, index), targets };
}

/** A path as the user should see it: relative to the working directory when it is inside it, with forward slashes. */
export function displayPath(workingDirectory: string, path: string): string {
	const fromHere = relative(workingDirectory, path);
	const shown = fromHere === '' || fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere;
	return shown.split(sep).join('/');
}

/** A data-file problem as `file:line:col: message`, 1-based like every editor's "go to" box. */
function formatProblem(cwd: string, path: string, text: string, problem: DataProblem): string {
	const lineStarts = computeLineStarts(text);
	let line = 0;
	while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= problem.span.start) line++;
	const column = problem.span.start - lineStarts[line]! + 1;
	return `${displayPath(cwd, path)}:${line + 1}:${column}: ${problem.message}`;
}

function inputError(cwd: string, path: string, reason: string): string {
	// The file reader speaks the editor's language; on the command line the limit is an option.
	return `policy-lens: ${displayPath(cwd, path)}: it ${reason.replace('(setting policyLens.maxFileSizeMB)', '(option --max-file-size)')}`;
}

async function loadConfig(options: ProjectOptions): Promise<{ config: ProjectConfig; configPath: string | undefined }> {
	const cwd = options.workingDirectory;
	const explicit = options.configFile !== undefined;
	const path = resolve(cwd, options.configFile ?? projectConfigFileName);
	const result = await readTextFile(path, options.maximumBytes);
	if (!('text' in result)) {
		// Only a config the user named must exist; the default one is optional.
		if (!explicit && result.missing) return { config: {}, configPath: undefined };
		throw new CliError([inputError(cwd, path, result.skipped)]);
	}
	const { config, problems } = parseProjectConfig(URI.file(path).toString(), result.text);
	if (!config || problems.length) throw new CliError(problems.map((problem) => formatProblem(cwd, path, result.text, problem)));
	return { config, configPath: path };
}

async function listBuiltInData(dataDirectory: string): Promise<{ glossaries: string[]; statements: string[] }> {
	try {
		return await builtInDataFiles(dataDirectory);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new CliError([`policy-lens: the built-in data could not be read from ${dataDirectory} (${code}); reinstall Policy Lens, or set POLICY_LENS_DATA_DIR to the folder holding glossary/ and statements/.`]);
	}
}

async function loadWorkspaceGlossaries(options: ProjectOptions, config: ProjectConfig, projectFolder: string, glossaries: GlossarySet): Promise<void> {
	const cwd = options.workingDirectory;
	// The default glossary file may be absent; any file the user named, in the config or with --glossary, must exist.
	const wanted: Array<{ path: string; required: boolean }> = [
		...(config.glossaryFiles ?? defaultGlossaryFiles).map((file) => ({ path: resolve(projectFolder, file), required: config.glossaryFiles !== undefined })),
		...options.extraGlossaryFiles.map((file) => ({ path: resolve(cwd, file), required: true })),
	];
	const seen = new Set<string>();
	const errors: string[] = [];
	for (const { path, required } of wanted) {
		if (seen.has(path)) continue;
		seen.add(path);
		const result = await readTextFile(path, options.maximumBytes);
		if (!('text' in result)) {
			if (required || !result.missing) errors.push(inputError(cwd, path, result.skipped));
			continue;
		}
		const { problems } = glossaries.updateWorkspaceFile(URI.file(path).toString(), result.text);
		errors.push(...problems.map((problem) => formatProblem(cwd, path, result.text, problem)));
	}
	if (errors.length) throw new CliError(errors);
}

/**
 * The files to check: a path is taken as named (even if the config's exclude would skip it, since
 * the user asked for it); a folder or a glob expands to files, minus the config's exclude.
 */
async function resolveTargets(options: ProjectOptions, config: ProjectConfig, projectFolder: string): Promise<string[]> {
	const cwd = options.workingDirectory;
	const exclude = config.exclude ?? defaultExclude;
	const isExcluded = picomatch([...exclude], { dot: true });
	const keep = (path: string) => {
		const fromProject = relative(projectFolder, path);
		return fromProject.startsWith('..') || isAbsolute(fromProject) || !isExcluded(fromProject.split(sep).join('/'));
	};
	const paths: string[] = [];
	const errors: string[] = [];
	for (const target of options.targets) {
		const path = resolve(cwd, target);
		const kind = await stat(path).then((stats) => (stats.isDirectory() ? 'folder' : 'file'), () => 'none' as const);
		if (kind === 'file') {
			paths.push(path);
		} else if (kind === 'folder') {
			const found = (await findFiles(path, config.include ?? defaultInclude, exclude)).filter(keep).sort();
			if (found.length === 0) errors.push(`policy-lens: ${target}: the folder has no files matching ${(config.include ?? defaultInclude).join(', ')}.`);
			paths.push(...found);
		} else if (loadFastGlob().isDynamicPattern(target)) {
			// Globs are matched against paths relative to the working directory, as a shell would.
			const found = (await loadFastGlob()(target, globOptions(cwd, []))).filter(keep).sort();
			if (found.length === 0) errors.push(`policy-lens: ${target}: no files match this pattern.`);
			paths.push(...found);
		} else {
			// A plain path that is not there: readTextFile says so in the same words as any other unreadable file.
			paths.push(path);
		}
	}
	if (errors.length) throw new CliError(errors);
	return [...new Set(paths)];
}

/** Whether a file to check is read as Markdown (unless it turns out to be a statement). */
export function isMarkdownPath(path: string): boolean {
	return /\.(md|markdown)$/i.test(path);
}

/** The files to check, read as `readTextFile` reads them; a Markdown file's with the digest of its bytes. */
async function readTargets(cwd: string, paths: readonly string[], maximumBytes: number): Promise<Array<{ path: string; text: string; digest?: string }>> {
	const results = await inBatches(paths, async (path): Promise<ReadResult & { digest?: string }> => {
		const read = await readFileBytes(path, maximumBytes);
		if (!('bytes' in read)) return read;
		const decoded = decodeText(read.bytes);
		return 'text' in decoded && isMarkdownPath(path) ? { ...decoded, digest: markdownDigest(read.bytes) } : decoded;
	});
	const errors: string[] = [];
	const texts: Array<{ path: string; text: string; digest?: string }> = [];
	results.forEach((result, position) => {
		const path = paths[position]!;
		if ('text' in result) texts.push(result.digest === undefined ? { path, text: result.text } : { path, text: result.text, digest: result.digest });
		else errors.push(inputError(cwd, path, result.skipped));
	});
	if (errors.length) throw new CliError(errors);
	return texts;
}

/** Adds the corpus files to the index; files already there (the targets) are not analysed again, unreadable ones are skipped. */
async function indexCorpus(index: CorpusIndex, paths: readonly string[], maximumBytes: number, lexicon: Lexicon): Promise<void> {
	const uris = [...new Set(paths.map((path) => URI.file(path).toString()))].filter((uri) => !index.get(uri));
	const results = await inBatches(uris, (uri) => readTextFile(URI.parse(uri).fsPath, maximumBytes));
	results.forEach((result, position) => {
		if ('text' in result) index.set(analyzeDocument(uris[position]!, result.text, lexicon));
	});
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < items.length; start += readBatchSize) results.push(...(await Promise.all(items.slice(start, start + readBatchSize).map(work))));
	return results;
}
