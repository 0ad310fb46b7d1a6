// Growth between corpus sizes. For index time and memory: the cost per statement at the larger
// size relative to the smaller one (1.0 is linear; below it, fixed costs such as process start
// and the glossary are spread thinner; well above it, something grows faster than the corpus).
// For query latency the ideal is flat; growth faster than the corpus is flagged the same way.
import { figure, type Figure } from './report';

export interface ScalePoint {
	readonly statements: number;
	readonly bytes: number;
	readonly coldMs: number;
	readonly warmMs: number;
	/** VmHWM when the cold index was complete: the index itself, before any query. */
	readonly readyRssMB: number;
	/** VmHWM over the whole cold session (queries and edits included). */
	readonly peakRssMB: number;
	/** p99 inside the server when it reports it, else as seen by the client. */
	readonly hoverP99Ms: number;
	readonly referencesP99Ms: number;
}

/** Per-statement cost may grow this much from one size to the next and still count as linear (noise, GC). */
const linearSlack = 1.25;

function growthRow(id: string, label: string, from: number, to: number, size: number, what: string): Figure {
	const perStatement = to / from / size;
	return figure(id, label, perStatement, 'x', { target: `≤ ${linearSlack}× (linear)`, pass: perStatement <= linearSlack, ratio: `${(to / from).toFixed(1)}× ${what} for ${size}× statements` });
}

export function growthFigures(points: readonly ScalePoint[]): Figure[] {
	const rows: Figure[] = [];
	for (const point of points) {
		rows.push(figure(`cold-${point.statements}`, `${point.statements.toLocaleString('en-US')}: cold index`, point.coldMs, 'ms', {
			note: `${(point.bytes / 1048576).toFixed(0)} MB; warm ${(point.warmMs / 1000).toFixed(2)} s; memory ${point.readyRssMB.toFixed(0)} MB at ready, peak ${point.peakRssMB.toFixed(0)} MB; p99 hover ${point.hoverP99Ms.toFixed(1)} ms, references ${point.referencesP99Ms.toFixed(1)} ms`,
		}));
	}
	for (let index = 1; index < points.length; index++) {
		const from = points[index - 1]!;
		const to = points[index]!;
		const size = to.statements / from.statements;
		const label = `${from.statements.toLocaleString('en-US')} → ${to.statements.toLocaleString('en-US')}`;
		rows.push(growthRow(`timeGrowth-${to.statements}`, `${label}: cold index time per statement`, from.coldMs, to.coldMs, size, 'time'));
		rows.push(growthRow(`warmGrowth-${to.statements}`, `${label}: warm start time per statement`, from.warmMs, to.warmMs, size, 'warm start'));
		rows.push(growthRow(`memoryGrowth-${to.statements}`, `${label}: index memory per statement`, from.readyRssMB, to.readyRssMB, size, 'memory at ready'));
		rows.push(growthRow(`peakGrowth-${to.statements}`, `${label}: peak memory per statement`, from.peakRssMB, to.peakRssMB, size, 'peak memory'));
		rows.push(growthRow(`hoverGrowth-${to.statements}`, `${label}: hover p99 per statement`, from.hoverP99Ms, to.hoverP99Ms, size, 'hover p99'));
		rows.push(growthRow(`referencesGrowth-${to.statements}`, `${label}: references p99 per statement`, from.referencesP99Ms, to.referencesP99Ms, size, 'references p99'));
	}
	return rows;
}
