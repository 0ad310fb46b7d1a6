// The one place where the core's UTF-16 offsets become LSP positions and ranges, and back.
import type { Position, Range } from 'vscode-languageserver';
import { lineAndCharacterAt, lineIndexAt } from '../core/analysis';
import type { Span } from '../core/types';
import { asciiJson, writeInteger, type JsonBytes } from './messageWriter';

export { lineIndexAt };

export function positionAt(lineStarts: ArrayLike<number>, offset: number): Position {
	return lineAndCharacterAt(lineStarts, offset);
}

export function rangeOf(lineStarts: ArrayLike<number>, span: Span): Range {
	return { start: positionAt(lineStarts, span.start), end: positionAt(lineStarts, span.end) };
}

/**
 * Appends to `json` the JSON of the LSP locations of `spans` in one document, in ASCII and each
 * after a comma unless `json` is empty: what `JSON.stringify` gives for `{ uri, range: rangeOf(lineStarts, span) }`.
 * A common name has a hundred thousand locations, so this writes bytes itself.
 */
export function writeLocationsJson(json: JsonBytes, uri: string, lineStarts: ArrayLike<number>, spans: readonly Span[]): void {
	if (spans.length === 0) return;
	// A file URI is percent-encoded ASCII, which JSON writes as it is between quotes.
	const uriJson = plainAscii.test(uri) ? `"${uri}"` : asciiJson(JSON.stringify(uri));
	const headLength = uriHead.length + uriJson.length + rangeHead.length;
	// The most one location takes: a comma, the head, four numbers of up to ten digits, and the rest.
	const most = 1 + headLength + 4 * 10 + characterKey.length * 2 + endKey.length + 3;
	const data = json.room(most * spans.length);
	let at = json.size;
	if (at > 0) data[at++] = 0x2c;
	// The head is written once; the document's other locations copy it from there.
	const headAt = at;
	at = copyBytes(data, at, uriHead);
	at += data.write(uriJson, at, 'latin1');
	at = copyBytes(data, at, rangeHead);
	for (let index = 0; index < spans.length; index++) {
		const { start, end } = spans[index]!;
		if (index > 0) {
			data[at++] = 0x2c;
			data.copyWithin(at, headAt, headAt + headLength);
			at += headLength;
		}
		const startLine = lineIndexAt(lineStarts, start);
		at = writeInteger(data, at, startLine);
		at = copyBytes(data, at, characterKey);
		at = writeInteger(data, at, start - lineStarts[startLine]!);
		at = copyBytes(data, at, endKey);
		const endLine = lineIndexAt(lineStarts, end);
		at = writeInteger(data, at, endLine);
		at = copyBytes(data, at, characterKey);
		at = writeInteger(data, at, end - lineStarts[endLine]!);
		data[at++] = 0x7d;
		data[at++] = 0x7d;
		data[at++] = 0x7d;
	}
	json.advance(at);
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
