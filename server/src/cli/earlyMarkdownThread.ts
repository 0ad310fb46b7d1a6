// Starts the Markdown worker thread as soon as the CLI's bundle begins to run, when the command
// line names a long Markdown file: a thread takes about as long to start as the rest of the CLI
// takes to load, so the two happen together. main.ts imports this module first, and it imports
// no Markdown code, so that its body runs before the rest of the bundle is evaluated.
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

/** A new thread running dist/markdownWorker.js, beside the bundle; undefined when running from source. */
export function startMarkdownThread(): MarkdownThread | undefined {
	return MarkdownThread.start(join(__dirname, 'markdownWorker.js'));
}

// Only as the program itself: a guess from the raw arguments (an option's value may be taken for
// a file), which is harmless, since an unused thread neither works nor holds the process open.
let early = require.main === module && process.argv.slice(2).some((argument) => isLongMarkdownFile(resolve(argument))) ? startMarkdownThread() : undefined;

/** The thread started as the CLI started, if any, once. */
export function takeEarlyMarkdownThread(): MarkdownThread | undefined {
	const thread = early;
	early = undefined;
	return thread;
}
