// Summaries of timing samples. Percentiles use the nearest-rank method: the p99 of 1,000 samples
// is the 990th smallest, a value that was actually observed.

export interface Summary {
	readonly count: number;
	readonly p50: number;
	readonly p99: number;
	readonly max: number;
	readonly mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const total = sorted.reduce((sum, value) => sum + value, 0);
	return {
		count: sorted.length,
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
		max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
		mean: sorted.length ? total / sorted.length : Number.NaN,
	};
}

export function median(samples: readonly number[]): number {
	return percentile([...samples].sort((a, b) => a - b), 50);
}
