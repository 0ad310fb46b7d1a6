// The yardsticks: ripgrep searching the corpus for every glossary term (about the least work a
// multi-term search can do), and, when bench/setup.sh has installed them, textlint with prh and
// cspell on the draft. Our CLI is timed on the same draft the same way: whole process, wall time.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { ReferenceConfig } from './referenceConfig';
import { runProcess, type ProcessRun } from './processes';
import { median } from './stats';

export interface ToolTiming {
	readonly tool: string;
	/** Undefined when the tool ran; otherwise why not (not installed, failed). */
	readonly unavailable?: string;
	readonly version?: string;
	readonly command?: string;
	readonly runsMs: readonly number[];
	readonly medianMs?: number;
	readonly exitCode?: number | null;
	readonly outputBytes?: number;
	readonly peakRssMB?: number;
}

export function toolsPrefix(): string {
	return process.env.POLICY_LENS_BENCH_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'policy-lens-bench', 'tools');
}

function findOnPath(name: string): string | undefined {
	for (const folder of (process.env.PATH ?? '').split(delimiter)) {
		if (folder && existsSync(join(folder, name))) return join(folder, name);
	}
	return undefined;
}

function packageVersion(prefix: string, name: string): string | undefined {
	try {
		return (JSON.parse(readFileSync(join(prefix, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
	} catch {
		return undefined;
	}
}

/**
 * Runs a command `runs` times (fewer if the runs so far used up `budgetMs`) and keeps the median.
 * `accept` says whether a run did its job; the first that did not ends the measurement.
 */
async function timeRuns(tool: string, command: string, args: readonly string[], options: { cwd: string; runs: number; budgetMs: number; deadlineMs: number; accept: (run: ProcessRun) => string | undefined; version?: string }): Promise<ToolTiming> {
	const runs: ProcessRun[] = [];
	const shown = `${command} ${args.join(' ')}`;
	let spent = 0;
	while (runs.length < options.runs && (runs.length === 0 || spent < options.budgetMs)) {
		const run = await runProcess(command, args, { cwd: options.cwd, deadlineMs: options.deadlineMs });
		const problem = options.accept(run);
		if (problem !== undefined) return { tool, unavailable: `failed: ${problem}`, command: shown, runsMs: [], exitCode: run.exitCode };
		runs.push(run);
		spent += run.wallMs;
	}
	const last = runs.at(-1)!;
	const peaks = runs.map((run) => run.peakRssMB).filter((peak): peak is number => peak !== undefined);
	return {
		tool,
		...(options.version !== undefined && { version: options.version }),
		command: shown,
		runsMs: runs.map((run) => run.wallMs),
		medianMs: median(runs.map((run) => run.wallMs)),
		exitCode: last.exitCode,
		outputBytes: last.stdoutBytes,
		...(peaks.length > 0 && { peakRssMB: Math.max(...peaks) }),
	};
}

const describe = (run: ProcessRun) => `exit code ${run.exitCode}; ${(run.stderrTail || run.stdoutTail).trim().split('\n').slice(-5).join(' | ')}`;

export async function timeRipgrep(config: ReferenceConfig, corpusRoot: string): Promise<ToolTiming> {
	const rg = existsSync('/usr/bin/rg') ? '/usr/bin/rg' : findOnPath('rg');
	if (!rg) return { tool: 'ripgrep', unavailable: 'not installed (apt-get install ripgrep)', runsMs: [] };
	const version = (await runVersion(rg, ['--version']))?.split('\n')[0];
	return timeRuns('ripgrep', rg, ['-j1', '-F', '-o', '-f', config.termsFile, corpusRoot], {
		cwd: corpusRoot,
		runs: 3,
		budgetMs: 120000,
		deadlineMs: 600000,
		// 0: matches found, 1: none; 2 is an error.
		accept: (run) => (run.exitCode === 0 || run.exitCode === 1 ? undefined : describe(run)),
		...(version !== undefined && { version }),
	});
}

function runVersion(command: string, args: readonly string[]): Promise<string | undefined> {
	return new Promise((resolve) => execFile(command, [...args], (error, stdout) => resolve(error ? undefined : stdout.trim())));
}

const notInstalled = 'not installed (bash bench/setup.sh)';

export async function timeTextlint(config: ReferenceConfig, draftPath: string): Promise<ToolTiming> {
	const prefix = toolsPrefix();
	const textlint = join(prefix, 'node_modules', '.bin', 'textlint');
	if (!existsSync(textlint) || !existsSync(join(prefix, 'node_modules', 'textlint-rule-prh'))) return { tool: 'textlint + prh', unavailable: notInstalled, runsMs: [] };
	return timeRuns('textlint + prh', textlint, ['--config', config.textlintConfig, draftPath], {
		cwd: dirname(draftPath),
		runs: 3,
		budgetMs: 60000,
		deadlineMs: 600000,
		// textlint exits 1 when it reports problems; a rule that failed to load is reported in its output, not by the exit code.
		accept: (run) => (run.exitCode !== null && run.exitCode <= 1 && !/Unexpected error|Error while loading/.test(run.stdoutTail + run.stderrTail) ? undefined : describe(run)),
		version: `textlint ${packageVersion(prefix, 'textlint') ?? '?'}, textlint-rule-prh ${packageVersion(prefix, 'textlint-rule-prh') ?? '?'}`,
	});
}

export async function timeCspell(config: ReferenceConfig, draftPath: string): Promise<ToolTiming> {
	const prefix = toolsPrefix();
	const cspell = join(prefix, 'node_modules', '.bin', 'cspell');
	if (!existsSync(cspell)) return { tool: 'cspell', unavailable: notInstalled, runsMs: [] };
	return timeRuns('cspell', cspell, ['lint', '--no-progress', '--no-cache', '--config', config.cspellConfig, draftPath], {
		cwd: dirname(draftPath),
		runs: 3,
		budgetMs: 60000,
		deadlineMs: 600000,
		accept: (run) => (run.exitCode !== null && run.exitCode <= 1 ? undefined : describe(run)),
		version: `cspell ${packageVersion(prefix, 'cspell') ?? '?'}`,
	});
}

/**
 * `policy-lens check` on the draft as a whole process. It runs in the draft's folder with
 * --no-corpus, so it reads the draft and the built-in data, as textlint and cspell read the draft
 * and their configuration.
 */
export async function timeCli(repositoryRoot: string, draftPath: string): Promise<ToolTiming> {
	const cli = join(repositoryRoot, 'dist', 'cli.js');
	return timeRuns('policy-lens check', process.execPath, [cli, 'check', '--no-corpus', draftPath], {
		cwd: dirname(draftPath),
		runs: 5,
		budgetMs: 60000,
		deadlineMs: 600000,
		// Exit 1 means findings, which the draft is full of; 2 is a usage or input error.
		accept: (run) => (run.exitCode === 0 || run.exitCode === 1 ? undefined : describe(run)),
	});
}
