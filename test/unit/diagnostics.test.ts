// The diagnostics path at the protocol boundary: `DiagnosticCache` (server/src/lsp/checking.ts)
// reuses diagnostics from one version of a draft to the next and must always answer what a fresh
// conversion gives; the stdio writer (server/src/lsp/messageWriter.ts) writes ASCII JSON that
// reads back as the very message, kept JSON included, through one reused buffer.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, StreamMessageReader, type Diagnostic, type Message, type ResponseMessage } from 'vscode-languageserver/node';
import { checkDocument, type CheckContext } from '../../server/src/core/checks';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { findingsMoveOf, IncrementalAnalysis } from '../../server/src/core/incremental';
import { createResolver } from '../../server/src/core/resolver';
import { DiagnosticCache, toDiagnostic } from '../../server/src/lsp/checking';
import { LocationHeads, rangeOf, writeLocationsJson } from '../../server/src/lsp/convert';
import { asciiJson, encodeMessage, JsonBytes, JsonStreamWriter, prebuiltArray, serializeWithItems, writeInteger } from '../../server/src/lsp/messageWriter';
import { createRandom } from '../../bench/random';
import { shippedLexicon } from '../support/shippedGlossary';

const lexicon = shippedLexicon();

/** A draft with findings of most kinds, some of them on one line, and Japanese in names and messages. */
function draft(paragraphs: number): string {
	const lines = [
		'NASA and JAXA met. The XQZ team reported. NASDA was there too.',
		'The Japan Aerospace Exploration Agency (JAXA) spoke. Later the Japan Aerospace Exploration Agency spoke again.',
		'The National Space Development Agency of Japan (NASDA) met the low-earth orbit group; low Earth orbit it is.',
		'宇宙開発事業団（NASDA）は説明した。NASDAは準備した。',
		'Drafters cited Article XII of the Outer Space Treaty. Both sides noted progress.',
		'<!-- policy-lens-disable-next-line acronym.nonsense -->\nThe ZZQ panel met.',
	];
	return Array.from({ length: paragraphs }, (_, index) => lines[index % lines.length]).join('\n\n') + '\n';
}

