// Runs the in-editor scenarios in a real VS Code through @vscode/test-electron. It downloads
// VS Code, so it is `npm run test:vscode`, not part of `npm test`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { brokenGlossary, workspaceStatement } from './fixtures';

async function main(): Promise<void> {
	const root = join(__dirname, '..');
	const workspace = mkdtempSync(join(tmpdir(), 'policy-lens-vscode-'));
	writeFileSync(join(workspace, 'ocean.txt'), workspaceStatement);
	writeFileSync(join(workspace, 'policy-lens.glossary.yaml'), brokenGlossary);
	writeFileSync(join(workspace, 'draft.md'), '# Notes\n\nThe JAXA budget grew, and we should join CDON soon.\n');
	await runTests({
		extensionDevelopmentPath: root,
		extensionTestsPath: join(root, 'dist-test', 'suite.js'),
		launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
