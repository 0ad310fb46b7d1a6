// Time spent inside request handlers, per method, for `policyLens/serverTimings`: the benchmark
// reads it to tell the server's own latency from the transport's. Bounded, so a long session
// that never asks keeps a fixed amount of memory.

/** The most durations kept per method between two reads; later ones replace earlier ones in a ring. */
const maximumPerMethod = 100_000;

export class HandlerTimings {
	private readonly durations = new Map<string, { values: number[]; next: number }>();

	record(method: string, milliseconds: number): void {
		let entry = this.durations.get(method);
		if (!entry) this.durations.set(method, (entry = { values: [], next: 0 }));
		if (entry.values.length < maximumPerMethod) entry.values.push(milliseconds);
		else {
			entry.values[entry.next] = milliseconds;
			entry.next = (entry.next + 1) % maximumPerMethod;
		}
	}

	/** The durations recorded since the last call, by method; clears them. */
	take(): Record<string, number[]> {
		const result: Record<string, number[]> = {};
		for (const [method, entry] of this.durations) result[method] = entry.values;
		this.durations.clear();
		return result;
	}
}
