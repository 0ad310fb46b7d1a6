// End-to-end: the packaged extension in a real VS Code workbench. code-server (VS Code in a
// browser, installed from the npm registry by scripts/e2e/setup.sh) serves the workbench and
// Debian's headless Chromium, driven by playwright-core, works in a fixture workspace of our own
// (test/fixtures/e2e-workspace: one statement and one draft) the way a user would: the status
// bar, a hover, the Problems panel, F12, a quick fix and the output channel.
// Run with `npm run test:e2e` (which runs the setup and packages policy-lens.vsix first).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

const repositoryRoot = join(__dirname, '..', '..');
const vsixPath = join(repositoryRoot, 'policy-lens.vsix');
const cacheDir = process.env.POLICY_LENS_E2E_CACHE ?? join(homedir(), '.cache', 'policy-lens-e2e');
const codeServerPath = process.env.CODE_SERVER_BIN ?? join(cacheDir, 'code-server-4.100.3', 'node_modules', '.bin', 'code-server');
const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const imagesDir = join(repositoryRoot, 'docs', 'images');
const fixtureWorkspace = join(repositoryRoot, 'test', 'fixtures', 'e2e-workspace');
const failureDir = join(repositoryRoot, 'test-results');

let root: string;
let workspace: string;
let userDataDir: string;
let codeServer: ChildProcess | undefined;
let codeServerLog = '';
let browser: Browser | undefined;
let page: Page | undefined;
let port: number;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const found = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(found));
		});
	});
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		if (codeServer?.exitCode !== null && codeServer?.exitCode !== undefined) {
			throw new Error(`code-server exited with ${codeServer.exitCode}:\n${codeServerLog}`);
		}
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			if (response.ok) return;
			lastError = new Error(`HTTP ${response.status}`);
		} catch (error) {
			lastError = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} did not answer within ${timeoutMs} ms (${String(lastError)}):\n${codeServerLog}`);
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

before(async () => {
	assert.ok(existsSync(vsixPath), `${vsixPath} is missing; run npm run package first`);
	assert.ok(existsSync(codeServerPath), `${codeServerPath} is missing; run bash scripts/e2e/setup.sh first`);
	assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing; run bash scripts/e2e/setup.sh first`);

	root = mkdtempSync(join(tmpdir(), 'policy-lens-e2e-'));
	workspace = join(root, 'workspace');
	userDataDir = join(root, 'user-data');
	const extensionsDir = join(root, 'extensions');
	cpSync(fixtureWorkspace, workspace, { recursive: true });
	mkdirSync(join(userDataDir, 'User'), { recursive: true });
	mkdirSync(extensionsDir, { recursive: true });
	writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
		'workbench.startupEditor': 'none',
		'editor.wordWrap': 'on',
		'security.workspace.trust.enabled': false,
		'workbench.tips.enabled': false,
		'extensions.ignoreRecommendations': true,
		'telemetry.telemetryLevel': 'off',
	}, null, 2));

	// code-server keeps its config.yaml and state under XDG folders: keep them in the temp root.
	const env = {
		...process.env,
		XDG_CONFIG_HOME: join(root, 'xdg-config'),
		XDG_DATA_HOME: join(root, 'xdg-data'),
		XDG_CACHE_HOME: join(root, 'xdg-cache'),
	};
	const install = spawnSync(codeServerPath, ['--install-extension', vsixPath, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env, encoding: 'utf8', timeout: 120_000 });
	assert.equal(install.status, 0, `installing the vsix failed:\n${install.stdout}\n${install.stderr}`);

	port = await freePort();
	codeServer = spawn(codeServerPath, [
		'--auth', 'none',
		'--bind-addr', `127.0.0.1:${port}`,
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-workspace-trust',
		'--user-data-dir', userDataDir,
		'--extensions-dir', extensionsDir,
		workspace,
	], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	codeServer.stdout?.on('data', (chunk) => (codeServerLog += chunk));
	codeServer.stderr?.on('data', (chunk) => (codeServerLog += chunk));
	await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);

	browser = await chromium.launch({
		executablePath: chromiumPath,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

after(async () => {
	await browser?.close().catch(() => undefined);
	await stopProcess(codeServer);
	if (root) rmSync(root, { recursive: true, force: true });
});

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until a line holding `lineText` shows. */
async function openFile(page: Page, name: string, lineText: string): Promise<void> {
	const editorLine = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: lineText });
	const quickInput = page.locator('.quick-input-widget input');
	const deadline = Date.now() + 60_000;
	while (!(await editorLine.first().isVisible())) {
		assert.ok(Date.now() < deadline, `${name} did not open in an editor`);
		await page.keyboard.press('Escape');
		await page.keyboard.press('Control+P');
		if (await quickInput.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
			await quickInput.fill(name);
			await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
			await page.keyboard.press('Enter');
		}
		await editorLine.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
	}
}

