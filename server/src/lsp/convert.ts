// The one place where the core's UTF-16 offsets become LSP positions and ranges, and back.
import type { Position, Range } from 'vscode-languageserver';
import { lineAndCharacterAt, lineIndexAt } from '../core/analysis';
import type { MentionRun } from '../core/service';
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
 * Each document's location head, `{"uri":"…","range":{"start":{"line":`, as ASCII bytes, by the
 * document's number in the index (`MentionRun.id`; a number always stands for the same URI), made
 * the first time the document is in an answer, or beforehand (`steps`). A common name is mentioned in tens of thousands of
 * documents: testing and writing each one's URI on every answer, and reading it from the
 * document's objects scattered over the heap, cost more than writing its locations.
 * The heads of all documents ever answered are kept, about as many bytes as their URIs.
 */
export class LocationHeads {
	private bytes = new Uint8Array(64 * 1024);
	/** A view of `bytes`, made when first copied from. */
	private bytesView: DataView | undefined;
	private length = 0;
	/** By document number `id`, where its head starts in `bytes` (at `2 * id`) and where it ends (after it); 0 and 0 while it has none. */
	private places = new Int32Array(2 * 1024);

	/** The length of the run's document's head, made when it has none yet: only then is its URI read. */
	lengthOf(run: LocationRun): number {
		const at = 2 * run.id;
		if (at >= this.places.length || this.places[at + 1] === 0) this.make(run.id, run.document.uri);
		return this.places[at + 1]! - this.places[at]!;
	}

	/**
	 * Makes the heads of these documents that have none, in their order (the corpus table's, the
	 * order an answer walks them, so that an answer reads the heads in the order they lie), a slice
	 * at a time, so that no answer makes them (a URI tested and copied for each of thousands of
	 * documents new to answers, in the middle of one).
	 */
	*steps(documents: readonly { readonly uri: string }[], ids: Int32Array, perStep = 2000): Generator<void, void, undefined> {
		for (let rank = 0; rank < documents.length; rank++) {
			const id = ids[rank]!;
			if (2 * id >= this.places.length || this.places[2 * id + 1] === 0) this.make(id, documents[rank]!.uri);
			if (rank % perStep === perStep - 1) yield;
		}
	}

	/**
	 * Copies the head of document `id` (made by `lengthOf`) into `data` (whose view is `view`) at
	 * `at`; returns where it ends. Four bytes at a time through views made once: as fast as `set`
	 * from a view of the head (1.7 ms against 1.5 for 41,000 heads in order), which made a view per
	 * document, and so a young collection every few answers of a common name (at 50,000 statements
	 * they took 5-9 ms each). A byte loop took 4.5 ms, heads kept as strings and written by
	 * `Buffer.write` 13-16 ms.
	 */
	copy(data: Buffer, view: DataView, at: number, id: number): number {
		const bytes = this.bytes;
		const from = (this.bytesView ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.length));
		let index = this.places[2 * id]!;
		const end = this.places[2 * id + 1]!;
		for (; index + 4 <= end; index += 4, at += 4) view.setUint32(at, from.getUint32(index, true), true);
		for (; index < end; index++) data[at++] = bytes[index]!;
		return at;
	}

	private make(id: number, uri: string): void {
		// A file URI is percent-encoded ASCII, which JSON writes as it is between quotes.
		const uriJson = plainAscii.test(uri) ? `"${uri}"` : asciiJson(JSON.stringify(uri));
		const size = uriHead.length + uriJson.length + rangeHead.length;
		if (2 * id >= this.places.length) this.places = grown(this.places, new Int32Array(Math.max(2 * id + 2, this.places.length * 2)));
		if (this.length + size > this.bytes.length) {
			this.bytes = grown(this.bytes, new Uint8Array(Math.max(this.length + size, this.bytes.length * 2)));
			this.bytesView = undefined;
		}
		const bytes = this.bytes;
		let at = this.length;
		this.places[2 * id] = at;
		at = copyBytes(bytes, at, uriHead);
		for (let index = 0; index < uriJson.length; index++) bytes[at++] = uriJson.charCodeAt(index);
		at = copyBytes(bytes, at, rangeHead);
		this.places[2 * id + 1] = this.length = at;
	}
}

/** `larger`, a longer array, with `array` copied to its start. */
function grown<T extends Int32Array | Uint8Array>(array: T, larger: T): T {
	larger.set(array);
	return larger;
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
	at = heads.copy(data, json.view(), at, run.id);
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
const uriHead = asciiBytes('{"uri":');
const rangeHead = asciiBytes(',"range":{"start":{"line":');
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
