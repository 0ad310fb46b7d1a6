// A small seeded PRNG, so the same arguments always give byte-identical corpora and the same
// sample positions. Math.random cannot be seeded; mulberry32 is tiny, fast and good enough for
// choosing words and positions (it is not meant for anything cryptographic).

export interface Random {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	/** True with probability `p`. */
	chance(p: number): boolean;
	pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (p) => next() < p,
		pick<T>(items: readonly T[]): T {
			if (items.length === 0) throw new Error('pick() from an empty list');
			return items[Math.floor(next() * items.length)]!;
		},
	};
}

/**
 * A seed for item `index` of stream `stream`, mixed so neighbouring indexes give unrelated
 * sequences. Seeding each statement on its own makes statement i the same whatever the corpus
 * size, so a smaller corpus is a prefix of a larger one and a deleted file can be regenerated.
 */
export function deriveSeed(seed: number, stream: string, index: number): number {
	let hash = (seed ^ 0x9e3779b9) >>> 0;
	for (let i = 0; i < stream.length; i++) hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193) >>> 0;
	hash = Math.imul(hash ^ index, 0x85ebca6b) >>> 0;
	hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
	return (hash ^ (hash >>> 16)) >>> 0;
}
