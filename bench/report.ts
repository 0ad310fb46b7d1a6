// Figures as rows (value, target, verdict), printed as a table and written as JSON with the
// machine they were measured on, so results from different machines and commits can be compared.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { variablesLeftOut } from './processes';

export interface Figure {
	readonly id: string;
	readonly label: string;
	/** Null when the figure could not be measured (n/a). */
	readonly value: number | null;
	readonly unit: string;
	/** The target, in words ("≤ 2 ms", "≤ 3× ripgrep"), when the issue sets one. */
	readonly target?: string;
	/** Against the reference, when there is one: "4.1× ripgrep". */
	readonly ratio?: string;
	/** Undefined when there is no target or no value. */
	readonly pass?: boolean;
	readonly note?: string;
}

export function figure(id: string, label: string, value: number | null | undefined, unit: string, extra: Omit<Figure, 'id' | 'label' | 'value' | 'unit'> = {}): Figure {
	return { id, label, value: value ?? null, unit, ...extra };
}

export function formatValue(value: number | null, unit: string): string {
	if (value === null || Number.isNaN(value)) return 'n/a';
	switch (unit) {
		case 'ms':
			if (value >= 10000) return `${(value / 1000).toFixed(1)} s`;
			if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
			return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
		case 'MB':
			return `${value.toFixed(0)} MB`;
		case 'MB/s':
			return `${value.toFixed(1)} MB/s`;
		case 'x':
			return `${value.toFixed(2)}×`;
		case 'bool':
			return value ? 'yes' : 'NO';
		default:
			return `${Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2)}${unit ? ` ${unit}` : ''}`;
	}
}

export function verdictOf(row: Figure): string {
	const verdict = row.pass === undefined ? (row.target && row.value === null ? 'n/a' : '') : row.pass ? 'pass' : 'FAIL';
	return [row.ratio, verdict].filter(Boolean).join('  ');
}

/** A plain-text table; columns sized to their content. */
export function renderTable(title: string, rows: readonly Figure[]): string {
	const header = ['figure', 'value', 'target', 'ratio / verdict'];
	const cells = rows.map((row) => [row.label, formatValue(row.value, row.unit), row.target ?? '', verdictOf(row)]);
	const widths = header.map((name, column) => Math.max(name.length, ...cells.map((cell) => cell[column]!.length)));
	const line = (cell: readonly string[]) => `| ${cell.map((text, column) => text.padEnd(widths[column]!)).join(' | ')} |`;
	const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
	const notes = rows.filter((row) => row.note).map((row) => `  ${row.label}: ${row.note}`);
	return [title, line(header), rule, ...cells.map(line), ...(notes.length ? ['notes:', ...notes] : [])].join('\n');
}

export interface MachineInfo {
	readonly cpu: string;
	readonly cores: number;
	readonly memoryGB: number;
	readonly node: string;
	readonly os: string;
	readonly date: string;
	readonly commit?: string;
	readonly dirty?: boolean;
	/** Variables of the harness's environment left out of the measured processes' (`measuredEnvironment`). */
	readonly leftOut: readonly string[];
}

export function machineInfo(repositoryRoot: string): MachineInfo {
	const processors = cpus();
	let commit: string | undefined;
	let dirty: boolean | undefined;
	try {
		commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();
		dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repositoryRoot, encoding: 'utf8' }).trim().length > 0;
	} catch {
		// Not a git checkout: the result simply names no commit.
	}
	return {
		cpu: processors[0]?.model ?? 'unknown',
		cores: processors.length,
		memoryGB: Math.round((totalmem() / 1073741824) * 10) / 10,
		node: process.version,
		os: `${process.platform} ${release()}`,
		date: new Date().toISOString(),
		...(commit !== undefined && { commit }),
		...(dirty !== undefined && { dirty }),
		leftOut: variablesLeftOut(),
	};
}

export function writeJson(path: string, value: unknown): void {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, JSON.stringify(value, (_, item: unknown) => (typeof item === 'number' && !Number.isInteger(item) ? Math.round(item * 1000) / 1000 : item), '\t') + '\n');
}
