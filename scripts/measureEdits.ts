// The benchmark's edit → diagnostics loop on its own: starts dist/server.js over stdio on a
// folder holding just the 1 MB draft, then makes 20 one-character edits (insert 'x' / delete it,
// at a sentence start in the middle), each followed by a diagnostic pull, as `npm run bench` does.
// Usage: node --import tsx scripts/measureEdits.ts [draft.md] [rounds]
// SERVER_PATH picks another build of the server (to compare two), SERVER_NODE_ARGS passes Node
// flags to it (`--cpu-prof --cpu-prof-dir=/tmp/profiles`).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { startServer, fetchServerTimings } from '../bench/serverBench';
import { lineStartsOf, positionAt } from '../bench/positions';
import { now } from '../bench/processes';

const draftPath = resolve(process.argv[2] ?? 'bench/out/corpus-10000/drafts/draft.md');
const rounds = Number(process.argv[3] ?? 20);
const folder = mkdtempSync(join(tmpdir(), 'policy-lens-edits-'));
const text = readFileSync(draftPath, 'utf8');
copyFileSync(draftPath, join(folder, 'draft.md'));
const uri = URI.file(join(folder, 'draft.md')).toString();

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
function describe(samples: number[]): string {
	const sorted = [...samples].sort((a, b) => a - b);
	return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
}

async function pull(session: ReturnType<typeof startServer>): Promise<number> {
	for (;;) {
		try {
			const report = await session.rawRequest<{ items?: unknown[] }>('textDocument/diagnostic', { textDocument: { uri } });
			return report.items?.length ?? 0;
		} catch (error) {
			if ((error as { code?: number }).code === -32800 || (error as { code?: number }).code === -32802) continue;
			throw error;
		}
	}
}

async function main(): Promise<void> {
const session = startServer({ label: 'server', repositoryRoot: resolve(__dirname, '..'), serverPath: process.env.SERVER_PATH ?? resolve(__dirname, '..', 'dist', 'server.js'), nodeArgs: process.env.SERVER_NODE_ARGS ? process.env.SERVER_NODE_ARGS.split(' ') : [], workspace: folder, cacheDirectory: join(folder, '.cache') });
try {
	await session.initialize();
	await session.open(uri, 'markdown', text);
	await session.waitForIndexState('ready', (state) => state.state === 'ready', 120000);
	console.log('diagnostics:', await pull(session));
	const report = await session.rawRequest('textDocument/diagnostic', { textDocument: { uri } });
	console.log('report bytes:', JSON.stringify(report).length);
	const offset = text.indexOf('. ', text.length >> 1) + 2;
	const at = positionAt(lineStartsOf(text), offset);
	await fetchServerTimings(session);
	const samples: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const inserting = i % 2 === 0;
		const started = now();
		await session.change(uri, inserting ? 'x' : '', { start: at, end: inserting ? at : { line: at.line, character: at.character + 1 } });
		await pull(session);
		samples.push(now() - started);
	}
	const timings = await fetchServerTimings(session);
	const server = timings?.['textDocument/diagnostic'] ?? timings?.diagnostic;
	console.log(`client: ${describe(samples)}`);
	if (server) console.log(`server: ${describe([...server])}`);
} finally {
	await session.stop();
	rmSync(folder, { recursive: true, force: true });
}
}

void main();
