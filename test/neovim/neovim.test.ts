// Proof that the server is a plain LSP server: Neovim's built-in client (Debian's neovim 0.7,
// headless) attaches the standalone server over stdio and gets the hover on "JAXA".
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot, serverPath } from '../support/lspClient';

function neovimVersion(): string | undefined {
	try {
		return execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
	} catch {
		return undefined;
	}
}

const version = neovimVersion();

test('Neovim gets the JAXA hover from the standalone server', { skip: version ? false : 'nvim is not installed (.ci/run installs Debian\'s neovim)' }, async () => {
	assert.ok(existsSync(serverPath), 'dist/server.js is missing; run npm run build first');
	const folder = mkdtempSync(join(tmpdir(), 'policy-lens-neovim-'));
	try {
		const draft = join(folder, 'draft.md');
		writeFileSync(draft, '# Notes\n\nThe JAXA budget grew.\n');
		const out = join(folder, 'hover.txt');
		const child = spawn('nvim', ['--headless', '--clean', '-n', '-u', 'NONE', '-c', `luafile ${join(repositoryRoot, 'test', 'neovim', 'hover.lua')}`], {
			env: { ...process.env, POLICY_LENS_SERVER: serverPath, POLICY_LENS_DRAFT: draft, POLICY_LENS_OUT: out, POLICY_LENS_LINE: '2', POLICY_LENS_COLUMN: '5' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		assert.equal(code, 0, `nvim exited with ${code}: ${output}`);
		const hover = readFileSync(out, 'utf8');
		assert.match(hover, /Japan Aerospace Exploration Agency/, hover);
		assert.match(hover, /paragraph 4/, hover);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});
