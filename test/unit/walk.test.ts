// The walk over a workspace folder (server/src/node/files.ts) against fast-glob, the library it
// replaces: for each include and exclude combination, the same files in the same order, with
// today's options. The fixture has what tells walks apart: dotfiles and dot-folders, node_modules
// and .git, symbolic links to files and folders, an empty folder, names with spaces and non-ASCII
// letters, and (on POSIX) a backslash in a name.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import fastGlob from 'fast-glob';
import { findFiles, findFilesWithStamps, findFilesWithStampsSync, globOptions, walksWithoutFastGlob } from '../../server/src/node/files';
import { defaultSettings } from '../../server/src/protocol';

const root = mkdtempSync(join(tmpdir(), 'policy-lens-walk-'));
const folder = join(root, 'workspace');
const posix = process.platform !== 'win32';
after(() => {
	if (posix) chmodSync(join(folder, 'locked'), 0o755);
	rmSync(root, { recursive: true, force: true });
});

const files = [
	'top.txt',
	'README.md',
	'notes.json',
	'image.png',
	'.env.txt',
	'.policy-lens.md',
	'statements/2024/a.txt',
	'statements/2024/b.md',
	'statements/2024/c.TXT',
	'statements/index.json',
	'statements/deep/er/still/d.txt',
	'statements/.drafts/e.md',
	'drafts/draft one é.md',
	'drafts/old.txt',
	'drafts/.hidden.txt',
	'drafts/sub/f.md',
	'.git/HEAD.txt',
	'.git/objects/g.md',
	'.dot folder/inside.md',
	'node_modules/pkg/readme.md',
	'node_modules/pkg/h.txt',
	'src/node_modules/dep/i.txt',
	'src/lib/node_modules.txt',
	'src/lib/j.md',
	'misc/node_modules',
	'misc/drafts',
	'locked/k.txt',
	'日本語/声明.txt',
	...(posix ? ['back\\slash.txt'] : []),
];
for (const file of files) {
	mkdirSync(dirname(join(folder, file)), { recursive: true });
	writeFileSync(join(folder, file), file);
}
mkdirSync(join(folder, 'empty'));
mkdirSync(join(root, 'outside'));
writeFileSync(join(root, 'outside', 'l.txt'), 'outside');
// Symbolic links: fast-glob takes none, to a file or a folder, and goes into no linked folder, but reads a base through one.
const links: [target: string, path: string][] = [
	['top.txt', 'link-to-file.txt'],
	['statements', 'link-to-folder'],
	['../drafts', 'statements/link-up'],
	['../outside', 'link-outside'],
	['missing.md', 'broken.md'],
];
let linked = true;
for (const [target, path] of links) {
	try {
		symlinkSync(target, join(folder, path));
	} catch {
		linked = false; // Windows without the right to make links: the rest still counts.
	}
}
// A folder that cannot be read (unless the tests run as root, who reads it anyway): passed over.
if (posix) chmodSync(join(folder, 'locked'), 0o000);

const defaults = { include: defaultSettings.include, exclude: defaultSettings.exclude };

/** Include and exclude globs the walk reproduces itself. */
const walked: { include: readonly string[]; exclude: readonly string[] }[] = [
	defaults,
	{ include: ['**/*.txt'], exclude: [] },
	{ include: ['**/*.{md,txt}'], exclude: defaults.exclude },
	{ include: ['**/*.{md,}'], exclude: [] },
	{ include: ['statements/**'], exclude: [] },
	{ include: ['statements/**/*.txt'], exclude: ['**/node_modules/**'] },
	{ include: defaults.include, exclude: ['drafts/old.txt'] },
	{ include: defaults.include, exclude: ['drafts'] },
	{ include: defaults.include, exclude: ['drafts/**'] },
	{ include: defaults.include, exclude: ['**/node_modules'] },
	{ include: ['**/*.txt'], exclude: ['**/drafts', '**/.*'] },
	{ include: ['**/*.md'], exclude: ['**/.*/**'] },
	{ include: ['node_modules/**'], exclude: ['**/node_modules'] },
	{ include: ['node_modules/**'], exclude: ['**/node_modules/**'] },
	{ include: ['*.txt'], exclude: [] },
	{ include: ['*'], exclude: ['*.md'] },
	{ include: ['**'], exclude: [] },
	{ include: ['**'], exclude: ['**/*.md', 'statements/*/**'] },
	{ include: ['link-to-folder/**', 'link-outside/*.txt'], exclude: [] },
	{ include: ['statements/**', '**/*.md'], exclude: [] },
	{ include: ['statements/2024/*.txt', 'drafts/*.md', 'drafts/**/*.md'], exclude: [] },
	{ include: ['{drafts,statements}/**/*.txt'], exclude: ['**/deep/**'] },
	{ include: ['top.txt', 'link-to-file.txt', 'missing.txt', 'statements/2024/a.txt', 'drafts', 'link-to-folder/2024/b.md'], exclude: [] },
	{ include: ['top.txt', '*.txt', 'top.txt'], exclude: ['statements/2024/a.txt'] },
	{ include: ['**/*.TXT', '日本語/*'], exclude: [] },
	{ include: ['drafts//*.md', '**/d*/**/*.md'], exclude: ['drafts/draft one é.md'] },
	// On POSIX, `back\slash.txt` is found as `back/slash.txt`, which names no file: fast-glob's answer all the same.
	{ include: ['back/slash.txt', '*slash*'], exclude: [] },
	{ include: [], exclude: [] },
];

