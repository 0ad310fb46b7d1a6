// Bundles the client (vscode external) and the server with esbuild; with --vscode-tests, also
// the in-editor test runner and suite. Type-checking is a separate step (`npm run typecheck`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const production = process.argv.includes('--production');
// micromark's named character references, with the table of entities made when first needed (see the module).
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning', alias: { 'decode-named-character-reference': './server/src/node/lazyCharacterReferences.ts' } };

const builds = [
	build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
	// The server's command is a small launcher that loads the server beside it with V8's code cache.
	build({ ...common, entryPoints: ['server/src/launch.ts'], outfile: 'dist/server.js' }),
	build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server-main.js' }),
	// The server's index workers: loaded by dist/server.js from beside it.
	build({ ...common, entryPoints: ['server/src/node/indexWorker.ts'], outfile: 'dist/indexWorker.js' }),
	// The command is a small launcher that starts the Markdown thread, then loads the CLI beside it.
	build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cli-main.js'] }),
	build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js' }),
	// The CLI's Markdown worker: started by dist/cli.js and dist/cli-main.js from beside them. It never
	// reads YAML (the front matter is read by the thread that asked), so the library is left out.
	build({ ...common, entryPoints: ['server/src/node/markdownWorker.ts'], outfile: 'dist/markdownWorker.js', alias: { ...common.alias, yaml: './server/src/node/yamlUnavailable.ts' } }),
];
if (process.argv.includes('--vscode-tests')) {
	builds.push(
		build({ ...common, entryPoints: ['test/vscode/suite.ts'], outfile: 'dist-test/suite.js', external: ['vscode'] }),
		build({ ...common, entryPoints: ['test/vscode/run.ts'], outfile: 'dist-test/run.js' }),
	);
}
await Promise.all(builds);

// The server's and the CLI's bundles as pure ASCII. esbuild leaves non-ASCII characters in comments
// and regular expressions, and a single one makes the whole source a two-byte string: reading and
// hashing dist/cli-main.js took about 40 ms instead of 8, and the worker read its bundle slower too.
// A character becomes its `\uXXXX` escape, which means the same in a string, a regular expression
// and an identifier; an escaped one (`\（`, an identity escape) loses its backslash.
for (const file of ['dist/server-main.js', 'dist/indexWorker.js', 'dist/cli-main.js', 'dist/markdownWorker.js']) {
	const source = readFileSync(file, 'utf8');
	// In a comment, an escape of a line terminator would join the next line to it.
	if (/[\u2028\u2029]/.test(source)) throw new Error(`${file} holds U+2028 or U+2029, which cannot be escaped safely everywhere.`);
	const escape = (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
	writeFileSync(file, source.replace(/(\\*)([^\x00-\x7f])/g, (_, backslashes, character) => backslashes.slice(backslashes.length % 2) + escape(character)));
}

// The built-in glossary, parsed and validated once here instead of at every start.
const compiler = join(mkdtempSync(join(tmpdir(), 'policy-lens-build-')), 'compileGlossary.cjs');
await build({ ...common, sourcemap: false, minify: false, entryPoints: ['scripts/compileGlossary.ts'], outfile: compiler });
execFileSync(process.execPath, [compiler, 'data', 'dist'], { stdio: 'inherit' });
rmSync(dirname(compiler), { recursive: true, force: true });
// The CLI is run directly as `policy-lens` (package.json "bin"), so it must be executable.
await chmod('dist/cli.js', 0o755);

// V8's code cache for the CLI's bundle (dist/cli-main.cache, read by dist/cli.js): made by
// checking a sample draft once, so that it holds the functions a check compiles. A draft of the
// usual shape, long enough to be parsed on the Markdown thread as long drafts are.
const sampleFolder = mkdtempSync(join(tmpdir(), 'policy-lens-code-cache-'));
const sampleBlocks = [
	(index) => `## ${index}. Cooperation in space\n\nThe Japan Aerospace Exploration Agency (JAXA) and NASA met; see [the summary](https://example.org/${index}) and the \`FLAG_${index}\` flag.\n\n`,
	(index) => `- The National Space Development Agency of Japan will follow up on item ${index}.\n- ESA and the G7 noted low Earth orbit and low-earth orbit.\n\n`,
	(index) => `Drafters cited Article ${index % 20 + 1} of the Outer Space Treaty, and the XQZ team will report.\n\n`,
];
let sampleDraft = '---\ndate: 2024-05-01\n---\n\n# Sample draft\n\n';
for (let index = 0; sampleDraft.length < 100_000; index++) sampleDraft += sampleBlocks[index % sampleBlocks.length](index);
writeFileSync(join(sampleFolder, 'draft.md'), sampleDraft);
execFileSync(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), 'check', '--no-corpus', '--fail-on', 'none', 'draft.md'], { cwd: sampleFolder, env: { ...process.env, POLICY_LENS_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
rmSync(sampleFolder, { recursive: true, force: true });

// V8's code cache for the server's bundle (dist/server-main.cache, read by dist/server.js): the
// launcher writes it once the bundle has run its top level; with no input the server then ends
// (with status 1, as an LSP server does when its input ends without a shutdown request).
rmSync('dist/server-main.cache', { force: true });
spawnSync(process.execPath, [join(process.cwd(), 'dist', 'server.js'), '--stdio'], { env: { ...process.env, POLICY_LENS_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
if (!existsSync('dist/server-main.cache')) throw new Error('The server did not write its code cache (dist/server-main.cache).');
