// The index worker thread (bundled as dist/indexWorker.js): builds its own lexicon from the
// glossary the server sends, then reads and analyses batches of files and sends back compact
// records, their typed arrays transferred. It also walks workspace folders for the server, so a
// warm start reads the index cache while the files are found and stat'ed. It never touches the
// index; the server merges.
import { parentPort } from 'node:worker_threads';
import type { Glossary } from '../core/glossary';
import { buildLexicon, type Lexicon } from '../core/recognizer';
import { findFilesWithStampsSync, packFoundFiles } from './files';
import { indexFilesSync, transferablesOf } from './indexing';
import type { WorkerReply, WorkerRequest } from './indexPool';

let glossary: Glossary | undefined;
/** Built from `glossary` at the first batch: a worker asked only to walk a folder never needs it. */
let lexicon: Lexicon | undefined;
const port = parentPort;
if (!port) throw new Error('indexWorker.js runs as a worker thread of the Policy Lens server.');

port.on('message', (request: WorkerRequest) => {
	if (request.kind === 'glossary') {
		glossary = request.glossary;
		lexicon = undefined;
		return;
	}
	const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
	if (request.kind === 'find') {
		try {
			// The stamp columns' buffers are transferred, not copied.
			const found = packFoundFiles(findFilesWithStampsSync(request.folder, request.include, request.exclude));
			reply({ id: request.id, found }, [found.sizes.buffer as ArrayBuffer, found.mtimes.buffer as ArrayBuffer]);
		} catch (error) {
			reply({ id: request.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
		}
		return;
	}
	if (!glossary) {
		reply({ id: request.id, error: 'the worker has no glossary yet' });
		return;
	}
	lexicon ??= buildLexicon(glossary);
	try {
		const results = indexFilesSync(request.files, lexicon, request.maximumBytes);
		reply({ id: request.id, results }, transferablesOf(results));
	} catch (error) {
		reply({ id: request.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
	}
});