/** Runs a command from the Command Palette (F1) by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
	await page.keyboard.press('Escape');
	await page.keyboard.press('F1');
	const quickInput = page.locator('.quick-input-widget input');
	await quickInput.waitFor({ timeout: 10_000 });
	await quickInput.fill(`>${title}`);
	await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
	await page.keyboard.press('Enter');
}

/** Opens the Problems panel and the finding on "JAXA", which selects JAXA in the draft's editor. */
async function selectJaxaFinding(page: Page): Promise<void> {
	await page.mouse.move(5, 5);
	await page.keyboard.press('Escape');
	await page.keyboard.press('Control+Shift+M');
	const problem = page.locator('.markers-panel .monaco-list-row', { hasText: '"JAXA" is used without a definition' });
	await problem.first().waitFor({ timeout: 30_000 });
	await problem.first().click();
	await page.keyboard.press('Enter');
	await page.locator('.statusbar-item', { hasText: 'Ln 3, Col 9 (4 selected)' }).waitFor({ timeout: 30_000 });
	// The focus is in the Problems panel: Ctrl+1 moves it to the editor, keeping the selection.
	await page.keyboard.press('Control+1');
}

test('in code-server: status bar, hover, Problems panel, F12, a quick fix and a clean output channel', { timeout: 300_000 }, async () => {
	assert.ok(page);
	try {
		await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
		await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
		// The explorer lists the draft once the workspace folder is loaded.
		await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'draft.md' }).waitFor({ timeout: 60_000 });
		await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => undefined);
		await openFile(page, 'draft.md', 'JAXA');

		// The status bar item follows the index: the fixture's statement and the built-in one.
		await page.locator('.statusbar-item', { hasText: 'Policy Lens: 2 statements' }).waitFor({ timeout: 90_000 });

		// Monaco renders each line as spans of tokens: find the one holding "JAXA" and aim at the
		// middle of the word (the editor font is monospace, so characters are equally wide). The
		// spans are rebuilt when semantic colouring arrives, so they are looked up again each try.
		const editorLine = page.locator('.monaco-editor .view-line', { hasText: 'JAXA' });
		const token = editorLine.locator('span span', { hasText: 'JAXA' }).last();

		// The diagnostic's hover ("JAXA is used without a definition ...") names the agency too:
		// wait for the glossary hover from the language server, which cites the statement.
		const hover = page.locator('.monaco-hover').filter({ hasText: 'Japan Aerospace Exploration Agency' }).filter({ hasText: 'paragraph 4' });
		const hoverDeadline = Date.now() + 90_000;
		// Move away and back until the hover comes (the editor shows hovers on mouse movement).
		for (;;) {
			assert.ok(Date.now() < hoverDeadline, 'no hover with "Japan Aerospace Exploration Agency" appeared');
			const text = (await token.textContent({ timeout: 5_000 }).catch(() => null)) ?? '';
			const index = text.indexOf('JAXA');
			const box = index >= 0 ? await token.boundingBox({ timeout: 5_000 }).catch(() => null) : null;
			if (!box) continue;
			const charWidth = box.width / text.length;
			await page.mouse.move(5, 5);
			await page.mouse.move(box.x + charWidth * (index + 2), box.y + box.height / 2, { steps: 5 });
			if (await hover.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
		}
		const hoverText = (await hover.first().innerText()).replace(/\s+/g, ' ');
		assert.match(hoverText, /Japan Aerospace Exploration Agency/);
		assert.match(hoverText, /paragraph 4/);
		mkdirSync(imagesDir, { recursive: true });
		await page.screenshot({ path: join(imagesDir, 'hover.png') });

		// The Problems panel lists the draft's findings; opening the JAXA one selects the word.
		await selectJaxaFinding(page);
		const markers = await page.locator('.markers-panel').innerText();
		assert.match(markers, /acronym\.undefined/);
		assert.match(markers, /"QZSS" is used without a definition/);
		await page.screenshot({ path: join(imagesDir, 'problems.png') });

		// F12 on JAXA opens the reference statement with the cursor on paragraph 4's line.
		await page.keyboard.press('F12');
		await page.locator('.tab', { hasText: 'JPUS_20240827.D1E.txt' }).waitFor({ timeout: 30_000 });
		const paragraphLine = readFileSync(join(repositoryRoot, 'data', 'statements', 'JPUS_20240827.D1E.txt'), 'utf8').split('\n').findIndex((line) => line.startsWith('Principal participants')) + 1;
		await page.locator('.statusbar-item', { hasText: `Ln ${paragraphLine},` }).waitFor({ timeout: 30_000 });
		await page.screenshot({ path: join(imagesDir, 'definition.png') });

		// Back in the draft, the quick fix on JAXA writes its definition, and the finding goes.
		await page.locator('.tab', { hasText: 'draft.md' }).click();
		await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'JAXA budget' }).waitFor({ timeout: 30_000 });
		await selectJaxaFinding(page);
		await page.keyboard.press('Control+.');
		const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Expand to "Japan Aerospace Exploration Agency (JAXA)"' });
		await fix.first().waitFor({ timeout: 30_000 });
		// The menu takes the keyboard (a pointer block covers the page): walk to the fix, then Enter.
		const focused = page.locator('.action-widget .monaco-list-row.focused');
		for (let step = 0; !((await focused.getAttribute('aria-label').catch(() => null)) ?? '').startsWith('Expand to "Japan Aerospace'); step++) {
			assert.ok(step < 12, 'the quick fix menu has no "Expand to" action');
			await page.keyboard.press('ArrowDown');
		}
		await page.keyboard.press('Enter');
		await page.locator('.monaco-editor .view-line', { hasText: 'The Japan Aerospace Exploration Agency (JAXA) budget grew.' }).waitFor({ timeout: 30_000 });
		await page.keyboard.press('Control+Shift+M');
		await page.locator('.markers-panel .monaco-list-row', { hasText: '"JAXA" is used without a definition' }).waitFor({ state: 'detached', timeout: 30_000 });
		await page.locator('.markers-panel .monaco-list-row', { hasText: '"QZSS" is used without a definition' }).first().waitFor({ timeout: 30_000 });

		// The output channel has the server's log and no error in it.
		await runCommand(page, 'Policy Lens: Show Output');
		const output = page.locator('.part.panel .monaco-editor .view-lines');
		await output.filter({ hasText: 'Indexed' }).first().waitFor({ timeout: 30_000 });
		const outputText = await output.first().innerText();
		assert.doesNotMatch(outputText, /\[Error|failed/, `the output channel reports an error:\n${outputText}`);
	} catch (error) {
		mkdirSync(failureDir, { recursive: true });
		const failureShot = join(failureDir, 'e2e-failure.png');
		await page.screenshot({ path: failureShot }).catch(() => undefined);
		// The workbench's own logs (extension host, the Policy Lens output channel) go beside it.
		const logsDir = join(userDataDir, 'logs');
		if (existsSync(logsDir)) cpSync(logsDir, join(failureDir, 'workbench-logs'), { recursive: true });
		writeFileSync(join(failureDir, 'code-server.log'), codeServerLog);
		console.error(`screenshot of the failure: ${failureShot}; logs: ${join(failureDir, 'workbench-logs')}, ${join(failureDir, 'code-server.log')}`);
		throw error;
	}
});
