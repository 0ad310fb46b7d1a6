// The CLI's three output formats (text, JSON, SARIF), as pure functions of the check results:
// no clock, no file system, no working directory, so each format can be tested on plain data.
// Lines and columns are 1-based and count UTF-16 code units, as LSP and SARIF's
// `utf16CodeUnits` column kind do; end columns are exclusive.
// Loops over findings are indexed rather than `for…of` (see core/checks.ts): a report is formatted
// once per process, before V8 optimizes the functions.
import type * as Sarif from 'sarif';
import { URI } from 'vscode-uri';
import { lineAndCharacterAt } from '../core/analysis';
import { codeDescriptions, findingCodes, type Finding, type FindingCode, type Severity, type SeveritySetting } from '../core/findings';
import type { Span } from '../core/types';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const outputFormats: readonly OutputFormat[] = ['text', 'json', 'sarif'];

/** A problem with a suppression comment: reported so that a typo in one is not silently ignored. */
export interface DirectiveProblem {
	readonly span: Span;
	readonly message: string;
}

export interface FileResult {
	/** The path as shown to the user: relative to the working directory, with forward slashes. */
	readonly path: string;
	/** Offsets at which each line of the file starts (see computeLineStarts). */
	readonly lineStarts: readonly number[];
	readonly findings: readonly Finding[];
	readonly directiveProblems: readonly DirectiveProblem[];
}

export interface CheckRun {
	/** The files that were checked, in the order they were named. */
	readonly files: readonly FileResult[];
	/** Statement files that were named but not checked (no --statements), as display paths. */
	readonly skippedStatements: readonly string[];
}

export interface ToolInfo {
	readonly version: string;
	readonly informationUri: string;
}

export interface Position {
	/** 1-based line. */
	readonly line: number;
	/** 1-based column, in UTF-16 code units. */
	readonly column: number;
}

export interface Summary {
	readonly files: number;
	readonly findings: number;
	readonly errors: number;
	readonly warnings: number;
	readonly information: number;
	readonly hints: number;
	readonly skippedStatements: number;
}

/** The 1-based line and column of an offset, as the text and SARIF formats count them. */
export function positionAt(lineStarts: readonly number[], offset: number): Position {
	const { line, character } = lineAndCharacterAt(lineStarts, offset);
	return { line: line + 1, column: character + 1 };
}