describe('DiagnosticCache: reused diagnostics are the ones a fresh conversion gives', () => {
	test('over random edits of a draft', () => {
		const random = createRandom(31);
		const index = new CorpusIndex();
		const context: CheckContext = { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } };
		const uri = 'file:///drafts/cache.md';
		const incremental = new IncrementalAnalysis(uri);
		const cache = new DiagnosticCache();
		let text = draft(60);
		let previous: string | undefined;
		let reused = 0;
		let lastDiagnostics = new Set<Diagnostic>();
		for (let step = 0; step < 80; step++) {
			if (step > 0) {
				const at = random.int(0, text.length);
				const removed = random.chance(0.3) ? random.int(1, 4) : 0;
				text = text.slice(0, at) + (removed ? '' : random.pick(['x', ' ', '\n', 'JAXA ', 'NASDA ', 'Japan Aerospace Exploration Agency (JAXA) ', '宇宙'])) + text.slice(at + removed);
			}
			const analysis = incremental.analyze(text, lexicon, step);
			index.set(analysis);
			const result = incremental.check(text, analysis, 'markdown', context);
			const full = checkDocument(text, analysis, 'markdown', context);
			const expected = [
				...full.findings.map((finding) => toDiagnostic(finding, analysis.lineStarts)),
				...full.directiveProblems.map((problem) => ({ range: rangeOf(analysis.lineStarts, problem.span), severity: DiagnosticSeverity.Warning, source: 'policy-lens', code: 'suppression.invalid', message: problem.message })),
			];
			const before = cache.convert(result, analysis.lineStarts, findingsMoveOf(result));
			assert.deepStrictEqual(before.diagnostics, expected, `diagnostics differ at step ${step}`);
			const json = before.json();
			assert.deepStrictEqual(json.map((item) => JSON.parse(item)), expected, `JSON differs at step ${step}`);
			assert.ok(json.every((item) => /^[\x20-\x7e]*$/.test(item)), 'the JSON is ASCII');
			const serialized = JSON.stringify(before.diagnostics);
			assert.equal(before.same, serialized === previous, `"same" is wrong at step ${step}`);
			previous = serialized;
			// Converting the same result again reuses every diagnostic.
			const again = cache.convert(result, analysis.lineStarts);
			assert.ok(again.same && again.diagnostics.every((diagnostic, position) => diagnostic === before.diagnostics[position]));
			reused += before.diagnostics.filter((diagnostic) => lastDiagnostics.has(diagnostic)).length;
			lastDiagnostics = new Set(before.diagnostics);
		}
		assert.ok(reused > 1000, `diagnostics were reused (${reused} times)`);
	});

	test('typing in prose, each keystroke moving the findings, converts only those after it on its line', () => {
		const random = createRandom(32);
		const index = new CorpusIndex();
		const resolver = createResolver(() => lexicon, index);
		const uri = 'file:///drafts/typing.md';
		const incremental = new IncrementalAnalysis(uri);
		const cache = new DiagnosticCache();
		let text = draft(60);
		let movedSteps = 0;
		let typed: number | undefined;
		// More keystrokes than the changes that wait before findings are moved through them.
		for (let step = 0; step < 150; step++) {
			if (typed !== undefined) {
				// The letter typed before goes again.
				text = text.slice(0, typed) + text.slice(typed + 1);
				typed = undefined;
			} else if (step > 0) {
				// A letter before a word, after a sentence's end: no name or definition changes.
				const sentenceEnds = [...text.matchAll(/\. (?=[A-Z])/g)].map((match) => match.index + 2);
				typed = random.pick(sentenceEnds);
				text = `${text.slice(0, typed)}x${text.slice(typed)}`;
			}
			const analysis = incremental.analyze(text, lexicon, step);
			index.set(analysis);
			const context: CheckContext = { lexicon, resolver, options: { today: '2025-01-01' }, resolution: index.resolutionGeneration };
			const result = incremental.check(text, analysis, 'markdown', context);
			const move = findingsMoveOf(result);
			if (move) movedSteps++;
			const converted = cache.convert(result, analysis.lineStarts, move);
			const full = checkDocument(text, analysis, 'markdown', context);
			const expected = [
				...full.findings.map((finding) => toDiagnostic(finding, analysis.lineStarts)),
				...full.directiveProblems.map((problem) => ({ range: rangeOf(analysis.lineStarts, problem.span), severity: DiagnosticSeverity.Warning, source: 'policy-lens', code: 'suppression.invalid', message: problem.message })),
			];
			assert.deepStrictEqual(converted.diagnostics, expected, `diagnostics differ at step ${step}`);
			// The findings, moved when read, are the ones a full check finds.
			if (step % 10 === 9) assert.deepStrictEqual(result.findings, full.findings, `findings differ at step ${step}`);
		}
		assert.ok(movedSteps > 100, `most keystrokes moved the findings (${movedSteps})`);
	});
});