/** Globs left to fast-glob: the results must still be the same, since they are fast-glob's. */
const fallenBack: { include: readonly string[]; exclude: readonly string[] }[] = [
	{ include: ['**/?.txt'], exclude: [] },
	{ include: ['?/*.txt'], exclude: [] },
	{ include: ['**/[a-c].*'], exclude: [] },
	{ include: ['**/*.txt', '!drafts/**'], exclude: [] },
	{ include: ['../outside/*.txt'], exclude: [] },
	{ include: ['./statements/**'], exclude: [] },
	{ include: ['**/*.@(md|txt)'], exclude: [] },
	{ include: ['**/*.txt'], exclude: ['**/{drafts,{src,misc}}/**'] },
	{ include: ['**/*.txt'], exclude: [join(folder, 'drafts', '**').replace(/\\/g, '/')] },
];

function reference(at: string, include: readonly string[], exclude: readonly string[]): string[] {
	return fastGlob.sync([...include], globOptions(at, exclude)).sort();
}

const label = ({ include, exclude }: { include: readonly string[]; exclude: readonly string[] }) => `include ${JSON.stringify(include)}, exclude ${JSON.stringify(exclude)}`;

test('the fixture has what the walk must handle', () => {
	assert.ok(linked || !posix, 'symbolic links could not be made');
	const all = reference(folder, ['**'], []);
	assert.ok(all.some((path) => path.endsWith('/node_modules/pkg/h.txt')) && all.some((path) => path.includes('/.git/')));
	assert.ok(!all.some((path) => path.endsWith('link-to-file.txt')), 'fast-glob takes no link to a file');
	assert.ok(!all.some((path) => path.includes('/link-to-folder/')), 'fast-glob goes into no linked folder');
	assert.equal(reference(folder, ['link-to-folder/**'], []).length, reference(folder, ['statements/**'], []).length, 'but reads a base through a link');
});

for (const combination of walked) {
	test(`walked as fast-glob walks: ${label(combination)}`, async () => {
		const { include, exclude } = combination;
		assert.ok(walksWithoutFastGlob(include, exclude), 'the walk should handle these globs itself');
		const expected = reference(folder, include, exclude);
		const found = findFilesWithStampsSync(folder, include, exclude);
		assert.deepEqual(found.paths, expected);
		assert.deepEqual(await findFiles(folder, include, exclude), expected);
		assert.deepEqual(await findFilesWithStamps(folder, include, exclude), found);
	});
}

for (const combination of fallenBack) {
	test(`left to fast-glob, with the same result: ${label(combination)}`, async () => {
		const { include, exclude } = combination;
		assert.ok(!walksWithoutFastGlob(include, exclude), 'these globs should be left to fast-glob');
		const expected = reference(folder, include, exclude);
		assert.deepEqual(findFilesWithStampsSync(folder, include, exclude).paths, expected);
		assert.deepEqual((await findFiles(folder, include, exclude)).sort(), expected);
	});
}

test('a folder that does not exist has no files, and a file as the folder none either', async () => {
	for (const at of [join(root, 'nowhere'), join(folder, 'top.txt')]) {
		for (const { include, exclude } of [defaults, { include: ['top.txt', '**/*.md'], exclude: [] }]) {
			assert.deepEqual(reference(at, include, exclude), []);
			assert.deepEqual(findFilesWithStampsSync(at, include, exclude).paths, []);
			assert.deepEqual(await findFiles(at, include, exclude), []);
		}
	}
});

test('stamps are each file’s size and modification time, and impossible for a path that cannot be stat’ed', () => {
	const found = findFilesWithStampsSync(folder, ['**/*.md', '*slash*'], []);
	assert.ok(found.paths.length > 5);
	assert.equal(found.sizes.length, found.paths.length);
	assert.equal(found.mtimes.length, found.paths.length);
	for (const [position, path] of found.paths.entries()) {
		const stamp = { size: found.sizes[position], mtimeMs: found.mtimes[position] };
		if (posix && path.endsWith('/back/slash.txt')) {
			// fast-glob turned the name's backslash into a separator: no such file.
			assert.deepEqual(stamp, { size: -1, mtimeMs: -1 });
			continue;
		}
		const stats = statSync(path);
		assert.deepEqual(stamp, { size: stats.size, mtimeMs: stats.mtimeMs }, path);
	}
	assert.ok(!posix || found.paths.some((path) => path.endsWith('/back/slash.txt')));
});

test('random globs over the fixture walk as fast-glob walks', () => {
	const segments = ['**', '*', '*.txt', '*.md', '*.{md,txt}', 'statements', 'drafts', '2024', 'node_modules', '.git', '.*', 'd*', '*e*', 'top.txt', '{drafts,statements}', 'link-to-folder', 'sub', 'misc'];
	let seed = 20240501;
	const random = (count: number) => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed % count;
	};
	const pattern = () => Array.from({ length: 1 + random(3) }, () => segments[random(segments.length)]!).join('/');
	let compared = 0;
	for (let round = 0; round < 400; round++) {
		const include = Array.from({ length: 1 + random(2) }, pattern);
		const exclude = Array.from({ length: random(3) }, pattern);
		if (!walksWithoutFastGlob(include, exclude)) continue;
		assert.deepEqual(findFilesWithStampsSync(folder, include, exclude).paths, reference(folder, include, exclude), label({ include, exclude }));
		compared++;
	}
	assert.ok(compared > 350, `only ${compared} random combinations were walked`);
});
