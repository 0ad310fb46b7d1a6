// Reading files for the index: size, binary and encoding checks that turn bad input into a
// clear reason instead of an exception, and the walk over workspace folders.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type FastGlob from 'fast-glob';
import picomatch from 'picomatch';

/** The text, or why the file was skipped; `missing` when it does not exist (deleted, or never saved). */
export type ReadResult = { readonly text: string } | { readonly skipped: string; readonly missing?: boolean };

const decoder = new TextDecoder('utf-8');

/** Reads a text file, or says why it was skipped: too large, binary, or not UTF-8 (with the line). */
export async function readTextFile(path: string, maximumBytes: number): Promise<ReadResult> {
	const result = await readFileBytes(path, maximumBytes);
	return 'bytes' in result ? decodeText(result.bytes) : result;
}

/** What identifies a file's version cheaply: its size and modification time. */
export interface FileStamp {
	readonly size: number;
	readonly mtimeMs: number;
}

/** A file's bytes with its stamp, or why it was skipped (missing, or over the size limit). */
export type BytesResult = { readonly bytes: Buffer; readonly stamp: FileStamp } | Extract<ReadResult, { skipped: string }>;

/** A file's bytes with its stamp, or why it was skipped (missing, or over the size limit). */
export async function readFileBytes(path: string, maximumBytes: number): Promise<BytesResult> {
	let stamp: FileStamp;
	try {
		const { size, mtimeMs } = await stat(path);
		stamp = { size, mtimeMs };
	} catch (error) {
		return unreadable(error);
	}
	if (stamp.size > maximumBytes) return overLimit(stamp.size, maximumBytes);
	try {
		return { bytes: await readFile(path), stamp };
	} catch (error) {
		return unreadable(error);
	}
}

/**
 * The same, synchronously: for index workers, whose thread has nothing else to do, and for
 * which a page-cached file read in place is many times cheaper than a round trip through
 * the thread pool.
 */
export function readFileBytesSync(path: string, maximumBytes: number): BytesResult {
	let stamp: FileStamp;
	try {
		const { size, mtimeMs } = statSync(path);
		stamp = { size, mtimeMs };
	} catch (error) {
		return unreadable(error);
	}
	if (stamp.size > maximumBytes) return overLimit(stamp.size, maximumBytes);
	try {
		return { bytes: readFileSync(path), stamp };
	} catch (error) {
		return unreadable(error);
	}
}

function unreadable(error: unknown): Extract<ReadResult, { skipped: string }> {
	const code = (error as NodeJS.ErrnoException).code;
	return { skipped: `could not be read (${code ?? String(error)})`, missing: code === 'ENOENT' };
}

function overLimit(size: number, maximumBytes: number): Extract<ReadResult, { skipped: string }> {
	return { skipped: `is ${formatMegabytes(size)}, over the size limit of ${formatMegabytes(maximumBytes)} (setting policyLens.maxFileSizeMB)` };
}

/** A short digest of a file's content, the key of the index cache. */
export function contentHash(bytes: Uint8Array): string {
	return createHash('sha1').update(bytes).digest('base64');
}

/** Decodes UTF-8 (dropping a byte-order mark, as editors do), or says why the bytes are not text. */
export function decodeText(bytes: Uint8Array): ReadResult {
	const nul = bytes.subarray(0, 8192).indexOf(0);
	if (nul !== -1) return { skipped: `looks binary (a NUL byte at offset ${nul}, line ${lineOfByte(bytes, nul)})` };
	if (!isUtf8(bytes)) {
		const offset = firstInvalidUtf8Byte(bytes);
		return { skipped: `is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset}, line ${lineOfByte(bytes, offset)}); save it as UTF-8` };
	}
	return { text: decoder.decode(bytes) };
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let index = 0; index < offset; index++) if (bytes[index] === 10) line++;
	return line;
}

