// The server's side of a stream transport (stdio): JSON-RPC messages written as ASCII JSON
// through one reused buffer. A diagnostics answer for a long draft is a megabyte of JSON; made
// by `JSON.stringify` and encoded to UTF-8 it costs a fresh string and a fresh buffer of that
// size on every keystroke, and the client then decodes UTF-8 again. Here a value can carry its
// JSON already made (`serializeAs`: the diagnostics keep theirs from one version to the next),
// characters past ASCII are written as `\uXXXX` escapes (the same JSON values, so every client
// reads the same message, and decoding pure ASCII is the fast case), and the bytes go into a
// buffer that is reused once the stream has taken the previous message.
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/**
 * A value's JSON in pieces: `head`, then either the `items` separated by commas or the `body`,
 * then `tail`; all ASCII. `body`, bytes made beforehand (`JsonBytes`), is handed to the stream as
 * it is, and `release` is called once the stream has taken it.
 */
export interface JsonPieces {
	readonly head: string;
	readonly items: readonly string[];
	readonly body?: Uint8Array;
	readonly release?: () => void;
	readonly tail: string;
}

const serializers = new WeakMap<object, () => JsonPieces>();

/** Gives `value` its JSON, made when the message holding it is written. It must be what `JSON.stringify(value)` gives, in ASCII. */
export function serializeAs(value: object, pieces: () => JsonPieces): void {
	serializers.set(value, pieces);
}

/**
 * `serializeAs` for an object whose last property is an array with its items' JSON made:
 * the rest of the object is serialized as usual.
 */
export function serializeWithItems<T extends object>(value: T, key: keyof T & string, items: () => readonly string[]): T {
	serializeAs(value, () => {
		const empty = asciiJson(JSON.stringify({ ...value, [key]: [] }));
		const ending = `${JSON.stringify(key)}:[]}`;
		if (!empty.endsWith(ending)) throw new Error(`serializeWithItems: "${key}" is not the last property of the value.`);
		return { head: empty.slice(0, -2), items: items(), tail: ']}' };
	});
	return value;
}

/**
 * A JSON array whose elements' JSON, comma-separated, was written into `json` beforehand:
 * `JsonStreamWriter` hands the bytes to the stream as they are, and any other writer, which calls
 * `toJSON`, gets the same array parsed back. `json` goes back to its pool once written.
 */
export function prebuiltArray<T>(json: JsonBytes): T[] {
	const value = Object.assign([] as T[], {
		toJSON: () => {
			const parsed = JSON.parse(`[${json.text()}]`) as T[];
			json.release();
			return parsed;
		},
	});
	serializeAs(value, () => ({ head: '[', items: [], body: json.bytes(), release: () => json.release(), tail: ']' }));
	return value;
}

/**
 * ASCII JSON written straight into bytes: for answers of tens of thousands of elements, whose
 * objects, or strings, would be made, kept until written and then copied, a few megabytes of
 * fresh memory each time. The bytes grow to the largest answer and are used again; `acquire`
 * hands out one that is not waiting to be written.
 */
export class JsonBytes {
	private static readonly pool: JsonBytes[] = [];
	private data = Buffer.allocUnsafeSlow(64 * 1024);
	/** A view of `data`, for a writer that copies four bytes at a time (`view`). */
	private dataView: DataView | undefined;
	private length = 0;

	static acquire(): JsonBytes {
		const json = JsonBytes.pool.pop() ?? new JsonBytes();
		json.length = 0;
		return json;
	}

	/** Gives the bytes back for another answer; at most two are kept. */
	release(): void {
		if (JsonBytes.pool.length < 2 && !JsonBytes.pool.includes(this)) JsonBytes.pool.push(this);
	}

	get size(): number {
		return this.length;
	}

	bytes(): Uint8Array {
		return this.data.subarray(0, this.length);
	}

	text(): string {
		return this.data.toString('latin1', 0, this.length);
	}

