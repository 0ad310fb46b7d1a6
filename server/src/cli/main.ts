// The command-line checker, `policy-lens check`: the same checks as the editor, over files on
// disk, for CI. Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 on usage or
// input errors. Usage and input errors go to stderr as plain sentences, never as stack traces.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { repository, version } from '../../../package.json';
import { checkDocument, prepareChecks, type CheckPreparation, type DocumentFormat, type PreparedStructure } from '../core/checks';
import { isAtLeast, type Finding, type Severity } from '../core/findings';
import type { DocumentAnalysis } from '../core/analysis';
import { analyzeMarkdownLeavingFrontMatter, frontMatterReader, withFrontMatter, type AnalysisWithoutFrontMatter, type MarkdownAnalysis } from '../core/markdown';
import { parseSuppressions } from '../core/suppressions';
import { compiledGlossaryFileName } from '../node/builtInGlossary';
import { useLongRunV8Flags } from './compilerTiering';
import { isLongMarkdownFile, markdownThreadMinimumLength, startMarkdownThread, takeEarlyMarkdownThread } from './earlyMarkdownThread';
import { formatOutput, outputFormats, type CheckRun, type FileResult, type OutputFormat } from './format';
import { CliError, displayPath, isMarkdownPath, loadProject, usageErrorExitCode } from './project';

type FailOn = Severity | 'none';
const failOnValues: readonly FailOn[] = ['error', 'warning', 'information', 'hint', 'none'];

export interface CheckCommandOptions {
	readonly format: OutputFormat;
	readonly failOn: FailOn;
	readonly output?: string;
	readonly config?: string;
	/** Undefined when no --glossary was given (so the help shows no empty default). */
	readonly glossary?: string[];
	readonly statements?: boolean;
	readonly maxFileSize: number;
	readonly date?: string;
	readonly corpus: boolean;
}

/** Where the CLI reads its surroundings from and writes to, so it can run inside another program. */
export interface CliEnvironment {
	readonly workingDirectory: string;
	readonly environment: NodeJS.ProcessEnv;
	readonly writeOut: (text: string) => void;
	readonly writeError: (text: string) => void;
}

const informationUri = repository.url.replace(/\.git$/, '');

/**
 * The built-in data sits beside the bundle's folder (dist/../data); when run from source, the
 * file is three folders below the repository's root (server/src/cli/../../../data).
 */
function dataDirectory(environment: NodeJS.ProcessEnv, workingDirectory: string): string {
	const override = environment.POLICY_LENS_DATA_DIR;
	if (override) return resolve(workingDirectory, override);
	const candidates = [join(__dirname, '..', 'data'), join(__dirname, '..', '..', '..', 'data')];
	return candidates.find((candidate) => existsSync(join(candidate, 'glossary'))) ?? candidates[0]!;
}