/** The offset of the first byte that breaks UTF-8's encoding rules. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
	let index = 0;
	while (index < bytes.length) {
		const byte = bytes[index]!;
		const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
		if (length === 0) return index;
		for (let continuation = 1; continuation < length; continuation++) {
			const next = bytes[index + continuation];
			if (next === undefined || (next & 0xc0) !== 0x80) return index;
		}
		index += length;
	}
	return bytes.length;
}

/** Megabytes for large sizes, kilobytes under one megabyte, so a small limit never reads "0.0 MB". */
function formatMegabytes(bytes: number): string {
	return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Files found, sorted by path, with their stamps as columns: ten thousand files are three values,
 * not twenty thousand objects to make, send between threads and read.
 */
export interface FoundFiles {
	readonly paths: readonly string[];
	readonly sizes: Float64Array;
	readonly mtimes: Float64Array;
}

/** Found files as a worker sends them: the paths joined by NUL (which none can hold), and the stamp columns, whose buffers are transferred. */
export interface PackedFoundFiles {
	readonly paths: string;
	readonly count: number;
	readonly sizes: Float64Array;
	readonly mtimes: Float64Array;
}

export function packFoundFiles(found: FoundFiles): PackedFoundFiles {
	return { paths: found.paths.join('\0'), count: found.paths.length, sizes: found.sizes, mtimes: found.mtimes };
}

export function unpackFoundFiles(packed: PackedFoundFiles): FoundFiles {
	return { paths: packed.count === 0 ? [] : packed.paths.split('\0'), sizes: packed.sizes, mtimes: packed.mtimes };
}

/** Several lists of found files as one, in the order given. */
export function concatFoundFiles(lists: readonly FoundFiles[]): FoundFiles {
	if (lists.length === 1) return lists[0]!;
	const sizes = new Float64Array(lists.reduce((count, list) => count + list.paths.length, 0));
	const mtimes = new Float64Array(sizes.length);
	let at = 0;
	for (const list of lists) {
		sizes.set(list.sizes, at);
		mtimes.set(list.mtimes, at);
		at += list.paths.length;
	}
	return { paths: lists.flatMap((list) => list.paths), sizes, mtimes };
}

/** The stamps of `paths`, taken synchronously from `start` to `end`, into the columns. */
function stampInto(paths: readonly string[], start: number, end: number, sizes: Float64Array, mtimes: Float64Array): void {
	for (let index = start; index < end; index++) {
		const { size, mtimeMs } = stampOf(paths[index]!);
		sizes[index] = size;
		mtimes[index] = mtimeMs;
	}
}

/**
 * Like `findFiles`, with each file's size and modification time, sorted by path. The walk and the
 * stats are synchronous, about a thousand entries or stats at a time between turns of the event
 * loop: for ten thousand files that is several times faster than the thread pool's asynchronous
 * calls, and no turn blocks for long.
 */
export async function findFilesWithStamps(folder: string, include: readonly string[], exclude: readonly string[]): Promise<FoundFiles> {
	const paths = (await findFiles(folder, include, exclude)).sort();
	const sizes = new Float64Array(paths.length);
	const mtimes = new Float64Array(paths.length);
	for (let start = 0; start < paths.length; start += statBatch) {
		if (start > 0) await nextTurn();
		stampInto(paths, start, Math.min(paths.length, start + statBatch), sizes, mtimes);
	}
	return { paths, sizes, mtimes };
}

const statBatch = 1000;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The same as `findFilesWithStamps`, without yielding: for an index worker, which walks the
 * workspace while the server's own thread reads the index cache.
 */
export function findFilesWithStampsSync(folder: string, include: readonly string[], exclude: readonly string[]): FoundFiles {
	const plan = planWalk(include, exclude);
	let paths: string[];
	if (plan) {
		const walk = walkFolder(folder, plan);
		let step = walk.next();
		while (!step.done) step = walk.next();
		paths = step.value;
	} else {
		paths = loadFastGlob().sync([...include], globOptions(folder, exclude)).sort();
	}
	return statFiles(paths);
}

/** The stamps of known files (the built-in statements). */
export function statFiles(paths: readonly string[]): FoundFiles {
	const sizes = new Float64Array(paths.length);
	const mtimes = new Float64Array(paths.length);
	stampInto(paths, 0, paths.length, sizes, mtimes);
	return { paths, sizes, mtimes };
}

/** A file's stamp; a file that cannot be stat'ed gets an impossible one, so it is read (and its problem reported). */
function stampOf(path: string): FileStamp {
	try {
		// A missing file is told by the result, with no exception made and thrown; other errors still throw.
		const stats = statSync(path, { throwIfNoEntry: false });
		if (stats) return { size: stats.size, mtimeMs: stats.mtimeMs };
	} catch {
		// As missing.
	}
	return { size: -1, mtimeMs: -1 };
}

/**
 * Files under `folder` that match the include globs and none of the exclude globs, sorted when
 * walked: the files fast-glob finds with `globOptions`. The walk reads about a thousand entries
 * between turns of the event loop.
 */
export async function findFiles(folder: string, include: readonly string[], exclude: readonly string[]): Promise<string[]> {
	const plan = planWalk(include, exclude);
	if (!plan) return loadFastGlob()([...include], globOptions(folder, exclude));
	const walk = walkFolder(folder, plan);
	let entries = 0;
	for (let step = walk.next(); ; step = walk.next()) {
		if (step.done) return step.value;
		entries += step.value;
		if (entries >= statBatch) {
			entries = 0;
			await nextTurn();
		}
	}
}

/** How the CLI and the fallback of the walk below call fast-glob: what the walk reproduces. */
export function globOptions(folder: string, exclude: readonly string[]): FastGlob.Options {
	return { cwd: folder, ignore: [...exclude], absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true, suppressErrors: true };
}

/**
 * fast-glob, loaded when first needed: only globs the walk cannot reproduce need it (and, in the
 * CLI, a glob on the command line), and its bundled modules take about 15 ms to load, in a worker
 * whose first task is the walk or in a CLI run that checks one draft.
 */
export function loadFastGlob(): typeof FastGlob {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, and loaded lazily (see above)
	return require('fast-glob') as typeof FastGlob;
}

// The walk: fast-glob's result for `globOptions`, from a plain recursive `readdirSync`, without
// fast-glob's per-entry objects, its queues of tasks, or the load of its modules. Each rule below
// is fast-glob's (3.3), found in its source and checked against it (test/unit/walk.test.ts):
// - Brace patterns are expanded first (`a/*.{md,txt}` is `a/*.md` and `a/*.txt`), and runs of
//   slashes made one.
// - A pattern with no `*` is static: its path is looked up with `lstat`, and taken if it is a file
//   (a symbolic link is not), matches, and no exclude glob matches it.
// - The other patterns are grouped by their base, the folders before the first `*` segment; when
//   some pattern's base is the folder itself, one walk from the folder serves them all. Each base
//   is read even through a symbolic link; under it, entries are matched by their path relative to
//   `folder`, with forward slashes.
// - A file is taken if a pattern of its walk matches it and no exclude glob does. Symbolic links
//   are never taken, to files or folders, nor followed, and a folder that cannot be read is passed
//   over (so a folder that does not exist gives nothing).
// - A walk goes into a folder only if a pattern of the walk could match below it (segment by
//   segment, as far as the first `**`), and no exclude glob that ends with `/**` or with a segment
//   without wildcards (`**/node_modules/**`, `**/node_modules`, `drafts/old`) matches the folder:
//   so `**/node_modules` keeps out what is under every node_modules folder, though as a glob it
//   matches only the folders. The folder a walk starts from is always read.
// - A path is absolute `path.resolve(folder, relative)` with every backslash turned forward.
// Globs with anything else are left to fast-glob itself: `?` (fast-glob takes the base of `a?c/*`
// to be a folder named `a?c`), classes `[...]`, extglobs, escapes, negations `!` in include,
// quotes, `$`, `^`, `|`, `:`, braces that are not a plain list, `..`, `.` or empty segments, a `**`
// inside a segment, and absolute globs. Reproducing each of those exactly would cost more care
// than the settings that use them are worth.

/** Whether any of the patterns matches a path: their regular expressions as picomatch makes them for fast-glob, in one. */
function anyOf(patterns: readonly string[]): RegExp | undefined {
	if (patterns.length === 0) return undefined;
	const compiled = patterns.map(compile);
	// One regular expression for all: a third of the time of testing each in turn. Each is anchored
	// at both ends and has no back-references, so an alternation of them matches what one of them does.
	return compiled.length === 1 ? compiled[0] : new RegExp(compiled.map((pattern) => pattern.source).join('|'), compiled[0]!.flags);
}

/** A pattern's regular expression, as fast-glob makes it (picomatch, with `dot`; Windows paths on Windows). */
function compile(pattern: string): RegExp {
	return picomatch.makeRe(pattern, { dot: true, windows: process.platform === 'win32' });
}

const matches = (pattern: RegExp | undefined, path: string) => pattern !== undefined && pattern.test(path);

/** The patterns of one base, as fast-glob groups them in a task. */
interface PatternGroup {
	readonly base: string;
	readonly patterns: readonly string[];
	/** Whether one of the patterns matches a path. */
	readonly include: RegExp;
	/** Each pattern's segments, for the partial match of folders (see `mayHoldMatches`). */
	readonly segments: readonly (readonly PatternSegment[])[];
}

/** A segment of a pattern: a name, a `**`, or one with a `*` with its regular expression. */
type PatternSegment = string | typeof globstar | RegExp;

const globstar = Symbol('**');

interface WalkPlan {
	/** The patterns without `*`: each a path looked up, and taken if it matches a pattern of its group. */
	readonly statics: readonly PatternGroup[];
	/** The other patterns: a walk from each group's base. */
	readonly walks: readonly PatternGroup[];
	readonly exclude: RegExp | undefined;
	/** The exclude globs that also keep the walk out of a folder they match. */
	readonly prune: RegExp | undefined;
}

/** Whether `findFiles` and the others walk the folder themselves for these globs, rather than call fast-glob. */
export function walksWithoutFastGlob(include: readonly string[], exclude: readonly string[]): boolean {
	return planWalk(include, exclude) !== undefined;
}

/** The walk for these globs, or undefined when some glob needs fast-glob itself (see above). */
function planWalk(include: readonly string[], exclude: readonly string[]): WalkPlan | undefined {
	const includes = expandPatterns(include);
	const excludes = expandPatterns(exclude);
	if (!includes || !excludes) return undefined;
	return {
		statics: groupByBase(includes.filter((pattern) => !pattern.includes('*'))),
		walks: groupByBase(includes.filter((pattern) => pattern.includes('*'))),
		exclude: anyOf(excludes),
		// fast-glob's "affects the depth of reading": ends with `/**`, or its last segment has no `*`.
		prune: anyOf(excludes.filter((pattern) => pattern.endsWith('/**') || !pattern.slice(pattern.lastIndexOf('/') + 1).includes('*'))),
	};
}

/** The patterns with their braces expanded and runs of slashes made one, or undefined if one is beyond the walk. */
function expandPatterns(patterns: readonly string[]): string[] | undefined {
	const expanded: string[] = [];
	for (const pattern of patterns) {
		// An empty pattern is an error in fast-glob, which the fallback keeps.
		if (pattern === '' || /[\\()[\]!?|"'`$^:]|\.\./.test(pattern)) return undefined;
		const alternatives = expandBraces(pattern);
		if (!alternatives) return undefined;
		for (const alternative of alternatives) {
			const single = alternative.replace(/(?!^)\/{2,}/g, '/');
			if (single === '') continue;
			if (isAbsolute(single) || single.split('/').some((segment) => segment === '' || segment === '.' || (segment.includes('**') && segment !== '**'))) return undefined;
			expanded.push(single);
		}
	}
	return expanded;
}

/** `a{b,c}d{e,f}` as `abde`, `abdf`, `acde`, `acdf`; undefined for a brace that is not a plain list. */
function expandBraces(pattern: string): string[] | undefined {
	let results = [''];
	let index = 0;
	for (;;) {
		const open = pattern.indexOf('{', index);
		const close = pattern.indexOf('}', index);
		if (open === -1 && close === -1) break;
		if (open === -1 || close < open) return undefined;
		const list = pattern.slice(open + 1, close);
		if (list.includes('{') || !list.includes(',')) return undefined;
		const before = pattern.slice(index, open);
		results = results.flatMap((start) => list.split(',').map((option) => start + before + option));
		index = close + 1;
	}
	const rest = pattern.slice(index);
	return [...new Set(results.map((start) => start + rest))];
}

/**
 * The patterns grouped by base (the folders before the first segment with a `*`, or before the
 * name in a static pattern), as fast-glob makes its tasks: one group for all when a base is the folder.
 */
function groupByBase(patterns: readonly string[]): PatternGroup[] {
	const groups = new Map<string, string[]>();
	for (const pattern of patterns) {
		const segments = pattern.split('/');
		const firstDynamic = segments.findIndex((segment) => segment.includes('*'));
		const base = segments.slice(0, firstDynamic === -1 ? -1 : firstDynamic).join('/') || '.';
		groups.set(base, [...(groups.get(base) ?? []), pattern]);
	}
	return (groups.has('.') ? [['.', patterns] as const] : [...groups]).map(([base, group]) => ({
		base,
		patterns: group,
		include: anyOf(group)!,
		segments: group.map((pattern) => pattern.split('/').map((segment) => (segment === '**' ? globstar : segment.includes('*') ? compile(segment) : segment))),
	}));
}

/**
 * fast-glob's partial match of a folder: whether a pattern could match some path below it, taking
 * the pattern segment by segment up to its first `**`, past which anything may match.
 */
function mayHoldMatches(group: PatternGroup, path: string): boolean {
	const parts = path.split('/');
	return group.segments.some((segments) => {
		const globstarAt = segments.indexOf(globstar);
		// Without a `**`, a pattern no longer than the path matches nothing below it; past its `**`, anything may match.
		if (globstarAt === -1 && segments.length <= parts.length) return false;
		if (globstarAt !== -1 && parts.length > globstarAt) return true;
		return parts.every((part, position) => {
			const segment = segments[position]!;
			return typeof segment === 'string' ? segment === part : segment !== globstar && segment.test(part);
		});
	});
}

/**
 * The walk itself, sorted absolute paths: a generator that yields the number of entries of each
 * folder read, so that a caller on the server's thread can let other work run between folders.
 */
function* walkFolder(folder: string, plan: WalkPlan): Generator<number, string[]> {
	let found: string[] = [];
	for (const group of plan.statics) {
		for (const path of group.patterns) {
			let stats;
			try {
				stats = lstatSync(resolve(folder, path), { throwIfNoEntry: false });
			} catch {
				continue;
			}
			if (stats?.isFile() && group.include.test(path) && !matches(plan.exclude, path)) found.push(path);
		}
	}
	for (const group of plan.walks) {
		// fast-glob's walk turns the backslashes of its start forward, as of every path.
		const queue = [{ directory: resolve(folder, group.base).replace(/\\/g, '/'), relative: group.base === '.' ? '' : group.base }];
		for (let next = 0; next < queue.length; next++) {
			const { directory, relative } = queue[next]!;
			let entries: Dirent[];
			try {
				entries = readdirSync(directory, { withFileTypes: true });
			} catch {
				continue;
			}
			for (const entry of entries) {
				const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
				if (entry.isFile()) {
					if (group.include.test(path) && !matches(plan.exclude, path)) found.push(path);
				} else if (entry.isDirectory() && mayHoldMatches(group, path) && !matches(plan.prune, path)) {
					queue.push({ directory: directory.endsWith('/') ? directory + entry.name : `${directory}/${entry.name}`, relative: path });
				}
			}
			yield entries.length;
		}
	}
	// Sorted before the folder is put in front (which sorts them alike): cheaper than sorting longer paths.
	found.sort();
	// Each path once, as fast-glob keeps them (more walks, or a static pattern, can find a path again).
	found = found.filter((path, index, sorted) => index === 0 || path !== sorted[index - 1]);
	// fast-glob turns every backslash forward once it has taken a file: `a\b.txt` on Linux becomes `a/b.txt`.
	if (found.some((path) => path.includes('\\'))) found = found.map((path) => path.replace(/\\/g, '/')).sort();
	const root = resolve(folder).replace(/\\/g, '/');
	const prefix = root.endsWith('/') ? root : `${root}/`;
	return found.map((path) => prefix + path);
}

/** The built-in glossary files and statements under the data directory, in a stable order. */
export async function builtInDataFiles(dataDirectory: string): Promise<BuiltInDataFiles> {
	const list = async (folder: string, pattern: RegExp) => builtInPaths(dataDirectory, folder, pattern, await readdir(join(dataDirectory, folder)));
	return { glossaries: await list('glossary', builtInGlossaryName), statements: await list('statements', builtInStatementName) };
}

/** `builtInDataFiles`, synchronously. */
export function builtInDataFilesSync(dataDirectory: string): BuiltInDataFiles {
	const list = (folder: string, pattern: RegExp) => builtInPaths(dataDirectory, folder, pattern, readdirSync(join(dataDirectory, folder)));
	return { glossaries: list('glossary', builtInGlossaryName), statements: list('statements', builtInStatementName) };
}

export interface BuiltInDataFiles {
	readonly glossaries: string[];
	readonly statements: string[];
}

const builtInGlossaryName = /\.(ya?ml|json)$/;
const builtInStatementName = /\.txt$/;

function builtInPaths(dataDirectory: string, folder: string, pattern: RegExp, names: readonly string[]): string[] {
	return names.filter((name) => pattern.test(name)).sort().map((name) => join(dataDirectory, folder, name));
}
