// How soon V8 hands a function to its optimizing compiler (Turbofan) in the CLI's process.
//
// A check is one short run: each function is compiled for as long as the run lasts. At V8's own
// interrupt budget (66 KB of bytecode run before a function is considered for optimization),
// checking a 1 MB draft had Turbofan optimize about 170 functions, micromark's on the Markdown
// thread and the recognizer's and the checks' on the main one: about 0.5 s of CPU on V8's
// background threads, which compete with the two threads doing the work on a two-core machine,
// and many of those compilations finished after the function had done its work. At 1 MB only the
// functions that run longest are optimized, a little later: the whole check took 1.18 s of CPU
// instead of 1.50 s, and 0.80 s instead of 0.90 s from start to exit.
//
// A check that indexes the project's files as corpus is a long run, for which V8's own budget is
// better: with the larger one, checking the draft against 10,000 statements took 5.5 s instead of
// 5.25 s. It is set back before the corpus is indexed (`useLongRunV8Flags`); by then the code
// cache has been read, so that a flag changed then does not count for it.
//
// Set at run time, before dist/cli-main.js is loaded and before any worker thread starts (a
// worker takes the flags in force when it starts). Flags set this way count for V8's code cache as
// command-line flags do: the build makes dist/cli-main.cache by running the CLI, so under these.
import { setFlagsFromString } from 'node:v8';

export const cliV8Flags = ['--interrupt-budget=1048576'] as const;

/** V8's own interrupt budget (Node 20's V8 11.3). */
const defaultInterruptBudget = '--interrupt-budget=67584';

export function useCliV8Flags(): void {
	for (const flag of cliV8Flags) setFlagsFromString(flag);
}

/** For the rest of a run that turns out long: V8's own budget again. */
export function useLongRunV8Flags(): void {
	setFlagsFromString(defaultInterruptBudget);
}