	private reserve(count: number): void {
		if (this.length + count <= this.data.length) return;
		const grown = Buffer.allocUnsafeSlow(Math.max(this.length + count, this.data.length * 2));
		this.data.copy(grown, 0, 0, this.length);
		this.data = grown;
		this.dataView = undefined;
	}

	/**
	 * For a writer of its own (many small pieces in a tight loop): the bytes, with room for
	 * `count` more after `size`; it writes there and then sets `size` with `advance`.
	 */
	room(count: number): Buffer {
		this.reserve(count);
		return this.data;
	}

	advance(size: number): void {
		this.length = size;
	}

	/** A view of the bytes `room` gives, made once per buffer. */
	view(): DataView {
		return (this.dataView ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.length));
	}
}

const nonAscii = /[\u0080-\uffff]/g;

/** JSON with every character past ASCII written as a `\uXXXX` escape: the same JSON value. */
export function asciiJson(json: string): string {
	nonAscii.lastIndex = 0;
	if (!nonAscii.test(json)) return json;
	return json.replace(nonAscii, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message's JSON in pieces, using the JSON its result was given (`serializeAs`), if any. */
export function encodeMessage(message: Message): JsonPieces {
	const response = message as { id?: unknown; result?: unknown; error?: unknown };
	const result = response.result;
	const serialize = 'id' in response && !('error' in response) && typeof result === 'object' && result !== null ? serializers.get(result) : undefined;
	if (!serialize) return { head: asciiJson(JSON.stringify(message)), items: [], tail: '' };
	// A response is `{"jsonrpc":"2.0","id":…,"result":…}`, in that order, as vscode-jsonrpc makes it.
	const pieces = serialize();
	return { ...pieces, head: `${asciiJson(JSON.stringify({ jsonrpc: message.jsonrpc, id: response.id })).slice(0, -1)},"result":${pieces.head}`, tail: `${pieces.tail}}` };
}

/** The largest buffer kept for the next message; a larger message gets a buffer of its own. */
const maximumKeptBytes = 16 * 1048576;

/** A message with items as last written: its items, the buffer holding it, and where each item starts there. */
interface WrittenItems {
	readonly items: readonly string[];
	readonly buffer: Buffer;
	readonly starts: Int32Array;
}

/** Writes messages to a stream with their `Content-Length` header, as JSON-RPC over stdio wants. */
export class JsonStreamWriter extends AbstractMessageWriter implements MessageWriter {
	private buffer = Buffer.allocUnsafeSlow(64 * 1024);
	/**
	 * Two buffers for messages with items, kept apart from other messages': the one holding the
	 * last such message stays as it is while the next is written into the other, which copies the
	 * runs of items the two share (the same strings at the same places) instead of encoding them again.
	 */
	private readonly itemBuffers: Array<Buffer | undefined> = [undefined, undefined];
	private lastItems: WrittenItems | undefined;
	/** The buffers the stream has not taken yet: they may not be written over. */
	private readonly inFlight = new Set<ArrayBufferLike>();
	private errorCount = 0;

	constructor(private readonly stream: NodeJS.WritableStream) {
		super();
		stream.on('error', (error: Error) => this.fireError(error));
		stream.on('close', () => this.fireClose());
	}

	write(message: Message): Promise<void> {
		let pieces: JsonPieces;
		let bytes: Buffer;
		try {
			pieces = encodeMessage(message);
			bytes = this.encode(pieces);
		} catch (error) {
			this.fireError(error, message, ++this.errorCount);
			return Promise.reject(error);
		}
		const buffer = bytes.buffer;
		this.inFlight.add(buffer);
		const { body, release } = pieces;
		return new Promise((resolve, reject) => {
			const done = (error?: Error | null) => {
				this.inFlight.delete(buffer);
				release?.();
				if (error) {
					this.fireError(error, message, ++this.errorCount);
					reject(error);
				} else resolve();
			};
			if (!body) return void this.stream.write(bytes, done);
			// The body goes to the stream as it is, between the header and head and the tail; the stream keeps the order.
			this.stream.write(bytes);
			this.stream.write(body);
			this.stream.write(Buffer.from(pieces.tail, 'latin1'), done);
		});
	}

	/** The header and the body, in a kept buffer when one is free and large enough; with a `body`, the header and head only (the body and tail are written after them). */
	private encode({ head, items, body, tail }: JsonPieces): Buffer {
		if (body && items.length) throw new Error('A message has either items or a body.');
		let bodyLength = head.length + tail.length + Math.max(0, items.length - 1) + (body?.length ?? 0);
		for (const item of items) bodyLength += item.length;
		const header = `Content-Length: ${bodyLength}\r\n\r\n`;
		// What goes into the buffer: with a body, the header and head only.
		const size = body ? header.length + head.length : header.length + bodyLength;
		const buffer = items.length === 0 ? this.plainBuffer(size) : this.itemBuffer(size);
		// Every piece is ASCII, so one character is one byte.
		let offset = buffer.write(header, 0, 'latin1');
		offset += buffer.write(head, offset, 'latin1');
		if (items.length > 0) {
			const previous = this.lastItems;
			const starts = new Int32Array(items.length);
			for (let index = 0; index < items.length;) {
				if (index > 0) buffer[offset++] = 0x2c;
				let end = index;
				if (previous !== undefined) while (end < items.length && end < previous.items.length && items[end] === previous.items[end]) end++;
				if (end > index) {
					// A run of items written last time at the same places: its bytes, commas between them included, are copied.
					const from = previous!.starts[index]!;
					const to = previous!.starts[end - 1]! + items[end - 1]!.length;
					for (let position = index; position < end; position++) starts[position] = offset + previous!.starts[position]! - from;
					offset += previous!.buffer.copy(buffer, offset, from, to);
					index = end;
				} else {
					starts[index] = offset;
					offset += buffer.write(items[index]!, offset, 'latin1');
					index++;
				}
			}
			this.lastItems = { items, buffer, starts };
		}
		if (!body) offset += buffer.write(tail, offset, 'latin1');
		return buffer.subarray(0, offset);
	}

	/** A buffer for a message without items: the kept one when the stream has taken it. */
	private plainBuffer(size: number): Buffer {
		if (!this.inFlight.has(this.buffer.buffer) && this.buffer.length >= size) return this.buffer;
		const buffer = Buffer.allocUnsafeSlow(Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(size))));
		if (buffer.length <= maximumKeptBytes) this.buffer = buffer;
		return buffer;
	}

	/** A buffer for a message with items: not the one holding the last such message, nor one the stream still has. */
	private itemBuffer(size: number): Buffer {
		for (let slot = 0; slot < this.itemBuffers.length; slot++) {
			const buffer = this.itemBuffers[slot];
			if (buffer !== undefined && buffer !== this.lastItems?.buffer && !this.inFlight.has(buffer.buffer) && buffer.length >= size) return buffer;
		}
		const buffer = Buffer.allocUnsafeSlow(Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(size))));
		if (buffer.length <= maximumKeptBytes) {
			// Into the slot that does not hold the last message.
			const slot = this.itemBuffers[0] !== undefined && this.itemBuffers[0] === this.lastItems?.buffer ? 1 : 0;
			this.itemBuffers[slot] = buffer;
		}
		return buffer;
	}

	end(): void {
		this.stream.end();
	}
}

/** Writes a non-negative integer below 2^31 in decimal at `at`; returns where it ends. */
export function writeInteger(data: Uint8Array, at: number, value: number): number {
	let digits = 1;
	for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
	let position = at + digits;
	while (value >= 10) {
		const quotient = (value / 10) | 0;
		data[--position] = 48 + value - quotient * 10;
		value = quotient;
	}
	data[--position] = 48 + value;
	return at + digits;
}
