// V8's flags for the server's process. The launcher (launch.ts) sets them before it loads the
// server's bundle, whose code cache V8 takes only under the flags it was made with (the build makes
// it by starting the launcher), and before it starts the first index worker, which takes the flags
// in force as it starts.
import { setFlagsFromString } from 'node:v8';
import { buildingHeapGrowthFlag, useBuildingHeapGrowth } from './heapGrowth';

/**
 * Baseline machine code (V8's Sparkplug compiler) for every function from its first call, where V8
 * would interpret a function until it had run for a while. A start runs much of its code once:
 * reading and filing 10,000 cached documents, comparing them with the walk, loading the glossary,
 * each a loop run once over thousands of items. Side by side (ten starts each way, taken in turns,
 * on the benchmark's 10,000 statements with their cache), a warm start took 735 ms at the median
 * instead of 811. Sparkplug compiles in one quick pass, and the functions that stay hot are still
 * optimized as before.
 */
export const baselineCompilerFlag = '--always-sparkplug';

/** The flags the launcher sets, in this order; the build's code cache is made under them. */
export const serverStartFlags = [buildingHeapGrowthFlag, baselineCompilerFlag] as const;

export function useServerStartFlags(): void {
	useBuildingHeapGrowth();
	setFlagsFromString(baselineCompilerFlag);
}
