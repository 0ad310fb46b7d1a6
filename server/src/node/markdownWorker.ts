// The Markdown worker thread (bundled as dist/markdownWorker.js): analyses each text it is sent
// and sends back the structure the checks read, the front matter's YAML left unread (see
// markdownThread.ts). Given a file's path as it
// starts (`MarkdownWorkerData`), it reads and analyses that file at once, before any text is
// sent, and answers a request for the same text with that analysis.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMarkdownLeavingFrontMatter, type AnalysisWithoutFrontMatter } from '../core/markdown';
import type { MarkdownReply, MarkdownRequest, MarkdownWorkerData } from './markdownThread';

const port = parentPort;
if (!port) throw new Error('markdownWorker.js runs as a worker thread of the Policy Lens CLI.');

/** The analysis of the file named at the start, with the text it was worked out from. */
let prepared: { readonly text: string; readonly analysis: AnalysisWithoutFrontMatter } | undefined;

port.on('message', (request: MarkdownRequest) => {
	let reply: MarkdownReply;
	try {
		// The text read here is the one the calling thread read unless the file changed in between: only the same text gets its analysis.
		const analysis = prepared?.text === request.text ? prepared.analysis : analyzeMarkdownLeavingFrontMatter(request.text);
		prepared = undefined;
		reply = { id: request.id, analysis };
	} catch (error) {
		reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(reply);
});

const { path } = (workerData ?? {}) as MarkdownWorkerData;
if (path !== undefined) {
	try {
		// Decoded as the calling thread decodes (node/files.ts): UTF-8, a byte-order mark dropped.
		const text = new TextDecoder('utf-8').decode(readFileSync(path));
		prepared = { text, analysis: analyzeMarkdownLeavingFrontMatter(text) };
	} catch {
		// Unreadable: the calling thread says why, and sends nothing to analyse.
	}
}
