// The `policy-lens` command (dist/cli.js): starts the Markdown worker thread when the command line
// names a long Markdown file, then loads and runs the CLI (dist/cli-main.js, bundled from
// main.ts). It is kept small so that the thread starts before the CLI's bundle, over a megabyte,
// is read and compiled, and it compiles that bundle with V8's code cache when the build made one.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { startEarlyMarkdownThread } from './earlyMarkdownThread';

type Cli = typeof import('./main');

startEarlyMarkdownThread(process.argv.slice(2));
loadCli().main();

/**
 * The CLI's bundle, compiled with the code cache that the build wrote beside it
 * (dist/cli-main.cache: the SHA-1 of the bundle it was made from, then V8's data), so that the
 * functions a check runs are not compiled again on every run. V8 ignores a cache from another
 * version or with other flags, and a cache from another bundle is not given to it; without one
 * the bundle is compiled as `require` would. With POLICY_LENS_WRITE_CODE_CACHE=1 (the build's
 * run on a sample draft), the cache is written when the process exits.
 */
function loadCli(): Cli {
	const path = join(__dirname, 'cli-main.js');
	const cachePath = join(__dirname, 'cli-main.cache');
	let script: Script;
	let hash: Buffer;
	try {
		const source = readFileSync(path, 'utf8');
		hash = createHash('sha1').update(source).digest();
		let cache: Buffer | undefined;
		try {
			cache = readFileSync(cachePath);
		} catch {
			cache = undefined;
		}
		const cachedData = cache !== undefined && cache.subarray(0, hash.length).equals(hash) ? cache.subarray(hash.length) : undefined;
		script = new Script(Module.wrap(source), { filename: path, ...(cachedData && { cachedData }) });
	} catch {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle beside this one (external in scripts/build.mjs)
		return require('./cli-main.js') as Cli;
	}
	const cliModule = { exports: {} as Cli };
	(script.runInThisContext() as (...parameters: unknown[]) => void)(cliModule.exports, createRequire(path), cliModule, path, __dirname);
	if (process.env.POLICY_LENS_WRITE_CODE_CACHE === '1') process.on('exit', () => writeFileSync(cachePath, Buffer.concat([hash, script.createCachedData()])));
	return cliModule.exports;
}
