// Where two versions of a text differ: the one stretch between their common start and their
// common end. The incremental analyses (incremental.ts, markdown.ts) re-read that stretch and
// shift what they found after it.

/** `previous[start, previousEnd)` became `next[start, nextEnd)`; everything else is the same. */
export interface TextChange {
	readonly start: number;
	/** Where the changed stretch ended in the previous text. */
	readonly previousEnd: number;
	/** Where it ends in the next text. */
	readonly nextEnd: number;
}

/**
 * How many code units are compared at once, from the longest, before the search narrows to
 * single ones. Each comparison costs two slices besides the characters, so an edit in the middle
 * of a 1 MB draft is found in a few dozen comparisons rather than thousands.
 */
const blockLengths = [65536, 4096, 256];

/** The last answer: the analysis and the Markdown structure of a document ask about the same two texts in turn. */
let last: { readonly previous: string; readonly next: string; readonly change: TextChange } | undefined;

/**
 * The stretch that differs between `previous` and `next`, found by comparing their starts and
 * then their ends (blocks first, which the engine compares natively, then code units).
 */
export function findTextChange(previous: string, next: string): TextChange {
	if (last?.previous === previous && last.next === next) return last.change;
	const change = compareTexts(previous, next);
	last = { previous, next, change };
	return change;
}

function compareTexts(previous: string, next: string): TextChange {
	const shorter = Math.min(previous.length, next.length);
	let start = 0;
	// A block that differs holds the first difference, so the shorter blocks go on from there.
	for (const length of blockLengths) {
		while (start + length <= shorter && previous.slice(start, start + length) === next.slice(start, start + length)) start += length;
	}
	while (start < shorter && previous.charCodeAt(start) === next.charCodeAt(start)) start++;
	// The common end may not overlap the common start in either text.
	const limit = shorter - start;
	let common = 0;
	for (const length of blockLengths) {
		while (common + length <= limit && previous.slice(previous.length - common - length, previous.length - common) === next.slice(next.length - common - length, next.length - common)) common += length;
	}
	while (common < limit && previous.charCodeAt(previous.length - common - 1) === next.charCodeAt(next.length - common - 1)) common++;
	return { start, previousEnd: previous.length - common, nextEnd: next.length - common };
}
