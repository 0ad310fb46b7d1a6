// The Markdown worker thread of the CLI: the same analysis as on the calling thread, and the
// calling thread's analysis when the worker cannot run. The worker is the built
// dist/markdownWorker.js (`npm test` builds first); its test is skipped without it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeMarkdownAndComments, analyzeMarkdownLeavingFrontMatter, withFrontMatter } from '../../server/src/core/markdown';
import { MarkdownThread, markdownDigest } from '../../server/src/node/markdownThread';

const builtWorker = join(__dirname, '..', '..', 'dist', 'markdownWorker.js');
const folder = mkdtempSync(join(tmpdir(), 'policy-lens-markdown-thread-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const drafts = [
	'---\ndate: 2024-05-01\n---\n\n# Title\n\nSee [JAXA](https://example.org) and `NASA`.\n\n<!-- policy-lens-disable -->\n\n```\ncode\n```\n',
	'Plain text only.',
	'',
	// Named character references, which the bundles look up in a table made when first needed.
	'See [a &amp; b][l&copy;] and &notanentity; and &#169; `&lt;` [x](https://example.org/?a=1&b=2).\n\n[l&copy;]: https://example.org/&copy;\n',
	// A reference that matches its definition only once `&copy;` is decoded.
	'See [a][l&copy;] and [b][m&copy;].\n\n[l\u00a9]: https://example.org/x\n',
];

describe('MarkdownThread', () => {
	test('no thread without the worker script', () => {
		assert.equal(MarkdownThread.start(join(folder, 'missing.js')), undefined);
	});

	test('the built worker gives the analysis of the calling thread', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const thread = MarkdownThread.start(builtWorker)!;
		try {
			const analyses = await Promise.all(drafts.map((draft) => thread.analyze(draft, analyzeMarkdownLeavingFrontMatter)));
			assert.deepEqual(analyses, drafts.map(analyzeMarkdownLeavingFrontMatter));
			// With its front matter read on the calling thread, the analysis the checks compute themselves.
			assert.deepEqual(analyses.map((analysis, index) => withFrontMatter(drafts[index]!, analysis)), drafts.map(analyzeMarkdownAndComments));
			assert.equal(analyses[0]!.frontMatterSpan?.start, 0);
		} finally {
			await thread.close();
		}
	});

	test('a worker given a file reads and analyses it at once, and answers only for its very text', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const path = join(folder, 'draft.md');
		writeFileSync(path, `\ufeff${drafts[0]}`);
		// As the calling thread reads the file: UTF-8, the byte-order mark dropped.
		const read = drafts[0]!;
		const thread = MarkdownThread.start(builtWorker, path)!;
		try {
			assert.deepEqual(await thread.analyze(read, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(read));
			// Another text (the file changed after the worker read it) is analysed as sent, and so is the same text asked again.
			const changed = read.replace('# Title', '`code` and <!-- a comment -->');
			assert.deepEqual(await thread.analyze(changed, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(changed));
			assert.deepEqual(await thread.analyze(read, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(read));
		} finally {
			await thread.close();
		}
		const changedFirst = MarkdownThread.start(builtWorker, path)!;
		try {
			const changed = `${read}\n[a link](https://example.org) after the end\n`;
			assert.deepEqual(await changedFirst.analyze(changed, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(changed));
		} finally {
			await changedFirst.close();
		}
		const missing = MarkdownThread.start(builtWorker, join(folder, 'missing.md'))!;
		try {
			assert.deepEqual(await missing.analyze(read, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(read));
		} finally {
			await missing.close();
		}
	});

	test('a worker asked by the digest of the bytes it read answers with its analysis, and asks for the text of other bytes', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const path = join(folder, 'by-digest.md');
		const bytes = Buffer.from(drafts[0]!, 'utf8');
		writeFileSync(path, bytes);
		const changed = drafts[0]!.replace('# Title', '`code` and <!-- a comment -->');
		for (const prefetch of [path, undefined]) {
			const thread = MarkdownThread.start(builtWorker, prefetch)!;
			try {
				// The digest alone says which text: a wrong text sent with the right digest gets the file's analysis.
				const expected = analyzeMarkdownLeavingFrontMatter(drafts[0]!);
				const answer = await thread.analyze(prefetch ? 'not sent' : drafts[0]!, analyzeMarkdownLeavingFrontMatter, markdownDigest(bytes));
				assert.deepEqual(answer, expected);
				assert.deepEqual(await thread.analyze(changed, analyzeMarkdownLeavingFrontMatter, markdownDigest(Buffer.from(changed, 'utf8'))), analyzeMarkdownLeavingFrontMatter(changed));
			} finally {
				await thread.close();
			}
		}
	});

	test('a worker that exits leaves the analysis to the calling thread', async () => {
		const exiting = join(folder, 'exiting.js');
		writeFileSync(exiting, 'process.exit(0);\n');
		const thread = MarkdownThread.start(exiting)!;
		try {
			assert.deepEqual(await thread.analyze(drafts[0]!, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(drafts[0]!));
			assert.deepEqual(await thread.analyze(drafts[1]!, analyzeMarkdownLeavingFrontMatter), analyzeMarkdownLeavingFrontMatter(drafts[1]!));
		} finally {
			await thread.close();
		}
	});
});
