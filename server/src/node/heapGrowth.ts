// How far V8 lets the server's heap grow past what survived its last full collection.
//
// V8's own factor adapts between 1.1 and 4. Once the index is built, bursts of short-lived answers
// (thousands of locations, thousands of diagnostics per edit) drove it to the high end: 300 MB of
// garbage beside 80 MB of live data. From then on the server uses a fixed 1.25.
//
// Not before: while the index is being built, the heap fills with live data, and a fixed 1.25 starts
// a full collection at every quarter of growth, each finding little to free. Until the first ready
// index the factor is 1.5: at 50,000 statements a cold start took 24.0 s at 1.25, 21.5 s at 1.5 and
// 18.5 s with V8's own factor, which at 10,000 statements held 330 MB at ready instead of 260 MB.
//
// The flag is read at each collection, so setting it while the server runs takes effect.
import { setFlagsFromString } from 'node:v8';

let steady = false;

/** The flag in force while the index is built; the server's code cache is made under it (see launch.ts). */
export const buildingHeapGrowthFlag = '--heap-growing-percent=50';

/** While the index is built: half as many full collections on the way up as at 1.25, and still not V8's up-to-4x. */
export function useBuildingHeapGrowth(): void {
	if (!steady) setFlagsFromString(buildingHeapGrowthFlag);
}

export function useSteadyHeapGrowth(): void {
	if (steady) return;
	steady = true;
	setFlagsFromString('--heap-growing-percent=25');
}
