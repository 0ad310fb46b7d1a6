// Child processes of the benchmark: every one is tracked so an error, Ctrl-C or a deadline never
// leaves a server or a reference tool running, and whole-process runs are timed the same way
// for our CLI and for the tools we compare against.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { serverEnvironment, variablesLeftOut as serverLeavesOut } from '../client/src/serverEnvironment';

const children = new Set<ChildProcess>();

function killAll(): void {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		process.stderr.write(`bench: stopped by ${signal}; ending the processes it started.\n`);
		killAll();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	});
}

/** Whether measured processes get the harness's environment as it is (`--keep-environment`). */
let keepingEnvironment = false;

export function keepEnvironment(): void {
	keepingEnvironment = true;
}

/** The variables of this environment that measured processes do not get. */
export function variablesLeftOut(base: NodeJS.ProcessEnv = process.env): string[] {
	return keepingEnvironment ? [] : serverLeavesOut.filter((name) => base[name] !== undefined);
}

/**
 * The environment every measured process runs in: the harness's own, less what our VS Code client
 * leaves out of the server's (`serverEnvironment`: `NODE_EXTRA_CA_CERTS`). Node reads and parses
 * that file of certificates as it starts, before any of the program's code, whether or not the
 * program ever opens a TLS connection; none of the measured tools does. The machines it was
 * developed on set it for their network proxy, and there every Node process start took about
 * 45 ms longer (`node -e ''`: 90 ms instead of 50). It is left out for every tool alike (the
 * server, the null server, the CLI, textlint and cspell), so the figures are the tools' own and not
 * the machine's proxy setting; ripgrep does not read it.
 */
export function measuredEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return keepingEnvironment ? base : serverEnvironment(base);
}

export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
	const child = spawn(command, [...args], { ...options, env: measuredEnvironment(options.env ?? process.env) });
	children.add(child);
	child.once('exit', () => children.delete(child));
	// A failed spawn (ENOENT) emits 'error' and no 'exit'.
	child.once('error', () => children.delete(child));
	return child;
}

/**
 * Collects the benchmark's own garbage before a timed step, when Node was started with
 * `--expose-gc` (`npm run bench` is): the latency series leaves megabytes of answers behind, and on
 * a 2-core machine a collection of them while a child process is timed would compete with it.
 */
export function settle(): void {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (collect) collect();
}

/** Milliseconds from an arbitrary origin, from the monotonic high-resolution clock. */
export function now(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

export interface ProcessRun {
	readonly wallMs: number;
	readonly exitCode: number | null;
	readonly stdoutBytes: number;
	/** The last few KB of stdout: some tools report their own failures there. */
	readonly stdoutTail: string;
	/** The last few KB of stderr, to show when a tool fails. */
	readonly stderrTail: string;
	/** Peak resident memory of the process (VmHWM), sampled while it ran; undefined when unreadable. */
	readonly peakRssMB?: number;
}

/**
 * Runs a command to completion, draining stdout (counted, not kept, so a huge output costs the
 * tool its writes and no more) and keeping the tail of stderr. Rejects after `deadlineMs`.
 */
export function runProcess(command: string, args: readonly string[], options: { cwd?: string; deadlineMs: number; env?: NodeJS.ProcessEnv }): Promise<ProcessRun> {
	settle();
	return new Promise((resolve, reject) => {
		const started = now();
		const child = spawnTracked(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdoutBytes = 0;
		let stdoutTail = '';
		let stderrTail = '';
		let peakRssMB: number | undefined;
		child.stdout!.on('data', (chunk: Buffer) => {
			stdoutBytes += chunk.length;
			if (chunk.length >= 4096) stdoutTail = chunk.subarray(chunk.length - 4096).toString('utf8');
			else stdoutTail = (stdoutTail + chunk.toString('utf8')).slice(-4096);
		});
		child.stderr!.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096)));
		// VmHWM is gone once the process exits, so sample it while it runs.
		const sampler = setInterval(() => {
			const peak = child.pid === undefined ? undefined : readPeakRssMB(child.pid);
			if (peak !== undefined) peakRssMB = peak;
		}, 50);
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} did not finish within ${Math.round(options.deadlineMs / 1000)} s; stderr:\n${stderrTail}`));
		}, options.deadlineMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			clearInterval(sampler);
			reject(new Error(`Could not run ${command}: ${error.message}`));
		});
		child.once('close', (exitCode) => {
			clearTimeout(timer);
			clearInterval(sampler);
			resolve({ wallMs: now() - started, exitCode, stdoutBytes, stdoutTail, stderrTail, ...(peakRssMB !== undefined && { peakRssMB }) });
		});
	});
}

/** Peak resident set size (VmHWM) of a live process, in MB; undefined when /proc cannot tell. */
export function readPeakRssMB(pid: number): number | undefined {
	try {
		const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}
