// The Markdown worker thread of the CLI: the same analysis as on the calling thread, and the
// calling thread's analysis when the worker cannot run. The worker is the built
// dist/markdownWorker.js (`npm test` builds first); its test is skipped without it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeMarkdownAndComments } from '../../server/src/core/markdown';
import { MarkdownThread } from '../../server/src/node/markdownThread';

const builtWorker = join(__dirname, '..', '..', 'dist', 'markdownWorker.js');
const folder = mkdtempSync(join(tmpdir(), 'policy-lens-markdown-thread-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const drafts = [
	'---\ndate: 2024-05-01\n---\n\n# Title\n\nSee [JAXA](https://example.org) and `NASA`.\n\n<!-- policy-lens-disable -->\n\n```\ncode\n```\n',
	'Plain text only.',
	'',
];

describe('MarkdownThread', () => {
	test('no thread without the worker script', () => {
		assert.equal(MarkdownThread.start(join(folder, 'missing.js')), undefined);
	});

	test('the built worker gives the analysis of the calling thread', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const thread = MarkdownThread.start(builtWorker)!;
		try {
			const analyses = await Promise.all(drafts.map((draft) => thread.analyze(draft, analyzeMarkdownAndComments)));
			assert.deepEqual(analyses, drafts.map(analyzeMarkdownAndComments));
		} finally {
			await thread.close();
		}
	});

	test('a worker that exits leaves the analysis to the calling thread', async () => {
		const exiting = join(folder, 'exiting.js');
		writeFileSync(exiting, 'process.exit(0);\n');
		const thread = MarkdownThread.start(exiting)!;
		try {
			assert.deepEqual(await thread.analyze(drafts[0]!, analyzeMarkdownAndComments), analyzeMarkdownAndComments(drafts[0]!));
			assert.deepEqual(await thread.analyze(drafts[1]!, analyzeMarkdownAndComments), analyzeMarkdownAndComments(drafts[1]!));
		} finally {
			await thread.close();
		}
	});
});
