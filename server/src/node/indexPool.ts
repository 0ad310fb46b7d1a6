// A small pool of index worker threads. The server hands it batches of files; each batch goes
// to the worker with the least work queued, and comes back as compact records. A worker also
// walks a workspace folder when asked. When workers
// cannot run (no dist/indexWorker.js beside the server, a worker that dies), batches are
// analysed on the calling thread instead, so indexing is slower but never stops.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { Glossary } from '../core/glossary';
import type { Lexicon } from '../core/recognizer';
import { findFilesWithStamps, unpackFoundFiles, type FoundFiles, type PackedFoundFiles } from './files';
import { indexFiles, type FileToIndex, type IndexedFile } from './indexing';

export type WorkerRequest =
	| { readonly kind: 'glossary'; readonly glossary: Glossary }
	| { readonly kind: 'analyze'; readonly id: number; readonly files: readonly FileToIndex[]; readonly maximumBytes: number }
	| { readonly kind: 'find'; readonly id: number; readonly folder: string; readonly include: readonly string[]; readonly exclude: readonly string[] };

export type WorkerReply =
	| { readonly id: number; readonly results: IndexedFile[] }
	| { readonly id: number; readonly found: PackedFoundFiles }
	| { readonly id: number; readonly error: string };

interface Job {
	readonly resolve: (reply: WorkerReply) => void;
	readonly reject: (error: Error) => void;
}

interface PoolWorker {
	readonly worker: Worker;
	readonly jobs: Map<number, Job>;
	/** The glossary last sent to it. */
	glossary?: Glossary;
}

/**
 * How every index worker is started. The server's stdout carries the protocol, so a worker's
 * output is piped to the server, which logs it; a small young generation, since a worker's
 * garbage is a batch's and the default lets each worker's heap grow by tens of megabytes for nothing.
 */
const indexWorkerOptions: WorkerOptions = { stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } };

export class IndexPool {
	private readonly workers: PoolWorker[] = [];
	private glossary: Glossary | undefined;
	private nextId = 1;
	private disabled = false;

	/**
	 * @param workerPath the bundled worker script; when it does not exist, every batch runs in-thread.
	 * @param size how many workers; by default one per core, at most four.
	 * @param log where worker failures are reported.
	 */
	constructor(
		private readonly workerPath: string,
		private readonly log: (message: string) => void,
		private readonly size = Math.max(1, Math.min(availableParallelism(), 4)),
	) {
		this.disabled = !existsSync(workerPath);
	}

	get workerCount(): number {
		return this.disabled ? 0 : this.size;
	}

	/** How many worker threads are running now (they start with the first batch after a release). */
	get runningWorkers(): number {
		return this.workers.length;
	}

	/**
	 * The glossary later batches are analysed with; sent to a worker with its next batch, not
	 * before: copying it to a worker that only walks folders (a warm start) costs the server's
	 * thread tens of milliseconds for nothing.
	 */
	setGlossary(glossary: Glossary): void {
		this.glossary = glossary;
	}

	/** Reads and analyses `files`; `lexicon` is the calling thread's, used when no worker can take the batch. */
	async analyze(files: readonly FileToIndex[], maximumBytes: number, lexicon: Lexicon): Promise<IndexedFile[]> {
		const reply = await this.run((id) => ({ kind: 'analyze', id, files, maximumBytes }), 'analysing the batch');
		return reply && 'results' in reply ? reply.results : indexFiles(files, lexicon, maximumBytes);
	}

	/** The files under `folder` the globs take, with their stamps (`findFilesWithStamps`), found in a worker when one can run. */
	async findFiles(folder: string, include: readonly string[], exclude: readonly string[]): Promise<FoundFiles> {
		const reply = await this.run((id) => ({ kind: 'find', id, folder, include, exclude }), 'finding the files');
		return reply && 'found' in reply ? unpackFoundFiles(reply.found) : findFilesWithStamps(folder, include, exclude);
	}

	/** Sends a request to the least busy worker; undefined when none can take it or it failed (logged), so the caller does the work itself. */
	private async run(request: (id: number) => WorkerRequest, what: string): Promise<WorkerReply | undefined> {
		const worker = this.disabled ? undefined : this.leastBusy();
		if (!worker) return undefined;
		const id = this.nextId++;
		const message = request(id);
		// Only a batch to analyse needs the glossary.
		if (message.kind === 'analyze' && this.glossary && worker.glossary !== this.glossary) {
			worker.worker.postMessage({ kind: 'glossary', glossary: this.glossary } satisfies WorkerRequest);
			worker.glossary = this.glossary;
		}
		try {
			return await new Promise<WorkerReply>((resolve, reject) => {
				worker.jobs.set(id, { resolve, reject });
				worker.worker.postMessage(message);
			});
		} catch (error) {
			this.log(`An index worker failed (${error instanceof Error ? error.message : String(error)}); ${what} on the main thread.`);
			return undefined;
		}
	}

	/**
	 * Stops the workers that have nothing queued. An idle worker keeps its whole heap (tens of
	 * megabytes); the next batch starts a fresh one, so the server calls this once indexing settles.
	 */
	releaseIdle(): Promise<unknown> {
		const idle = this.workers.filter((entry) => entry.jobs.size === 0);
		for (const entry of idle) this.workers.splice(this.workers.indexOf(entry), 1);
		return Promise.all(idle.map(({ worker }) => worker.terminate()));
	}

	dispose(): Promise<unknown> {
		const workers = this.workers.splice(0);
		return Promise.all(workers.map(({ worker }) => worker.terminate()));
	}

	/** An idle worker, else a new one while there are fewer than `size`, else the least busy: threads start as work needs them. */
	private leastBusy(): PoolWorker | undefined {
		let best: PoolWorker | undefined;
		for (const candidate of this.workers) if (!best || candidate.jobs.size < best.jobs.size) best = candidate;
		if (best && best.jobs.size === 0) return best;
		if (this.workers.length < this.size) {
			const started = this.start();
			if (started) {
				this.workers.push(started);
				return started;
			}
		}
		return best;
	}

	private start(): PoolWorker | undefined {
		let worker: Worker;
		try {
			// Loaded when the first worker starts: a warm start with nothing changed starts none.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { Worker: WorkerThread } = require('node:worker_threads') as typeof import('node:worker_threads');
			worker = new WorkerThread(this.workerPath, indexWorkerOptions);
		} catch (error) {
			this.disabled = true;
			this.log(`Could not start an index worker (${String(error)}); indexing on the main thread.`);
			return undefined;
		}
		return this.adopt(worker);
	}

	private adopt(worker: Worker): PoolWorker {
		// Workers must not keep the server alive once the connection ends.
		worker.unref();
		worker.stdout.on('data', (chunk: Buffer) => this.log(`index worker: ${chunk.toString().trimEnd()}`));
		worker.stderr.on('data', (chunk: Buffer) => this.log(`index worker: ${chunk.toString().trimEnd()}`));
		const entry: PoolWorker = { worker, jobs: new Map() };
		worker.on('message', (reply: WorkerReply) => {
			const job = entry.jobs.get(reply.id);
			if (!job) return;
			entry.jobs.delete(reply.id);
			if ('error' in reply) job.reject(new Error(reply.error));
			else job.resolve(reply);
		});
		const fail = (error: Error) => {
			const index = this.workers.indexOf(entry);
			if (index !== -1) this.workers.splice(index, 1);
			for (const job of entry.jobs.values()) job.reject(error);
			entry.jobs.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`the worker exited with code ${code}`)));
		return entry;
	}
}