/** Today in the local time zone, as the user's calendar says, in ISO 8601. */
function localToday(): string {
	const now = new Date();
	return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function parseMegabytes(value: string): number {
	const megabytes = Number(value);
	if (!/^\s*\d*\.?\d+\s*$/.test(value) || !Number.isFinite(megabytes) || megabytes <= 0) throw new InvalidArgumentError('Give a positive number of megabytes, e.g. 5 or 0.5.');
	return megabytes;
}

function parseDate(value: string): string {
	// The same forms the config's documentDate accepts: a year, a month or a day.
	if (!/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(value)) throw new InvalidArgumentError('Give a date as YYYY-MM-DD (or YYYY-MM, or YYYY).');
	return value;
}

function collect(value: string, previous: string[] | undefined): string[] {
	return [...(previous ?? []), value];
}

function createProgram(environment: CliEnvironment, onCheck: (files: string[], options: CheckCommandOptions) => Promise<void>): Command {
	const program = new Command();
	// Settings made before .command() are inherited by the subcommand.
	program
		.name('policy-lens')
		.description('Checks policy drafts for consistent terminology: acronyms, name variants, outdated names and treaty articles.')
		.version(version, '-V, --version', 'print the version and exit')
		.helpOption('-h, --help', 'print this help and exit')
		.exitOverride()
		.configureOutput({
			writeOut: environment.writeOut,
			writeErr: environment.writeError,
			outputError: (message, write) => write(`policy-lens: ${message.replace(/^error: /, '')}`),
		})
		.showHelpAfterError('(run "policy-lens check --help" for usage)');

	program
		.command('check')
		.description('Check drafts and report findings.')
		.argument('<files...>', 'files, folders or globs to check (quote globs so the shell leaves them alone)')
		.addOption(new Option('--format <format>', 'output format').choices(outputFormats).default('text'))
		.addOption(new Option('--fail-on <severity>', 'exit with 1 when a finding at or above this severity exists').choices(failOnValues).default('warning'))
		.option('--output <file>', 'write the report to this file instead of stdout (atomically)')
		.option('--config <file>', `project configuration (default: ./policy-lens.config.json if present)`)
		.option('--glossary <file>', "a glossary file to add to the config's glossaryFiles (repeatable)", collect)
		.option('--statements', 'also check statement files, which are otherwise skipped')
		.option('--max-file-size <MB>', 'size limit in megabytes: a named file over it is an error, a corpus file over it is skipped', parseMegabytes, 5)
		.option('--date <YYYY-MM-DD>', 'the date to judge names by in drafts that give none', parseDate)
		.option('--no-corpus', "do not index the project's files as corpus (the built-in data is always used)")
		.addHelpText('after', [
			'',
			'Exit codes:',
			'  0  no finding at or above --fail-on (always, with --fail-on none)',
			'  1  findings at or above --fail-on',
			'  2  usage or input error (bad option, no matching file, unreadable file, invalid config or glossary)',
			'',
			'Examples:',
			'  policy-lens check drafts/statement.md',
			'  policy-lens check "drafts/**/*.md" --format sarif --output policy-lens.sarif',
			'',
		].join('\n'))
		.action(async (files: string[], options: CheckCommandOptions) => onCheck(files, options));
	return program;
}

/** Runs the CLI with `argv` (the arguments after the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
	let exitCode = 0;
	const program = createProgram(environment, async (files, options) => {
		exitCode = await runCheck(files, options, environment);
	});
	try {
		await program.parseAsync([...argv], { from: 'user' });
		return exitCode;
	} catch (error) {
		if (error instanceof CommanderError) {
			// Commander has already printed the message (or the help, or the version).
			return error.exitCode === 0 ? 0 : usageErrorExitCode;
		}
		if (error instanceof CliError) {
			environment.writeError(error.lines.join('\n') + '\n');
			return usageErrorExitCode;
		}
		throw error;
	}
}

function documentFormat(path: string, isStatement: boolean): DocumentFormat {
	if (isStatement) return 'statement';
	return isMarkdownPath(path) ? 'markdown' : 'plaintext';
}

/** What `checkDocument` would compute from the text itself, from a Markdown analysis done elsewhere and the checks' preparation. */
function preparedMarkdown(text: string, analysis: DocumentAnalysis, markdown: MarkdownAnalysis, checks: CheckPreparation): PreparedStructure {
	// Suppressions count lines as LSP does (a lone CR ends one too); without CRs, those are the analysis's lines.
	const lineStarts = text.includes('\r') ? undefined : analysis.lineStarts;
	return { markdown: markdown.structure, suppressions: parseSuppressions(text, 'markdown', { htmlComments: () => markdown.htmlComments, ...(lineStarts && { lineStarts }) }), checks };
}

async function runCheck(files: readonly string[], options: CheckCommandOptions, environment: CliEnvironment): Promise<number> {
	// A thread takes a while to start: when a file named on the command line is long Markdown, it starts before anything is read.
	let markdownThread = takeEarlyMarkdownThread() ?? (files.some((file) => isLongMarkdownFile(resolve(environment.workingDirectory, file))) ? startMarkdownThread() : undefined);
	try {
		return await checkFiles(files, options, environment, (text, digest) => {
			if (text.length < markdownThreadMinimumLength) return undefined;
			markdownThread ??= startMarkdownThread();
			return markdownThread?.analyze(text, analyzeMarkdownLeavingFrontMatter, digest);
		}, () => void markdownThread?.close());
	} finally {
		// Not awaited: the thread holds the process open only while it has work, and a turn of
		// the event loop here would let a reader's closed pipe end the run before its exit code is set.
		void markdownThread?.close();
	}
}

/**
 * `startMarkdownAnalysis` may start the Markdown analysis of a file elsewhere (a thread); once the
 * last of those has come, `markdownDone` is called, so that the thread is stopped, and torn down,
 * while the checks run rather than when the process exits.
 */
async function checkFiles(files: readonly string[], options: CheckCommandOptions, environment: CliEnvironment, startMarkdownAnalysis: (text: string, digest: string) => Promise<AnalysisWithoutFrontMatter> | undefined, markdownDone: () => void): Promise<number> {
	const cwd = environment.workingDirectory;
	const project = await loadProject({
		workingDirectory: cwd,
		dataDirectory: dataDirectory(environment.environment, cwd),
		configFile: options.config,
		extraGlossaryFiles: options.glossary ?? [],
		targets: files,
		useCorpus: options.corpus,
		maximumBytes: options.maxFileSize * 1048576,
		compiledGlossaryPath: join(__dirname, compiledGlossaryFileName),
		startMarkdownAnalysis,
		beforeCorpus: useLongRunV8Flags,
	});
	const checkStatements = options.statements === true || project.config.checkStatements === true;
	const checkOptions = {
		severities: project.config.checks,
		documentDate: options.date ?? project.config.documentDate,
		today: localToday(),
	};
	const results: FileResult[] = [];
	const skippedStatements: string[] = [];
	const allFindings: Finding[] = [];
	let lastMarkdown = -1;
	project.targets.forEach((target, position) => {
		if (target.markdown) lastMarkdown = position;
	});
	if (lastMarkdown === -1) markdownDone();
	for (const [position, target] of project.targets.entries()) {
		const path = displayPath(cwd, target.path);
		const isStatement = target.analysis.parsed.isStatement;
		if (isStatement && !checkStatements) {
			skippedStatements.push(path);
			continue;
		}
		const format = documentFormat(target.path, isStatement);
		const markdown = format === 'markdown' ? target.markdown : undefined;
		// While the Markdown structure is worked out on its thread, the checks do what does not depend on it, and the front matter is read.
		const checks = markdown && prepareChecks(target.text, target.analysis, project.resolver);
		const readFrontMatter = markdown && frontMatterReader(target.text);
		const analysed = markdown && (await markdown);
		if (position === lastMarkdown) markdownDone();
		const prepared = checks && analysed ? preparedMarkdown(target.text, target.analysis, withFrontMatter(target.text, analysed, readFrontMatter), checks) : {};
		const result = checkDocument(target.text, target.analysis, format, {
			lexicon: project.lexicon,
			resolver: project.resolver,
			options: checkOptions,
		}, prepared);
		results.push({ path, lineStarts: target.analysis.lineStarts, findings: result.findings, directiveProblems: result.directiveProblems });
		allFindings.push(...result.findings);
	}
	const run: CheckRun = { files: results, skippedStatements };
	const output = formatOutput(options.format, run, { version, informationUri });
	if (options.output === undefined) environment.writeOut(output);
	else await writeAtomically(cwd, resolve(cwd, options.output), output);
	const failOn = options.failOn;
	return failOn !== 'none' && allFindings.some((finding) => isAtLeast(finding.severity, failOn)) ? 1 : 0;
}

/**
 * Writes to a temporary file beside the target, then renames it over the target, so a reader
 * (or a CI step that uploads the report) never sees a half-written file.
 */
async function writeAtomically(cwd: string, path: string, content: string): Promise<void> {
	const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await writeFile(temporary, content, { flag: 'wx' });
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, { force: true }).catch(() => undefined);
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new CliError([`policy-lens: ${displayPath(cwd, path)}: the report could not be written (${code})`]);
	}
}

