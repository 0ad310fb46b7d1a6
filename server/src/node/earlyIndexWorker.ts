// The first index worker thread, started by the server's launcher (launch.ts) before it loads the
// server itself: a thread takes a good part of a warm start to boot, and the start's first job for
// it (walking the workspace folders) is asked for as the initialize request is answered. This
// module imports nothing but worker_threads, so the launcher stays small.
import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * How every index worker is started. The server's stdout carries the protocol, so a worker's
 * output is piped to the server, which logs it; a small young generation, since a worker's
 * garbage is a batch's and the default lets each worker's heap grow by tens of megabytes for nothing.
 */
export const indexWorkerOptions: WorkerOptions = { stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } };

/** Where the launcher leaves the thread for the server: they are separate bundles, so module state is not shared. */
const earlyWorkerKey = Symbol.for('policy-lens.earlyIndexWorker');
const registry = globalThis as typeof globalThis & { [earlyWorkerKey]?: { readonly path: string; readonly worker: Worker } };

/** Starts a worker running `path`, unless indexing in workers is turned off or there is no such bundle. */
export function startEarlyIndexWorker(path: string): void {
	if (process.env.POLICY_LENS_INDEX_WORKERS === '0' || !existsSync(path)) return;
	try {
		const worker = new Worker(path, indexWorkerOptions);
		// It must not keep the server alive if the server never takes it.
		worker.unref();
		registry[earlyWorkerKey] = { path, worker };
	} catch {
		// The pool starts its own, and reports why if it cannot.
	}
}

/** The worker the launcher started for `path`, once. */
export function takeEarlyIndexWorker(path: string): Worker | undefined {
	const early = registry[earlyWorkerKey];
	delete registry[earlyWorkerKey];
	if (early && early.path !== path) {
		void early.worker.terminate();
		return undefined;
	}
	return early?.worker;
}
