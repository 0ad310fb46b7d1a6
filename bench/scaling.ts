// Growth between corpus sizes: the cost per statement at the larger size relative to the
// smaller one. 1.0 is linear; below it, fixed costs (process start, glossary) are being spread
// thinner; well above it, something grows faster than the corpus.
import { figure, type Figure } from './report';

export interface ScalePoint {
	readonly statements: number;
	readonly bytes: number;
	readonly coldMs: number;
	readonly warmMs: number;
	readonly peakRssMB: number;
}

/** Per-statement cost may grow this much from one size to the next and still count as linear (noise, GC). */
const linearSlack = 1.25;

export function growthFigures(points: readonly ScalePoint[]): Figure[] {
	const rows: Figure[] = [];
	for (const point of points) {
		rows.push(figure(`cold-${point.statements}`, `${point.statements.toLocaleString('en-US')}: cold index`, point.coldMs, 'ms', { note: `${(point.bytes / 1048576).toFixed(0)} MB, warm ${(point.warmMs / 1000).toFixed(2)} s, peak ${point.peakRssMB.toFixed(0)} MB` }));
	}
	for (let index = 1; index < points.length; index++) {
		const from = points[index - 1]!;
		const to = points[index]!;
		const size = to.statements / from.statements;
		const label = `${from.statements.toLocaleString('en-US')} → ${to.statements.toLocaleString('en-US')}`;
		const time = to.coldMs / from.coldMs / size;
		const memory = to.peakRssMB / from.peakRssMB / size;
		rows.push(figure(`timeGrowth-${to.statements}`, `${label}: cold index time per statement`, time, 'x', { target: `≤ ${linearSlack}× (linear)`, pass: time <= linearSlack, ratio: `${(to.coldMs / from.coldMs).toFixed(1)}× time for ${size}× statements` }));
		rows.push(figure(`memoryGrowth-${to.statements}`, `${label}: peak memory per statement`, memory, 'x', { target: `≤ ${linearSlack}× (linear)`, pass: memory <= linearSlack, ratio: `${(to.peakRssMB / from.peakRssMB).toFixed(1)}× memory for ${size}× statements` }));
	}
	return rows;
}
