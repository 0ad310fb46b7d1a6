// A bundle loaded with V8's code cache: the functions a run compiled, kept in a file beside the
// bundle (its SHA-1, then V8's data), so that the next run does not compile them again. The
// server and the CLI are each a launcher of a few kilobytes that loads its large bundle this way.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * When the cache is written, with POLICY_LENS_WRITE_CODE_CACHE=1 (the build): once the bundle has
 * run its top level (`loaded`), or when the process exits, holding everything the run compiled.
 * V8 rejects a cache made under other flags, so a process that changes V8's flags later (the
 * server's heap growth) writes it at `loaded`, having set its flags before loading.
 */
export type CodeCacheWrite = 'loaded' | 'exit';

/**
 * Loads the CommonJS bundle at `path` with the code cache at `cachePath`. V8 ignores a cache from
 * another version or with other flags, and a cache made from another bundle is not given to it;
 * without one the bundle is compiled as `require` would. When the bundle cannot be read this
 * way, it is required.
 */
export function loadWithCodeCache<T>(path: string, cachePath: string, write: CodeCacheWrite): T {
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
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle beside the launcher (external in scripts/build.mjs)
		return require(path) as T;
	}
	const bundle = { exports: {} as T };
	const writeCache = () => writeFileSync(cachePath, Buffer.concat([hash, script.createCachedData()]));
	const writing = process.env.POLICY_LENS_WRITE_CODE_CACHE === '1';
	if (writing && write === 'exit') process.on('exit', writeCache);
	(script.runInThisContext() as (...parameters: unknown[]) => void)(bundle.exports, createRequire(path), bundle, path, dirname(path));
	if (writing && write === 'loaded') writeCache();
	return bundle.exports;
}