function regionOf(lineStarts: readonly number[], span: Span): { line: number; column: number; endLine: number; endColumn: number } {
	const start = positionAt(lineStarts, span.start);
	const end = positionAt(lineStarts, span.end);
	return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export function summarize(run: CheckRun): Summary {
	const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
	for (const file of run.files) for (const finding of file.findings) counts[finding.severity]++;
	return {
		files: run.files.length,
		findings: counts.error + counts.warning + counts.information + counts.hint,
		errors: counts.error,
		warnings: counts.warning,
		information: counts.information,
		hints: counts.hint,
		skippedStatements: run.skippedStatements.length,
	};
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${count} ${count === 1 ? singular : pluralForm}`;
}

export function formatOutput(format: OutputFormat, run: CheckRun, tool: ToolInfo): string {
	switch (format) {
		case 'text':
			return formatText(run);
		case 'json':
			return formatJson(run);
		case 'sarif':
			return formatSarif(run, tool);
	}
}

/**
 * One line per finding, `file:line:col severity code message`, which editors and CI logs turn
 * into links; suppression-comment problems use the pseudo-severity `note` so that a script
 * looking for errors or warnings does not count them. Ends with a summary line.
 */
export function formatText(run: CheckRun): string {
	const lines: string[] = [];
	for (const file of run.files) {
		const entries: Array<{ offset: number; line: string }> = [];
		for (let findingIndex = 0; findingIndex < file.findings.length; findingIndex++) {
			const finding = file.findings[findingIndex]!;
			const start = positionAt(file.lineStarts, finding.span.start);
			entries.push({ offset: finding.span.start, line: `${file.path}:${start.line}:${start.column} ${finding.severity} ${finding.code} ${finding.message}` });
		}
		for (let problemIndex = 0; problemIndex < file.directiveProblems.length; problemIndex++) {
			const problem = file.directiveProblems[problemIndex]!;
			const start = positionAt(file.lineStarts, problem.span.start);
			entries.push({ offset: problem.span.start, line: `${file.path}:${start.line}:${start.column} note suppression-comment ${problem.message}` });
		}
		// A stable sort keeps the checks' own order for findings at one offset; findings come sorted, so it is often not needed.
		if (entries.some((entry, index) => index > 0 && entry.offset < entries[index - 1]!.offset)) entries.sort((a, b) => a.offset - b.offset);
		lines.push(...entries.map((entry) => entry.line));
	}
	lines.push(summaryLine(summarize(run)));
	return lines.join('\n') + '\n';
}

function summaryLine(summary: Summary): string {
	const where = `in ${plural(summary.files, 'file')}`;
	let line: string;
	if (summary.findings === 0) line = `No findings ${where}`;
	else {
		const parts = [
			summary.errors ? plural(summary.errors, 'error') : '',
			summary.warnings ? plural(summary.warnings, 'warning') : '',
			summary.information ? `${summary.information} information` : '',
			summary.hints ? plural(summary.hints, 'hint') : '',
		].filter(Boolean);
		line = `${plural(summary.findings, 'finding')} (${parts.join(', ')}) ${where}`;
	}
	if (summary.skippedStatements) line += `; skipped ${plural(summary.skippedStatements, 'statement file')} (check statements with --statements)`;
	return line;
}

export interface JsonEdit {
	readonly line: number;
	readonly column: number;
	readonly endLine: number;
	readonly endColumn: number;
	readonly newText: string;
}

export interface JsonFinding {
	readonly code: FindingCode;
	readonly severity: Severity;
	readonly message: string;
	readonly line: number;
	readonly column: number;
	readonly endLine: number;
	readonly endColumn: number;
	readonly fixes: ReadonlyArray<{ readonly title: string; readonly edits: readonly JsonEdit[] }>;
}

export interface JsonOutput {
	readonly version: 1;
	readonly files: ReadonlyArray<{
		readonly file: string;
		readonly findings: readonly JsonFinding[];
		readonly suppressionProblems: ReadonlyArray<{ readonly message: string; readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number }>;
	}>;
	readonly skippedStatements: readonly string[];
	readonly summary: Summary;
}

/** A stable, versioned JSON document for scripts; `version` changes only if a field changes meaning. */
export function formatJson(run: CheckRun): string {
	const output: JsonOutput = {
		version: 1,
		files: run.files.map((file) => ({
			file: file.path,
			findings: file.findings.map((finding): JsonFinding => ({
				code: finding.code,
				severity: finding.severity,
				message: finding.message,
				...regionOf(file.lineStarts, finding.span),
				fixes: finding.fixes.map((fix) => ({
					title: fix.title,
					edits: fix.edits.map((edit) => ({ ...regionOf(file.lineStarts, edit.span), newText: edit.newText })),
				})),
			})),
			suppressionProblems: file.directiveProblems.map((problem) => ({ message: problem.message, ...regionOf(file.lineStarts, problem.span) })),
		})),
		skippedStatements: run.skippedStatements,
		summary: summarize(run),
	};
	return JSON.stringify(output, null, 2) + '\n';
}

const sarifLevels: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarifDefaultConfiguration(setting: SeveritySetting): Sarif.ReportingConfiguration {
	return setting === 'off' ? { enabled: false, level: 'none' } : { level: sarifLevels[setting] };
}

function withFullStop(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

function sentence(phrase: string): string {
	return withFullStop(phrase.charAt(0).toUpperCase() + phrase.slice(1));
}

/** `acronym.undefined` → `AcronymUndefined`: SARIF's rule name is an identifier-like word. */
function ruleName(code: FindingCode): string {
	return code.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function sarifRule(code: FindingCode): Sarif.ReportingDescriptor {
	const description = codeDescriptions[code];
	const fix = description.fix ? ` Quick fix: ${description.fix}.` : '';
	return {
		id: code,
		name: ruleName(code),
		shortDescription: { text: sentence(description.finds) },
		fullDescription: { text: `Finds ${description.finds}.${fix}` },
		defaultConfiguration: sarifDefaultConfiguration(description.defaultSeverity),
		help: {
			text: `${sentence(description.finds)}${fix} Example: ${withFullStop(description.example)} Set its severity, or "off", under "checks" in policy-lens.config.json.`,
		},
	};
}

/**
 * A SARIF artifact URI for a display path: a relative reference with each segment
 * percent-encoded, or a file URI for a path outside the working directory.
 */
export function artifactUri(path: string): string {
	if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return URI.file(path).toString();
	return path.split('/').map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment))).join('/');
}

function sarifRegion(lineStarts: readonly number[], span: Span): Sarif.Region {
	const region = regionOf(lineStarts, span);
	return { startLine: region.line, startColumn: region.column, endLine: region.endLine, endColumn: region.endColumn };
}

/** SARIF 2.1.0 as GitHub code scanning reads it: one run, one rule per check code, fixes as replacements. */
export function formatSarif(run: CheckRun, tool: ToolInfo): string {
	const results: Sarif.Result[] = [];
	const notifications: Sarif.Notification[] = [];
	for (const file of run.files) {
		const artifactLocation: Sarif.ArtifactLocation = { uri: artifactUri(file.path) };
		for (let findingIndex = 0; findingIndex < file.findings.length; findingIndex++) {
			const finding = file.findings[findingIndex]!;
			const result: Sarif.Result = {
				ruleId: finding.code,
				ruleIndex: findingCodes.indexOf(finding.code),
				level: sarifLevels[finding.severity],
				message: { text: finding.message },
				locations: [{ physicalLocation: { artifactLocation, region: sarifRegion(file.lineStarts, finding.span) } }],
			};
			if (finding.fixes.length) {
				result.fixes = finding.fixes.map((fix): Sarif.Fix => ({
					description: { text: fix.title },
					artifactChanges: [{
						artifactLocation,
						replacements: fix.edits.map((edit): Sarif.Replacement => ({ deletedRegion: sarifRegion(file.lineStarts, edit.span), insertedContent: { text: edit.newText } })),
					}],
				}));
			}
			results.push(result);
		}
		for (let problemIndex = 0; problemIndex < file.directiveProblems.length; problemIndex++) {
			const problem = file.directiveProblems[problemIndex]!;
			notifications.push({
				level: 'warning',
				message: { text: problem.message },
				locations: [{ physicalLocation: { artifactLocation, region: sarifRegion(file.lineStarts, problem.span) } }],
			});
		}
	}
	const log: Sarif.Log = {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [{
			tool: {
				driver: {
					name: 'Policy Lens',
					informationUri: tool.informationUri,
					version: tool.version,
					semanticVersion: tool.version,
					rules: findingCodes.map(sarifRule),
				},
			},
			columnKind: 'utf16CodeUnits',
			invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
			results,
		}],
	};
	return JSON.stringify(log, null, 2) + '\n';
}
