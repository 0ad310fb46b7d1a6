// The Markdown worker thread (bundled as dist/markdownWorker.js): analyses each text it is sent
// and sends back the structure the checks read (see markdownThread.ts).
import { parentPort } from 'node:worker_threads';
import { analyzeMarkdownAndComments } from '../core/markdown';
import type { MarkdownReply, MarkdownRequest } from './markdownThread';

const port = parentPort;
if (!port) throw new Error('markdownWorker.js runs as a worker thread of the Policy Lens CLI.');

port.on('message', (request: MarkdownRequest) => {
	let reply: MarkdownReply;
	try {
		reply = { id: request.id, analysis: analyzeMarkdownAndComments(request.text) };
	} catch (error) {
		reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(reply);
});