/** Runs the CLI as the program: `process.argv`, stdout and stderr, and the exit code. */
export function main(): void {
	// A reader that closes the pipe early (`| head`) is not an error.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		throw error;
	});
	// The report goes out in one blocking write. A long draft's report is hundreds of kilobytes, and
	// written to a pipe without blocking, as Node writes to pipes except on Windows, each 64 KB waited
	// for a turn of the event loop once the reader had drained the pipe: with `cat` reading, 25-30 ms
	// more than one blocking write (a slower reader, such as a Node process, sets the pace either
	// way). `setBlocking` is what Node calls for a TTY.
	(process.stdout as { _handle?: { setBlocking?: (blocking: boolean) => unknown } })._handle?.setBlocking?.(true);
	const environment: CliEnvironment = {
		workingDirectory: process.cwd(),
		environment: process.env,
		writeOut: (text) => void process.stdout.write(text),
		writeError: (text) => void process.stderr.write(text),
	};
	runCli(process.argv.slice(2), environment).then(
		(code) => {
			process.exitCode = code;
			// Exit once everything written has been flushed (a large report to a pipe may take a
			// while), not when the event loop empties: that waits for V8 to finish optimizing
			// functions in the background, which took a check of a long draft 100-250 ms more, and
			// still 10-15 ms once the report went out in one blocking write.
			process.stdout.write('', () => process.stderr.write('', () => process.exit()));
		},
		(error: unknown) => {
			// A bug, not a user error: say so plainly; the stack only on request.
			const detail = error instanceof Error ? (process.env.POLICY_LENS_DEBUG ? error.stack ?? error.message : error.message) : String(error);
			process.stderr.write(`policy-lens: internal error: ${detail}\n${process.env.POLICY_LENS_DEBUG ? '' : 'Set POLICY_LENS_DEBUG=1 to see where it happened, and please report it.\n'}`);
			process.exitCode = usageErrorExitCode;
		},
	);
}

if (require.main === module) main();
