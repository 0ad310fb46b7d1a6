// The Markdown worker thread (bundled as dist/markdownWorker.js): analyses each text it is sent
// and sends back the structure the checks read, the front matter's YAML left unread (see
// markdownThread.ts). Given a file's path as it
// starts (`MarkdownWorkerData`), it reads and analyses that file at once, before any text is
// sent, and answers a request for the same text with that analysis.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMarkdownLeavingFrontMatter, type AnalysisWithoutFrontMatter } from '../core/markdown';
import { markdownDigest, type MarkdownReply, type MarkdownRequest, type MarkdownWorkerData } from './markdownThread';

const port = parentPort;
if (!port) throw new Error('markdownWorker.js runs as a worker thread of the Policy Lens CLI.');

/** The analysis of the file named at the start, with the text it was worked out from and the digest of its bytes. */
let prepared: { readonly text: string; readonly digest: string; readonly analysis: AnalysisWithoutFrontMatter } | undefined;

port.on('message', (request: MarkdownRequest) => {
	let reply: MarkdownReply;
	try {
		// The file read here is the one the calling thread read unless it changed in between: only the same bytes, or the same text, get its analysis.
		if ('digest' in request) {
			reply = prepared?.digest === request.digest ? { id: request.id, analysis: prepared.analysis } : { id: request.id, needsText: true };
		} else {
			reply = { id: request.id, analysis: prepared?.text === request.text ? prepared.analysis : analyzeMarkdownLeavingFrontMatter(request.text) };
		}
		if ('analysis' in reply) prepared = undefined;
	} catch (error) {
		reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(reply);
});

const { path } = (workerData ?? {}) as MarkdownWorkerData;
if (path !== undefined) {
	try {
		const bytes = readFileSync(path);
		// Decoded as the calling thread decodes (node/files.ts): UTF-8, a byte-order mark dropped.
		const text = new TextDecoder('utf-8').decode(bytes);
		prepared = { text, digest: markdownDigest(bytes), analysis: analyzeMarkdownLeavingFrontMatter(text) };
	} catch {
		// Unreadable: the calling thread says why, and sends nothing to analyse.
	}
}
