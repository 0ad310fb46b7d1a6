// The server's entry point: create the connection (stdio, IPC or a socket, as the command line
// says), route console output to it so nothing but protocol messages reaches stdout, and hand over.
import { Console } from 'node:console';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { JsonStreamWriter } from './lsp/messageWriter';
import { startServer } from './lsp/server';
import { compiledGlossaryFileName } from './node/builtInGlossary';
import { useBuildingHeapGrowth } from './node/heapGrowth';

useBuildingHeapGrowth();
// Over stdio the server writes through its own writer (ASCII JSON from a reused buffer, see
// messageWriter.ts). vscode-languageserver takes a stream for input and a writer for output
// alike, and still ends the process when stdin ends; only its typings want both of one kind.
const overStdio = process.argv.includes('--stdio');
const connection = overStdio
	? createConnection(ProposedFeatures.all, process.stdin, new JsonStreamWriter(process.stdout) as unknown as NodeJS.WritableStream)
	: createConnection(ProposedFeatures.all);
// Every console method goes to the connection, so that nothing but protocol messages reaches stdout.
const routed = new Console({ stdout: new Writable({ write: (chunk, _encoding, done) => done(void connection.console.log(String(chunk).replace(/\n$/, ''))) }) });
for (const name of Object.keys(routed) as Array<keyof Console>) {
	if (typeof routed[name] === 'function') (console as unknown as Record<string, unknown>)[name] = (routed[name] as (...args: unknown[]) => void).bind(routed);
}
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
	prebuiltJson: overStdio,
});
