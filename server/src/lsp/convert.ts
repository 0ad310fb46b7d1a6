// The one place where the core's UTF-16 offsets become LSP positions and ranges, and back.
import type { Position, Range } from 'vscode-languageserver';
import { lineAndCharacterAt, lineIndexAt } from '../core/analysis';
import type { MentionRun } from '../core/service';
import { ownCopy } from '../core/strings';
import type { Span } from '../core/types';
import { asciiJson, writeInteger, type JsonBytes } from './messageWriter';

export { lineIndexAt };

export function positionAt(lineStarts: ArrayLike<number>, offset: number): Position {
	return lineAndCharacterAt(lineStarts, offset);
}

export function rangeOf(lineStarts: ArrayLike<number>, span: Span): Range {
	return { start: positionAt(lineStarts, span.start), end: positionAt(lineStarts, span.end) };
}

/** One document's spans and line starts as numbers in place, and the document's number and URI: what `writeLocationsJson` reads of a `MentionRun`. */
export type LocationRun = Pick<MentionRun, 'id' | 'lineStarts' | 'lineFrom' | 'lineTo' | 'spans' | 'from' | 'to' | 'stride'> & { readonly document: { readonly uri: string } };

/**
 * Each document's location head, `{"uri":"…","range":{"start":{"line":`, as an ASCII string, by
 * the document's number in the index (`MentionRun.id`; a number always stands for the same URI),
 * made the first time the document is in an answer. A common name is mentioned in tens of
 * thousands of documents: testing and writing each one's URI on every answer, and reading it from
 * the document's objects scattered over the heap, cost more than writing its locations.
 * The heads of all documents ever answered are kept, about as many bytes as their URIs.
 * A head is written with `Buffer.write`, which makes nothing: copied from bytes of their own, each
 * document in an answer cost a typed-array view (at 50,000 statements, megabytes of garbage per
 * answer, and with it collections whose cost grows with the heap).
 */
export class LocationHeads {
	private heads: string[] = [];

	/** The length of the run's document's head, made when it has none yet: only then is its URI read. */
	lengthOf(run: LocationRun): number {
		return (this.heads[run.id] ??= headOf(run.document.uri)).length;
	}

	/** Writes the head of document `id` (made by `lengthOf`) into `data` at `at`; returns where it ends. */
	copy(data: Buffer, at: number, id: number): number {
		const head = this.heads[id]!;
		data.write(head, at, head.length, 'latin1');
		return at + head.length;
	}
}

function headOf(uri: string): string {
	// A file URI is percent-encoded ASCII, which JSON writes as it is between quotes.
	const uriJson = plainAscii.test(uri) ? `"${uri}"` : asciiJson(JSON.stringify(uri));
	// In storage of its own (a concatenation is a rope until first read), so that each write reads one run of bytes.
	return ownCopy(`{"uri":${uriJson},"range":{"start":{"line":`);
}

/**
 * Appends to `json` the JSON of the LSP locations of a run of spans in one document, in ASCII and
 * each after a comma unless `json` is empty: what `JSON.stringify` gives for
 * `{ uri, range: rangeOf(lineStarts, span) }` for each span. A common name has a hundred thousand
 * locations, so this writes bytes itself. `heads` keeps the document's head from one answer to the next.
 */
export function writeLocationsJson(json: JsonBytes, heads: LocationHeads, run: LocationRun): void {
	const { lineStarts, lineFrom, lineTo, spans, from, to, stride } = run;
	if (from >= to) return;
	const headLength = heads.lengthOf(run);
	// The most one location takes: a comma, the head, four numbers of up to ten digits, and the rest.
	const most = 1 + headLength + 4 * 10 + characterKey.length * 2 + endKey.length + 3;
	const data = json.room(most * Math.ceil((to - from) / stride));
	let at = json.size;
	if (at > 0) data[at++] = 0x2c;
	// The head is copied once; the document's other locations copy it from there.
	const headAt = at;
	at = heads.copy(data, at, run.id);
	// Spans come in document order and do not overlap, so each line is found from the previous one's.
	let line = lineFrom;
	for (let span = from; span < to; span += stride) {
		if (span > from) {
			data[at++] = 0x2c;
			data.copyWithin(at, headAt, headAt + headLength);
			at += headLength;
		}
		const start = spans[span]!;
		const end = spans[span + 1]!;
		line = lineAtOrAfter(lineStarts, line, lineTo, start);
		at = writeInteger(data, at, line - lineFrom);
		at = copyBytes(data, at, characterKey);
		at = writeInteger(data, at, start - lineStarts[line]!);
		at = copyBytes(data, at, endKey);
		line = lineAtOrAfter(lineStarts, line, lineTo, end);
		at = writeInteger(data, at, line - lineFrom);
		at = copyBytes(data, at, characterKey);
		at = writeInteger(data, at, end - lineStarts[line]!);
		data[at++] = 0x7d;
		data[at++] = 0x7d;
		data[at++] = 0x7d;
	}
	json.advance(at);
}

/**
 * The line (an index below `high`) holding `offset`, given that it is `low` or a later one: the
 * last with `lineStarts[line] <= offset`, as `lineIndexAt` finds it. Most spans end on the line
 * they start on, and the next span is often on the same line or the next, so those are tried first.
 */
function lineAtOrAfter(lineStarts: Int32Array, low: number, high: number, offset: number): number {
	if (low + 1 >= high || lineStarts[low + 1]! > offset) return low;
	if (low + 2 >= high || lineStarts[low + 2]! > offset) return low + 1;
	low += 2;
	high--;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (lineStarts[middle]! <= offset) low = middle;
		else high = middle - 1;
	}
	return low;
}

/** Printable ASCII but the quote and the backslash: a string JSON writes as it is, between quotes. */
const plainAscii = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const characterKey = asciiBytes(',"character":');
const endKey = asciiBytes('},"end":{"line":');

function asciiBytes(text: string): Uint8Array {
	const bytes = new Uint8Array(text.length);
	for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
	return bytes;
}

/** Copies short `bytes` by hand: a typed array's `set` costs more than the copy for a few dozen bytes. */
function copyBytes(data: Uint8Array, at: number, bytes: Uint8Array): number {
	for (let index = 0; index < bytes.length; index++) data[at++] = bytes[index]!;
	return at;
}
