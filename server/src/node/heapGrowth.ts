// How far V8 lets the server's heap grow past what survived its last full collection.
//
// V8's own factor adapts between 1.1 and 4. Once the index is built, bursts of short-lived answers
// (thousands of locations, thousands of diagnostics per edit) drove it to the high end: 300 MB of
// garbage beside 80 MB of live data. From then on the server uses a fixed 1.25.
//
// Not before: while the index is being built, the heap fills with live data. A fixed 1.25 would
// start a full collection at every quarter of growth, each finding little to free. At 50,000
// statements that made a cold start 24 s instead of 18 s.
//
// The flag is read at each collection, so setting it while the server runs takes effect.
import { setFlagsFromString } from 'node:v8';

let steady = false;

export function useSteadyHeapGrowth(): void {
	if (steady) return;
	steady = true;
	setFlagsFromString('--heap-growing-percent=25');
}
