// Where the latency loops click: half the positions on something that looks like a name (a
// capitalized phrase, an acronym, a run of kanji or katakana), where hover and references do
// real work, and half anywhere in the text, where most answers are empty, as in real use.
import type { Random } from './random';
import { computeLineStarts, lineAndCharacterAt } from '../server/src/core/analysis';

export interface OpenDocument {
	readonly uri: string;
	readonly languageId: string;
	readonly text: string;
}

export interface SamplePosition {
	readonly uri: string;
	readonly position: { readonly line: number; readonly character: number };
}

const nameLike = /[A-Z][A-Za-z0-9.-]*(?: (?:of |and |for |on |the )*[A-Z][A-Za-z0-9.-]*)*|[\u3040-\u30ff\u4e00-\u9fff]{2,}/g;

/** The core's own line table and position lookup, so the benchmark aims exactly where the server looks. */
export const lineStartsOf = computeLineStarts;
export const positionAt = lineAndCharacterAt;

interface Target {
	readonly document: OpenDocument;
	readonly lineStarts: number[];
	/** [start, end) of name-like spans. */
	readonly spans: Array<readonly [number, number]>;
}

function targetOf(document: OpenDocument): Target {
	const spans: Array<readonly [number, number]> = [];
	for (const match of document.text.matchAll(nameLike)) {
		spans.push([match.index, match.index + match[0].length]);
		if (spans.length >= 50000) break;
	}
	return { document, lineStarts: lineStartsOf(document.text), spans };
}

/** `count` positions; `primary` (the draft) gets half of them, the other documents share the rest. */
export function samplePositions(random: Random, primary: OpenDocument, others: readonly OpenDocument[], count: number): SamplePosition[] {
	const main = targetOf(primary);
	const rest = others.map(targetOf);
	const positions: SamplePosition[] = [];
	for (let i = 0; i < count; i++) {
		const target = rest.length === 0 || random.chance(0.5) ? main : random.pick(rest);
		let offset: number;
		if (target.spans.length > 0 && random.chance(0.5)) {
			const [start, end] = random.pick(target.spans);
			offset = random.int(start, end - 1);
		} else {
			offset = random.int(0, Math.max(0, target.document.text.length - 1));
		}
		positions.push({ uri: target.document.uri, position: positionAt(target.lineStarts, offset) });
	}
	return positions;
}
