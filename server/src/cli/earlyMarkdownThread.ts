// The Markdown worker thread, started as early as the command line allows: bin.ts (dist/cli.js)
// starts it before it loads the rest of the CLI (dist/cli-main.js), whose read and compile take
// about as long as the thread takes to start, so the two happen together. This module imports no
// Markdown code, so that bin.ts stays small.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MarkdownThread } from '../node/markdownThread';

/**
 * Markdown this long is parsed on the worker thread while the lexicon is built and the file
 * analysed: the parse then takes longer than starting the thread. Shorter files are parsed by
 * the checks, on the main thread.
 */
export const markdownThreadMinimumLength = 65_536;

/** Whether `path` names a Markdown file long enough for the thread (in bytes, which are at least as many as its characters). */
export function isLongMarkdownFile(path: string): boolean {
	if (!/\.(md|markdown)$/i.test(path)) return false;
	try {
		return statSync(path).size >= markdownThreadMinimumLength;
	} catch {
		return false;
	}
}

/**
 * A new thread running dist/markdownWorker.js, beside the bundle; undefined when running from
 * source. Given the path of a long Markdown file, the thread starts reading and analysing it at once.
 */
export function startMarkdownThread(prefetchPath?: string): MarkdownThread | undefined {
	return MarkdownThread.start(join(__dirname, 'markdownWorker.js'), prefetchPath);
}

/** Where bin.ts leaves the thread for main.ts: they are separate bundles, so module state is not shared. */
const earlyThreadKey = Symbol.for('policy-lens.earlyMarkdownThread');
const registry = globalThis as typeof globalThis & { [earlyThreadKey]?: MarkdownThread };

/**
 * Starts the thread when the raw arguments name a long Markdown file, which the thread then reads
 * and analyses at once (the first such file: the first the CLI asks for). A guess (an option's
 * value may be taken for a file), which is harmless: the thread's analysis of a file is used only
 * for the very text the CLI asks about, and an unused thread does not hold the process open.
 */
export function startEarlyMarkdownThread(argv: readonly string[]): void {
	const first = argv.map((argument) => resolve(argument)).find(isLongMarkdownFile);
	if (first !== undefined) registry[earlyThreadKey] ??= startMarkdownThread(first);
}

/** The thread started as the CLI started, if any, once. */
export function takeEarlyMarkdownThread(): MarkdownThread | undefined {
	const thread = registry[earlyThreadKey];
	delete registry[earlyThreadKey];
	return thread;
}
