// The Markdown structure of drafts, worked out on a worker thread (dist/markdownWorker.js) while
// the calling thread does the rest: the CLI starts it as it starts, then reads the draft, builds
// the lexicon and analyses the draft, which take about as long. Without the bundle, or when the
// worker fails, the structure is worked out on the calling thread, with the same code. This
// module loads no Markdown code itself, so that the thread can start before any is loaded.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { AnalysisWithoutFrontMatter } from '../core/markdown';

/** What the worker is started with: a file it reads and analyses before any request comes, expecting to be asked for its text. */
export interface MarkdownWorkerData {
	readonly path?: string;
}

/**
 * A text to analyse; or, first, only the digest of a file's bytes (`markdownDigest`), which the
 * worker answers with the analysis of the file it read itself when that file's bytes have the
 * same digest, so that the text is not sent again, or asks for the text (`needsText`).
 */
export type MarkdownRequest = { readonly id: number; readonly text: string } | { readonly id: number; readonly digest: string };

export type MarkdownReply =
	| { readonly id: number; readonly analysis: AnalysisWithoutFrontMatter }
	| { readonly id: number; readonly needsText: true }
	| { readonly id: number; readonly error: string };

/** The digest by which the worker tells that the calling thread read the same bytes as it did. */
export function markdownDigest(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('base64');
}

/** The analysis on the calling thread (`analyzeMarkdownLeavingFrontMatter`), for when the worker cannot give it. */
export type AnalyzeHere = (text: string) => AnalysisWithoutFrontMatter;

interface Job {
	readonly text: string;
	readonly analyzeHere: AnalyzeHere;
	readonly resolve: (analysis: AnalysisWithoutFrontMatter) => void;
}

/**
 * A small young generation. micromark makes a great deal of short-lived garbage, and V8's own
 * sizing let the worker's young generation grow to tens of megabytes, each fresh page of it costing
 * a page fault: checking the 1 MB draft of the benchmark took about 4% less time from start to
 * exit at 2 to 6 MB (eight to twelve runs each way, taken in turns, at 1, 2, 3, 4, 6 and 12 MB,
 * within noise of each other), with the same output; 4 MB scavenged half as often as 2 MB.
 */
const markdownWorkerLimits = { maxYoungGenerationSizeMb: 4 };

/** One worker thread that analyses the texts it is given in turn; it holds the process open only while it has work. */
export class MarkdownThread {
	private worker: Worker | undefined;
	private readonly pending = new Map<number, Job>();
	private nextId = 1;

	/**
	 * A thread running `workerPath`, the bundled worker script; undefined when there is no such
	 * file (running from source). Given `prefetchPath`, the worker reads and analyses that file
	 * as soon as it has loaded, so that the analysis of its text is under way, or done, when it
	 * is asked for; any other text is analysed when it comes.
	 */
	static start(workerPath: string, prefetchPath?: string): MarkdownThread | undefined {
		if (!existsSync(workerPath)) return undefined;
		const workerData: MarkdownWorkerData = prefetchPath === undefined ? {} : { path: prefetchPath };
		return new MarkdownThread(new Worker(workerPath, { workerData, resourceLimits: markdownWorkerLimits }));
	}

	private constructor(worker: Worker) {
		this.worker = worker;
		worker.unref();
		worker.on('message', (reply: MarkdownReply) => {
			const job = this.pending.get(reply.id);
			if (!job) return;
			if ('needsText' in reply) {
				worker.postMessage({ id: reply.id, text: job.text } satisfies MarkdownRequest);
				return;
			}
			this.pending.delete(reply.id);
			if (this.pending.size === 0) worker.unref();
			job.resolve('analysis' in reply ? reply.analysis : job.analyzeHere(job.text));
		});
		const fail = () => {
			this.worker = undefined;
			for (const job of this.pending.values()) job.resolve(job.analyzeHere(job.text));
			this.pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', fail);
	}

	/**
	 * The analysis of `text`, from the worker, or from `analyzeHere` when the worker has failed;
	 * never rejects. Given the digest of the bytes `text` was decoded from (UTF-8, a byte-order
	 * mark dropped), the worker is sent the digest first, and the text only if it read other bytes.
	 */
	analyze(text: string, analyzeHere: AnalyzeHere, digest?: string): Promise<AnalysisWithoutFrontMatter> {
		const worker = this.worker;
		if (!worker) return Promise.resolve().then(() => analyzeHere(text));
		const id = this.nextId++;
		return new Promise((resolve) => {
			this.pending.set(id, { text, analyzeHere, resolve });
			if (this.pending.size === 1) worker.ref();
			worker.postMessage((digest === undefined ? { id, text } : { id, digest }) satisfies MarkdownRequest);
		});
	}

	/** Stops the worker, once nothing more is wanted of it: analyses still under way are dropped, never to settle. */
	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = undefined;
		this.pending.clear();
		if (worker) await worker.terminate();
	}
}
