// A do-nothing language server: the same library and transport as Policy Lens, but every hover
// answers null at once. Its client-side latency is the floor the stdio round trip sets, against
// which the real server's client-side hover p99 is judged. Run with `node --import tsx`.
import { createConnection, TextDocumentSyncKind } from 'vscode-languageserver/node';

const connection = createConnection();
connection.onInitialize(() => ({
	capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true },
	serverInfo: { name: 'null-server' },
}));
connection.onHover(() => null);
connection.listen();
