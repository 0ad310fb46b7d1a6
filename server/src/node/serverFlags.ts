// A V8 flag the server sets once it runs. The launcher (launch.ts) sets only the heap's growth
// (heapGrowth.ts) before it loads the server's bundle, whose code cache V8 takes only under the
// flags it was made with; a flag set after the bundle has loaded does not count for its cache.
import { setFlagsFromString } from 'node:v8';

/**
 * Baseline machine code (V8's Sparkplug compiler) for every function from its first call, where V8
 * would interpret a function until it had run for a while. A warm start runs much of its code
 * once: reading and filing 10,000 cached documents, comparing them with the walk, loading the
 * glossary, each a loop run once over thousands of items. Sparkplug compiles in one quick pass,
 * and the functions that stay hot are still optimized as before.
 *
 * Side by side on the benchmark's 10,000 statements with their cache (ten warm starts each way,
 * taken in turns), a warm start took 735 ms at the median instead of 811.
 *
 * Set when the initialize request comes, not by the launcher: the launcher's flags are the ones
 * the build makes the code cache under, and everything the server runs from initialize on, its
 * index workers included, is compiled this way. (While the launcher still started an index
 * worker, setting it there made that worker compile all of Node's own start-up code this way,
 * and it was ready about 100 ms later.)
 */
export function useBaselineCompiler(): void {
	setFlagsFromString('--always-sparkplug');
}
