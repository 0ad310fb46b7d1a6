// The Markdown structure of drafts, worked out on a worker thread (dist/markdownWorker.js) while
// the calling thread does the rest: the CLI starts it as it starts, then reads the draft, builds
// the lexicon and analyses the draft, which take about as long. Without the bundle, or when the
// worker fails, the structure is worked out on the calling thread, with the same code. This
// module loads no Markdown code itself, so that the thread can start before any is loaded.
//
// When the calling thread has nothing left to do but wait (`MarkdownWork.finish`), it takes a
// share of the parse: it asks the worker for a split point, and parses the chunks from there
// while the worker parses those before it (see `parseMarkdownChunksBeforeSplit` in
// core/markdown.ts). The request and the worker's answer to it go through a shared word that
// the worker reads before each chunk, since a thread that is parsing handles no messages.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { MarkdownAnalysis, MarkdownChunk } from '../core/markdown';

export interface MarkdownRequest {
	readonly id: number;
	readonly text: string;
	/** Two 32-bit words shared with the calling thread: the split's state (`SplitState`) and its point. */
	readonly control: SharedArrayBuffer;
}

export type MarkdownReply =
	| { readonly id: number; readonly analysis: MarkdownAnalysis }
	/** The chunks before the split point; the calling thread parses the rest. */
	| { readonly id: number; readonly chunksBeforeSplit: MarkdownChunk[] }
	/** The split point the worker stops at, or null when it will parse the whole text. */
	| { readonly id: number; readonly splitAt: number | null }
	| { readonly id: number; readonly error: string };

/** The states of a request's split, in its shared word. */
export const SplitState = {
	/** The worker parses alone. */
	alone: 0,
	/** The calling thread waits for the analysis and asks for a split point. */
	wanted: 1,
	/** The worker stops at the split point (in the second word) and the calling thread parses from there. */
	split: 2,
	/** The worker parses the whole text after all: no split point, a chunk ran across it, or the parse is done. */
	whole: 3,
} as const;

/**
 * The share of the text after the worker's position that the worker keeps. It has compiled and
 * optimized the parser by then, and the calling thread has not: a cold parse of the 1 MB
 * benchmark draft's last 45% took 2.4 times the CPU time of the same part parsed warm.
 */
export const workerShare = 0.7;

/** What the calling thread does itself: the whole analysis when the worker cannot, and its share of a split one. */
export interface MarkdownHere {
	/** `analyzeMarkdownAndComments`. */
	readonly analyze: (text: string) => MarkdownAnalysis;
	/** `parseMarkdownChunks`. */
	readonly parseChunks: (text: string, from: number, goOn: () => boolean) => MarkdownChunk[];
	/** `analyzeMarkdownChunks`. */
	readonly analyzeChunks: (text: string, chunks: readonly MarkdownChunk[]) => MarkdownAnalysis;
}

/** An analysis under way. */
export interface MarkdownWork {
	/** The analysis; the calling thread parses a share of the text meanwhile, when the worker is still parsing. Never rejects. */
	finish(): Promise<MarkdownAnalysis>;
}

interface Job {
	readonly text: string;
	readonly here: MarkdownHere;
	readonly resolve: (analysis: MarkdownAnalysis) => void;
	/** Resolved with the worker's split point, or undefined when there will be none. */
	readonly answerSplit: (splitAt: number | undefined) => void;
	/** The chunks from the split point, once the calling thread has parsed them (undefined when it could not). */
	readonly chunksAfterSplit: Promise<MarkdownChunk[] | undefined>;
}

/** One worker thread that analyses the texts it is given in turn; it holds the process open only while it has work. */
export class MarkdownThread {
	private worker: Worker | undefined;
	private readonly pending = new Map<number, Job>();
	private nextId = 1;

	/** A thread running `workerPath`, the bundled worker script; undefined when there is no such file (running from source). */
	static start(workerPath: string): MarkdownThread | undefined {
		return existsSync(workerPath) ? new MarkdownThread(new Worker(workerPath)) : undefined;
	}

	private constructor(worker: Worker) {
		this.worker = worker;
		worker.unref();
		worker.on('message', (reply: MarkdownReply) => {
			const job = this.pending.get(reply.id);
			if (!job) return;
			if ('splitAt' in reply) {
				job.answerSplit(reply.splitAt ?? undefined);
				return;
			}
			this.pending.delete(reply.id);
			if (this.pending.size === 0) worker.unref();
			if ('analysis' in reply) job.resolve(reply.analysis);
			else if ('chunksBeforeSplit' in reply) void job.chunksAfterSplit.then((after) => job.resolve(after ? job.here.analyzeChunks(job.text, [...reply.chunksBeforeSplit, ...after]) : job.here.analyze(job.text)));
			else job.resolve(job.here.analyze(job.text));
		});
		const fail = () => {
			this.worker = undefined;
			for (const job of this.pending.values()) {
				job.answerSplit(undefined);
				job.resolve(job.here.analyze(job.text));
			}
			this.pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', fail);
	}

	/** Starts the analysis of `text` on the worker, or on this thread when the worker has failed. */
	analyze(text: string, here: MarkdownHere): MarkdownWork {
		const worker = this.worker;
		if (!worker) return { finish: () => Promise.resolve().then(() => here.analyze(text)) };
		const id = this.nextId++;
		const control = new Int32Array(new SharedArrayBuffer(8));
		let resolve!: (analysis: MarkdownAnalysis) => void;
		const result = new Promise<MarkdownAnalysis>((settle) => (resolve = settle));
		let answerSplit!: (splitAt: number | undefined) => void;
		const split = new Promise<number | undefined>((settle) => (answerSplit = settle));
		let setChunksAfterSplit!: (chunks: MarkdownChunk[] | undefined) => void;
		const chunksAfterSplit = new Promise<MarkdownChunk[] | undefined>((settle) => (setChunksAfterSplit = settle));
		this.pending.set(id, { text, here, resolve, answerSplit, chunksAfterSplit });
		if (this.pending.size === 1) worker.ref();
		worker.postMessage({ id, text, control: control.buffer as SharedArrayBuffer } satisfies MarkdownRequest);
		return {
			finish: async () => {
				// Once the worker has finished (or failed), there is nothing left to share.
				if (Atomics.compareExchange(control, 0, SplitState.alone, SplitState.wanted) !== SplitState.alone) return result;
				Atomics.notify(control, 0);
				const splitAt = await Promise.race([split, result.then(() => undefined)]);
				if (splitAt === undefined) return result;
				let after: MarkdownChunk[] | undefined;
				try {
					// The worker says when it parses the whole text after all, and this share is not wanted.
					after = here.parseChunks(text, splitAt, () => Atomics.load(control, 0) === SplitState.split);
				} catch {
					after = undefined;
				}
				setChunksAfterSplit(after);
				return result;
			},
		};
	}

	/** Stops the worker, once nothing more is wanted of it: analyses still under way are dropped, never to settle. */
	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = undefined;
		this.pending.clear();
		if (worker) await worker.terminate();
	}
}
