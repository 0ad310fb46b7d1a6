// The Markdown worker thread (bundled as dist/markdownWorker.js): analyses each text it is sent
// and sends back the structure the checks read, or, when the calling thread asks to share the
// parse, the chunks before the split point (see markdownThread.ts).
import { parentPort } from 'node:worker_threads';
import { analyzeMarkdownChunks, markdownSplitPoint, parseMarkdownChunksBeforeSplit } from '../core/markdown';
import { SplitState, workerShare, type MarkdownReply, type MarkdownRequest } from './markdownThread';

const port = parentPort;
if (!port) throw new Error('markdownWorker.js runs as a worker thread of the Policy Lens CLI.');

port.on('message', ({ id, text, control: shared }: MarkdownRequest) => {
	const control = new Int32Array(shared);
	let reply: MarkdownReply;
	try {
		const { chunks, splitAt } = parseMarkdownChunksBeforeSplit(text, {
			splitPoint: (start, previousEnd) => {
				if (Atomics.load(control, 0) !== SplitState.wanted) return undefined;
				const point = markdownSplitPoint(text, previousEnd, Math.ceil(start + 1 + workerShare * (text.length - start)));
				Atomics.store(control, 1, point ?? 0);
				Atomics.store(control, 0, point === undefined ? SplitState.whole : SplitState.split);
				port.postMessage({ id, splitAt: point ?? null } satisfies MarkdownReply);
				return point;
			},
			missed: () => Atomics.store(control, 0, SplitState.whole),
		});
		if (splitAt !== undefined) reply = { id, chunksBeforeSplit: chunks };
		else {
			// Done alone: a split asked for from now on is refused, and one asked for already is answered by the reply.
			Atomics.store(control, 0, SplitState.whole);
			reply = { id, analysis: analyzeMarkdownChunks(text, chunks) };
		}
	} catch (error) {
		Atomics.store(control, 0, SplitState.whole);
		reply = { id, error: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(reply);
});
