// What every part of a benchmark run shares: the arguments, the glossary, where things are.
import type { BenchArgs } from './args';
import type { BenchGlossary } from './glossary';

export interface BenchContext {
	readonly args: BenchArgs;
	readonly glossary: BenchGlossary;
	readonly seed: number;
	readonly repositoryRoot: string;
	/** bench/out: corpora, caches and results (git-ignored). */
	readonly outDirectory: string;
	readonly serverPath: string;
	/** Node options for the server processes (--cpu-prof), before the script. */
	readonly serverNodeArgs: readonly string[];
	/** Statements the built-in corpus adds to every workspace's (the server indexes them too). */
	readonly builtInStatements: number;
	/** Every glossary acronym, for finding a position that must hover. */
	readonly acronyms: ReadonlySet<string>;
	readonly log: (line: string) => void;
}
