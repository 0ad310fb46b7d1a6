// The issue's targets, applied to one run's measurements: which figure, which target, which
// reference it is a ratio to.
import type { CorpusInfo } from './corpus';
import { figure, type Figure } from './report';
import type { ToolTiming } from './referenceTools';
import type { ServerFigures } from './serverBench';
import { median } from './stats';

export interface RunMeasurements {
	readonly corpus: CorpusInfo;
	readonly server: ServerFigures;
	readonly cli: ToolTiming;
	readonly ripgrep?: ToolTiming;
	readonly textlint?: ToolTiming;
	readonly cspell?: ToolTiming;
}

const mb = (value: number | undefined) => (value === undefined ? '?' : `${value.toFixed(0)} MB`);
const ratio = (value: number, reference: number | undefined) => (reference ? value / reference : undefined);

function referenceNote(tool: ToolTiming | undefined, skipped: string): string | undefined {
	if (!tool) return skipped;
	return tool.unavailable !== undefined ? `${tool.tool} ${tool.unavailable}` : undefined;
}

export function mainFigures(run: RunMeasurements): Figure[] {
	const { server, corpus } = run;
	const megabytes = corpus.bytes / 1048576;
	const rows: Figure[] = [];
	const skipped = 'references skipped (--skip-references)';

	const rgMs = run.ripgrep?.medianMs;
	const coldMs = median(server.coldRuns.readyMs);
	const coldRatio = ratio(coldMs, rgMs);
	const runsNote = (runs: readonly number[]) => `median of ${runs.length} (${runs.map((ms) => ms.toFixed(0)).join(', ')} ms)`;
	rows.push(figure('coldIndex', 'cold index (spawn → ready)', coldMs, 'ms', {
		target: '≤ 3× ripgrep',
		...(coldRatio !== undefined && { ratio: `${coldRatio.toFixed(2)}× rg`, pass: coldRatio <= 3 }),
		note: [runsNote(server.coldRuns.readyMs), referenceNote(run.ripgrep, skipped)].filter((part) => part !== undefined).join('; '),
	}));
	rows.push(figure('coldThroughput', 'cold index throughput', megabytes / (coldMs / 1000), 'MB/s', {
		...(rgMs !== undefined && { ratio: `rg ${(megabytes / (rgMs / 1000)).toFixed(1)} MB/s` }),
	}));
	rows.push(figure('ripgrep', 'ripgrep, same corpus and terms', rgMs, 'ms', { ...(run.ripgrep?.version !== undefined && { note: `${run.ripgrep.version}, median of ${run.ripgrep.runsMs.length}` }) }));
	rows.push(figure('coldCorrect', 'cold index statements = files', server.cold.statements === server.cold.expectedStatements ? 1 : 0, 'bool', {
		target: 'yes',
		pass: server.cold.statements === server.cold.expectedStatements,
		note: `${server.cold.statements} indexed, ${server.cold.expectedStatements} expected (including the built-in corpus)`,
	}));
	const firstHoverMs = median(server.coldRuns.firstHoverMs);
	rows.push(figure('firstHover', 'first hover answered after start', firstHoverMs, 'ms', {
		target: '≤ 1 s, while indexing',
		pass: firstHoverMs <= 1000,
		note: `${runsNote(server.coldRuns.firstHoverMs)}; in the last, ${server.cold.firstHoverWhileIndexing ? 'index still building' : 'index already complete'} when answered; ${server.cold.firstHoverAttempts} attempts; initialize answered at ${server.cold.initializeMs.toFixed(0)} ms`,
	}));
	rows.push(figure('warmStart', 'warm start to a complete index', server.warm.readyMs, 'ms', {
		target: '≤ 0.5 s',
		pass: server.warm.readyMs <= 500,
		note: `${runsNote(server.warmRunsMs)}; ${server.cacheFiles} cache file(s) left by the cold start; ${server.warm.statements} of ${server.warm.expectedStatements} statements`,
	}));

	const latencyTargets: Array<[keyof ServerFigures['latency'], string, number]> = [['hover', 'hover', 2], ['definition', 'definition', 5], ['references', 'references', 20]];
	for (const [key, name, limit] of latencyTargets) {
		const latency = server.latency[key];
		rows.push(figure(`${key}ServerP99`, `${name} p99, inside the server`, latency.server?.p99, 'ms', {
			target: `≤ ${limit} ms`,
			...(latency.server && { pass: latency.server.p99 <= limit }),
			...(latency.server === undefined && { note: 'the server does not answer policyLens/serverTimings' }),
		}));
	}
	for (const [key, name] of latencyTargets) {
		const latency = server.latency[key];
		rows.push(figure(`${key}ClientP50`, `${name} p50 / p99, client over stdio`, latency.client.p50, 'ms', {
			ratio: `p99 ${latency.client.p99.toFixed(2)} ms`,
			note: `${latency.client.count} positions${latency.client.count < latency.requested ? ` (of ${latency.requested}: the series ran out of time)` : ''}, ${latency.answered} answered non-empty; slowest ${latency.slowest[0] ? `${latency.slowest[0].ms.toFixed(0)} ms at ${latency.slowest[0].uri}:${latency.slowest[0].line + 1}` : 'n/a'}`,
		}));
	}
	const hoverRatio = server.latency.hover.client.p99 / server.nullServerHover.p99;
	rows.push(figure('hoverClientP99', 'hover p99, client over stdio', server.latency.hover.client.p99, 'ms', {
		target: '≤ 1.5× null server',
		ratio: `${hoverRatio.toFixed(2)}× null (${server.nullServerHover.p99.toFixed(2)} ms)`,
		pass: hoverRatio <= 1.5,
		note: `null server p50 ${server.nullServerHover.p50.toFixed(2)} ms, p99 ${server.nullServerHover.p99.toFixed(2)} ms, same client and positions, asked in turns with the server`,
	}));

	rows.push(figure('firstDiagnostics', 'first diagnostics of the 1 MB draft', server.edits.firstDiagnosticsMs, 'ms', {
		note: `${server.edits.diagnostics} diagnostics: ${Object.entries(server.edits.byCode).map(([code, count]) => `${code} ${count}`).join(', ')}`,
	}));
	rows.push(figure('editToDiagnosticsP50', 'edit → diagnostics p50, 1 MB draft', server.edits.editToDiagnostics.p50, 'ms', {
		target: '≤ 50 ms',
		pass: server.edits.editToDiagnostics.p50 <= 50,
		note: `${server.edits.editToDiagnostics.count} one-character edits, ${server.edits.incremental ? 'incremental' : 'full'} sync${server.edits.server ? `; inside the server p50 ${server.edits.server.p50.toFixed(1)} ms` : ''}`,
	}));
	rows.push(figure('editToDiagnosticsMax', 'edit → diagnostics max', server.edits.editToDiagnostics.max, 'ms', { target: '≤ 50 ms', pass: server.edits.editToDiagnostics.max <= 50 }));

	const peak = Math.max(server.cold.peakRssMB ?? 0, server.warm.peakRssMB ?? 0);
	rows.push(figure('peakRss', 'server peak resident memory', peak || null, 'MB', { target: '≤ 400 MB', ...(peak > 0 && { pass: peak <= 400 }), note: `VmHWM; cold start ${mb(server.peakRssAfterMB.ready)} at ready, ${mb(server.peakRssAfterMB.latency)} after latencies, ${mb(server.peakRssAfterMB.edits)} after edits; warm start ${mb(server.warm.peakRssMB)}` }));

	const cliMs = run.cli.medianMs;
	const textlintMs = run.textlint?.medianMs;
	const speedup = cliMs !== undefined && textlintMs !== undefined ? textlintMs / cliMs : undefined;
	rows.push(figure('cliCheck', 'CLI check of the 1 MB draft, whole process', cliMs, 'ms', {
		target: '≥ 10× faster than textlint+prh',
		...(speedup !== undefined && { ratio: `${speedup.toFixed(2)}× faster`, pass: speedup >= 10 }),
		...(run.cli.unavailable !== undefined ? { note: run.cli.unavailable } : referenceNote(run.textlint, skipped) !== undefined && { note: referenceNote(run.textlint, skipped) }),
	}));
	rows.push(figure('textlint', 'textlint + prh, same draft and terms', textlintMs, 'ms', { ...(run.textlint?.version !== undefined && { note: run.textlint.version }) }));
	const cspellMs = run.cspell?.medianMs;
	rows.push(figure('cspell', 'cspell, same draft and words', cspellMs, 'ms', {
		...(cspellMs !== undefined && cliMs !== undefined && { ratio: `CLI ${(cspellMs / cliMs).toFixed(2)}× faster` }),
		...(run.cspell?.version !== undefined ? { note: run.cspell.version } : referenceNote(run.cspell, skipped) !== undefined && { note: referenceNote(run.cspell, skipped) }),
	}));
	return rows;
}
