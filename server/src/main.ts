// The server's entry point: create the connection (stdio, IPC or a socket, as the command line
// says), route console output to it so nothing but protocol messages reaches stdout, and hand over.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';
import { compiledGlossaryFileName } from './node/builtInGlossary';

const connection = createConnection(ProposedFeatures.all);
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${String(reason)}`));

// The bundle lives in dist/; the built-in data sits beside it in data/.
startServer(connection, {
	dataDirectory: join(__dirname, '..', 'data'),
	today: () => new Date().toISOString().slice(0, 10),
	// POLICY_LENS_INDEX_WORKERS=0 analyses on the server's own thread (for debugging, and to test that path).
	indexWorkerPath: process.env.POLICY_LENS_INDEX_WORKERS === '0' ? '' : join(__dirname, 'indexWorker.js'),
	compiledGlossaryPath: join(__dirname, compiledGlossaryFileName),
});
