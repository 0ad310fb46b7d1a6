// The Markdown worker thread of the CLI: the same analysis as on the calling thread, whether the
// worker parses alone or shares the parse with the calling thread, and the calling thread's
// analysis when the worker cannot run. The worker is the built dist/markdownWorker.js (`npm test`
// builds first); its tests are skipped without it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeMarkdownAndComments, analyzeMarkdownChunks, parseMarkdownChunks, type MarkdownChunk } from '../../server/src/core/markdown';
import { MarkdownThread, SplitState, type MarkdownHere } from '../../server/src/node/markdownThread';

const builtWorker = join(__dirname, '..', '..', 'dist', 'markdownWorker.js');
const folder = mkdtempSync(join(tmpdir(), 'policy-lens-markdown-thread-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const drafts = [
	'---\ndate: 2024-05-01\n---\n\n# Title\n\nSee [JAXA](https://example.org) and `NASA`.\n\n<!-- policy-lens-disable -->\n\n```\ncode\n```\n',
	'Plain text only.',
	'',
];

/** A long draft of many chunks: headings, links, code, comments, a listing with blank lines, and a reference defined far from its use. */
function longDraft(): string {
	let text = '---\ndate: 2024-05-01\n---\n\n# Title\n\nSee [the plan][plan] and the note[^n].\n\n';
	for (let index = 0; index < 1500; index++) {
		text += `## ${index}. Part\n\nThe agency (JAXA) met; see [the summary](https://example.org/${index}) and the \`FLAG_${index}\` flag.\n\n`;
		if (index % 7 === 0) text += `<!-- reviewer: check ${index} -->\n\n`;
		if (index % 50 === 0) text += '```text\nfirst line\n\nafter a blank line\n\nand another\n```\n\n';
		if (index % 3 === 0) text += 'Plain prose about the Japan Aerospace Exploration Agency and its partners.\n\n';
	}
	return `${text}[plan]: https://example.org/plan\n\n[^n]: The note.\n`;
}

/** The calling thread's analysis, counting the chunks it parses itself. */
function countingHere(): MarkdownHere & { parsedHere: number } {
	const here = {
		parsedHere: 0,
		analyze: analyzeMarkdownAndComments,
		parseChunks: (text: string, from: number, goOn: () => boolean): MarkdownChunk[] => {
			const chunks = parseMarkdownChunks(text, from, goOn);
			here.parsedHere += chunks.length;
			return chunks;
		},
		analyzeChunks: analyzeMarkdownChunks,
	};
	return here;
}

describe('MarkdownThread', () => {
	test('no thread without the worker script', () => {
		assert.equal(MarkdownThread.start(join(folder, 'missing.js')), undefined);
	});

	test('the built worker gives the analysis of the calling thread', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const thread = MarkdownThread.start(builtWorker)!;
		try {
			const analyses = await Promise.all(drafts.map((draft) => thread.analyze(draft, countingHere()).finish()));
			assert.deepEqual(analyses, drafts.map(analyzeMarkdownAndComments));
		} finally {
			await thread.close();
		}
	});

	test('a long draft whose parse the calling thread shares gives the analysis of one thread', { skip: !existsSync(builtWorker) && 'dist/markdownWorker.js is not built' }, async () => {
		const text = longDraft();
		const thread = MarkdownThread.start(builtWorker)!;
		try {
			const here = countingHere();
			// Asked at once, so the worker answers before its first chunk, and the split is not left to timing.
			const analysis = await thread.analyze(text, here).finish();
			assert.ok(here.parsedHere > 100, `the calling thread parsed ${here.parsedHere} chunks`);
			assert.deepEqual(analysis, analyzeMarkdownAndComments(text));
		} finally {
			await thread.close();
		}
	});

	test('a worker that exits leaves the analysis to the calling thread', async () => {
		const exiting = join(folder, 'exiting.js');
		writeFileSync(exiting, 'process.exit(0);\n');
		const thread = MarkdownThread.start(exiting)!;
		try {
			assert.deepEqual(await thread.analyze(drafts[0]!, countingHere()).finish(), analyzeMarkdownAndComments(drafts[0]!));
			assert.deepEqual(await thread.analyze(drafts[1]!, countingHere()).finish(), analyzeMarkdownAndComments(drafts[1]!));
		} finally {
			await thread.close();
		}
	});

	test('a worker that exits after giving a split point leaves the analysis to the calling thread', async () => {
		const text = longDraft();
		const splitting = join(folder, 'splitting.js');
		// Waits for the calling thread's request, gives a split point, and exits without parsing.
		writeFileSync(splitting, [
			"const { parentPort } = require('node:worker_threads');",
			'parentPort.on(\'message\', ({ id, text, control: shared }) => {',
			'\tconst control = new Int32Array(shared);',
			`\tAtomics.wait(control, 0, ${SplitState.alone});`,
			`\tconst at = text.indexOf('\\n## 700.') + 1;`,
			`\tAtomics.store(control, 1, at);`,
			`\tAtomics.store(control, 0, ${SplitState.split});`,
			'\tparentPort.postMessage({ id, splitAt: at });',
			'\tsetImmediate(() => process.exit(0));',
			'});',
		].join('\n'));
		const thread = MarkdownThread.start(splitting)!;
		try {
			const here = countingHere();
			assert.deepEqual(await thread.analyze(text, here).finish(), analyzeMarkdownAndComments(text));
			assert.ok(here.parsedHere > 0, 'the calling thread parsed its share first');
		} finally {
			await thread.close();
		}
	});
});