describe('the stdio writer', () => {
	test('ASCII JSON is the same JSON value', () => {
		const value = { message: '"宇宙開発事業団" — 😀 é \u2028', list: ['naïve'] };
		const json = asciiJson(JSON.stringify(value));
		assert.match(json, /^[\x20-\x7e]*$/);
		assert.deepStrictEqual(JSON.parse(json), value);
		assert.equal(asciiJson('{"plain":1}'), '{"plain":1}');
	});

	test('a response whose result carries its items\' JSON is written as JSON.stringify would write it', () => {
		const items = [{ message: 'first' }, { message: '二番目' }];
		const report = serializeWithItems({ kind: 'full', resultId: 'r1', items }, 'items', () => items.map((item) => asciiJson(JSON.stringify(item))));
		const message: ResponseMessage = { jsonrpc: '2.0', id: 7, result: report };
		const { head, items: written, tail } = encodeMessage(message);
		assert.equal(`${head}${written.join(',')}${tail}`, asciiJson(JSON.stringify(message)));
		const empty = serializeWithItems({ kind: 'full', resultId: 'r2', items: [] }, 'items', () => []);
		const emptyPieces = encodeMessage({ jsonrpc: '2.0', id: 'x', result: empty } as ResponseMessage);
		assert.equal(`${emptyPieces.head}${emptyPieces.items.join(',')}${emptyPieces.tail}`, JSON.stringify({ jsonrpc: '2.0', id: 'x', result: empty }));
		// An error response never uses a result's JSON.
		const error = { jsonrpc: '2.0', id: 8, error: { code: 1, message: 'no' } } as Message;
		assert.equal(encodeMessage(error).head, JSON.stringify(error));
	});

	test('locations made as JSON, document by document, are the locations JSON.stringify writes, for this writer and any other', () => {
		const lineStarts = [0, 10, 25, 26, 40];
		const spans = [{ start: 0, end: 4 }, { start: 12, end: 20 }, { start: 25, end: 25 }, { start: 30, end: 44 }];
		const documents = [
			{ uri: 'file:///corpus/%E5%AE%87%E5%AE%99.txt', spans },
			{ uri: 'file:///drafts/言葉 "quoted".md', spans: spans.slice(1, 2) },
		];
		const objects = documents.flatMap(({ uri, spans: own }) => own.map((span) => ({ uri, range: rangeOf(lineStarts, span) })));
		// Spans as numbers in place (start, end and one more number each), with the line starts further on in a longer column.
		const lineColumn = Int32Array.from([7, 7, ...lineStarts, 99]);
		const heads = new LocationHeads();
		const answer = () => {
			const json = JsonBytes.acquire();
			documents.forEach(({ uri, spans: own }, id) => {
				const numbers = Int32Array.from([5, ...own.flatMap(({ start, end }) => [start, end, 0])]);
				writeLocationsJson(json, heads, { document: { uri }, id, lineStarts: lineColumn, lineFrom: 2, lineTo: 2 + lineStarts.length, spans: numbers, from: 1, to: numbers.length, stride: 3 });
			});
			return json;
		};
		// The second answer takes the documents' heads made by the first, and says the same.
		const first = answer().text();
		const json = answer();
		assert.equal(json.text(), first);
		const result = prebuiltArray(json);
		const message: ResponseMessage = { jsonrpc: '2.0', id: 3, result };
		const { head, items, body, tail } = encodeMessage(message);
		assert.deepEqual(items, []);
		const written = `${head}${Buffer.from(body!).toString('latin1')}${tail}`;
		assert.match(written, /^[\x20-\x7e]*$/);
		assert.equal(written, asciiJson(JSON.stringify({ jsonrpc: '2.0', id: 3, result: objects })));
		// A writer that serializes the message itself (IPC, sockets) gets the same array.
		assert.deepStrictEqual(JSON.parse(JSON.stringify(message)), { jsonrpc: '2.0', id: 3, result: objects });
		assert.equal(JSON.stringify(prebuiltArray(JsonBytes.acquire())), '[]');
		for (const value of [0, 7, 9, 10, 99, 100, 12345, 1000000, 2147483647]) {
			const bytes = new Uint8Array(12).fill(0x20);
			const end = writeInteger(bytes, 1, value);
			assert.equal(Buffer.from(bytes.subarray(1, end)).toString('latin1'), String(value));
		}
	});

	test('locations in a long document, spans on one line, across lines and lines apart, are at the lines rangeOf finds', () => {
		const random = createRandom(11);
		const lineStarts = [0];
		for (let line = 1; line < 400; line++) lineStarts.push(lineStarts[line - 1]! + random.int(1, 60));
		const textEnd = lineStarts[lineStarts.length - 1]! + 30;
		// Sorted spans that do not overlap: some close together on a line, some hundreds of lines apart, some crossing line starts, one at the very end.
		const spans: Array<{ start: number; end: number }> = [];
		for (let start = 0; start < textEnd - 20; ) {
			start += random.chance(0.05) ? random.int(200, 3000) : random.int(0, 40);
			const end = Math.min(textEnd, start + random.int(0, 120));
			if (start >= textEnd) break;
			spans.push({ start, end });
			start = end;
		}
		spans.push({ start: textEnd, end: textEnd });
		assert.ok(spans.length > 50, `only ${spans.length} spans`);
		const json = JsonBytes.acquire();
		const numbers = Int32Array.from(spans.flatMap(({ start, end }) => [start, end, 1, 2]));
		writeLocationsJson(json, new LocationHeads(), { document: { uri: 'file:///long.txt' }, id: 0, lineStarts: Int32Array.from(lineStarts), lineFrom: 0, lineTo: lineStarts.length, spans: numbers, from: 0, to: numbers.length, stride: 4 });
		assert.equal(`[${json.text()}]`, JSON.stringify(spans.map((span) => ({ uri: 'file:///long.txt', range: rangeOf(lineStarts, span) }))));
		json.release();
	});

	test('location heads of thousands of documents, made as they come and kept, are each its own URI', () => {
		const heads = new LocationHeads();
		const lineStarts = Int32Array.from([0, 5]);
		const spans = Int32Array.from([1, 2, 6, 8]);
		const uriOf = (id: number) => `file:///corpus/${'deep/'.repeat(id % 7)}statement-${id}${id % 5 === 0 ? ' "é"' : ''}.txt`;
		// Document numbers far past the first room, in no order, and heads that outgrow their first bytes; each asked twice.
		const ids = [3, 4000, 1, 1023, 1024, 2500, ...Array.from({ length: 1200 }, (_, index) => (index * 7919) % 5000)];
		for (const round of [1, 2]) {
			for (const id of ids) {
				const json = JsonBytes.acquire();
				writeLocationsJson(json, heads, { document: { uri: round === 1 ? uriOf(id) : 'not read again' }, id, lineStarts, lineFrom: 0, lineTo: 2, spans, from: 0, to: 4, stride: 2 });
				const expected = [{ start: 1, end: 2 }, { start: 6, end: 8 }].map((span) => ({ uri: uriOf(id), range: rangeOf(lineStarts, span) }));
				assert.equal(`[${json.text()}]`, asciiJson(JSON.stringify(expected)), `document ${id}, round ${round}`);
				json.release();
			}
		}
	});

	test('location heads made beforehand, a slice at a time in the table\'s order, are the ones an answer would make, and heads already made stay', () => {
		const uriOf = (id: number) => `file:///corpus/statement-${id}${id % 3 === 0 ? ' "é"' : ''}.txt`;
		const lineStarts = Int32Array.from([0, 5]);
		const spans = Int32Array.from([1, 2]);
		const heads = new LocationHeads();
		// One head made by an answer first, under a URI the steps below do not give: it is kept.
		const early = JsonBytes.acquire();
		writeLocationsJson(early, heads, { document: { uri: uriOf(42) }, id: 42, lineStarts, lineFrom: 0, lineTo: 2, spans, from: 0, to: 2, stride: 2 });
		early.release();
		const ids = Int32Array.from(Array.from({ length: 5000 }, (_, rank) => (rank * 7919) % 5000));
		const documents = Array.from(ids, (id) => ({ uri: id === 42 ? 'not read' : uriOf(id) }));
		let slices = 0;
		for (const _ of heads.steps(documents, ids, 1000)) slices++;
		assert.equal(slices, 5);
		for (const id of [0, 1, 42, 999, 4999]) {
			const json = JsonBytes.acquire();
			// The URI is read only to make a head: a document with one is written from it.
			writeLocationsJson(json, heads, { document: { uri: 'not read either' }, id, lineStarts, lineFrom: 0, lineTo: 2, spans, from: 0, to: 2, stride: 2 });
			assert.equal(json.text(), asciiJson(JSON.stringify({ uri: uriOf(id), range: rangeOf(lineStarts, { start: 1, end: 2 }) })), `document ${id}`);
			json.release();
		}
	});

	test('one answer of thousands of documents, whose bytes grow many times while heads are copied in, is the JSON of its locations', () => {
		const heads = new LocationHeads();
		const lineStarts = Int32Array.from([0, 5, 9]);
		const spans = Int32Array.from([1, 2, 6, 8, 9, 12]);
		const uriOf = (id: number) => `file:///corpus/folder-${id % 13}/statement-${id}.txt`;
		const json = JsonBytes.acquire();
		const expected: unknown[] = [];
		for (let id = 0; id < 3000; id++) {
			writeLocationsJson(json, heads, { document: { uri: uriOf(id) }, id, lineStarts, lineFrom: 0, lineTo: 3, spans, from: 0, to: spans.length, stride: 2 });
			for (let at = 0; at < spans.length; at += 2) expected.push({ uri: uriOf(id), range: rangeOf(lineStarts, { start: spans[at]!, end: spans[at + 1]! }) });
		}
		assert.ok(json.size > 16 * 64 * 1024, `only ${json.size} bytes`);
		assert.equal(`[${json.text()}]`, JSON.stringify(expected));
		json.release();
	});

	test('a body of bytes reaches the stream whole, after its header and head and before its tail, and its bytes are then used again', async () => {
		const stream = new PassThrough();
		const writer = new JsonStreamWriter(stream);
		const reader = new StreamMessageReader(stream);
		const received: Message[] = [];
		reader.listen((message) => received.push(message));
		const sizes = [3, 70000, 0, 12];
		const written: unknown[][] = [];
		for (const [index, size] of sizes.entries()) {
			const json = JsonBytes.acquire();
			const elements = Array.from({ length: size }, (_, element) => ({ n: element * 7919, text: `é${index}` }));
			const text = elements.map((element) => asciiJson(JSON.stringify(element))).join(',');
			json.advance(json.room(text.length).write(text, 0, 'latin1'));
			written.push(elements);
			await writer.write({ jsonrpc: '2.0', id: index, result: prebuiltArray(json) } as ResponseMessage);
		}
		while (received.length < sizes.length) await new Promise((resolve) => setImmediate(resolve));
		assert.deepStrictEqual(received.map((message) => (message as ResponseMessage).result), written);
		// Each answer gave its bytes back once written: the next one took the same.
		const first = JsonBytes.acquire();
		first.release();
		assert.equal(JsonBytes.acquire(), first);
	});

	test('items shared with the message before are copied from it, and read back as written', async () => {
		// Each message keeps most items of the one before (the same strings at the same places) and
		// changes, adds or drops a few, as diagnostics do after a keystroke; plain messages come between,
		// and every other write is taken by the stream only later.
		const random = createRandom(33);
		const wire = new PassThrough();
		let delayed = false;
		const sometimesSlow = new Writable({
			write(chunk: Buffer, _encoding, done) {
				delayed = !delayed;
				// Copied, as a pipe copies what it takes: the writer may write over its buffer once it is taken.
				const pass = () => {
					wire.write(Buffer.from(chunk));
					done();
				};
				if (delayed) setImmediate(pass);
				else pass();
			},
		});
		const writer = new JsonStreamWriter(sometimesSlow);
		const reader = new StreamMessageReader(wire);
		const received: Message[] = [];
		const count = 60;
		const all = new Promise<void>((resolve) => reader.listen((message) => {
			received.push(message);
			if (received.length === count) resolve();
		}));
		const sent: Message[] = [];
		const writes: Array<Promise<void>> = [];
		let items = Array.from({ length: 300 }, (_, position) => asciiJson(JSON.stringify({ position, message: `第${position}項` })));
		for (let id = 0; id < count; id++) {
			if (id % 7 === 3) {
				const plain: ResponseMessage = { jsonrpc: '2.0', id, result: { kind: 'unchanged', resultId: `r${id}` } };
				sent.push(JSON.parse(JSON.stringify(plain)) as Message);
				writes.push(writer.write(plain));
				continue;
			}
			items = items.slice();
			for (let change = random.int(0, 3); change > 0; change--) {
				const at = random.int(0, items.length - 1);
				const item = asciiJson(JSON.stringify({ id, at, message: 'changed, and longer than any item before it' }));
				if (random.chance(0.2)) items.splice(at, 0, item);
				else if (random.chance(0.2)) items.splice(at, 1);
				else items[at] = item;
			}
			const written = items;
			const result = serializeWithItems({ kind: 'full', resultId: `r${id}`, items: written.map((item) => JSON.parse(item) as unknown) }, 'items', () => written);
			const message: ResponseMessage = { jsonrpc: '2.0', id, result };
			sent.push(JSON.parse(JSON.stringify(message)) as Message);
			writes.push(writer.write(message));
			if (id % 5 === 0) await Promise.all(writes);
		}
		await Promise.all(writes);
		await all;
		assert.deepStrictEqual(received, sent);
		reader.dispose();
	});

	test('messages written back to back, before the stream takes them, read back whole and in order', async () => {
		// A stream that takes each chunk only later, so the writer cannot reuse its buffer meanwhile.
		const wire = new PassThrough();
		const slow = new Writable({
			highWaterMark: 1,
			write(chunk: Buffer, _encoding, done) {
				setImmediate(() => {
					wire.write(chunk);
					done();
				});
			},
		});
		const writer = new JsonStreamWriter(slow);
		const reader = new StreamMessageReader(wire);
		const received: Message[] = [];
		const all = new Promise<void>((resolve) => reader.listen((message) => {
			received.push(message);
			if (received.length === 20) resolve();
		}));
		const sent: Message[] = [];
		const writes: Array<Promise<void>> = [];
		for (let id = 0; id < 20; id++) {
			const items = Array.from({ length: 1 + id * 37 }, (_, position) => ({ position, message: `${id}: ${'報告'.repeat(position % 5)}` }));
			const result = id % 2 ? serializeWithItems({ kind: 'full', items }, 'items', () => items.map((item) => asciiJson(JSON.stringify(item)))) : { kind: 'full', items };
			const message: ResponseMessage = { jsonrpc: '2.0', id, result };
			sent.push(JSON.parse(JSON.stringify(message)) as Message);
			writes.push(writer.write(message));
		}
		await Promise.all(writes);
		await all;
		assert.deepStrictEqual(received, sent);
		reader.dispose();
	});
});
