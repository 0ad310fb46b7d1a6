// Terminology findings at the protocol boundary: diagnostics, code actions, and the workspace
// glossary edit behind "Add to workspace glossary".
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
	CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range,
} from 'vscode-languageserver';
import type { YAMLSeq } from 'yaml';
import { yamlLibrary } from '../core/libraries';
import type { CheckResult } from '../core/checks';
import type { FindingsMove } from '../core/incremental';
import type { Finding, Severity } from '../core/findings';
import type { Span } from '../core/types';
import { serverCommands } from '../protocol';
import { readTextFile } from '../node/files';
import { lineIndexAt, rangeOf } from './convert';
import { asciiJson } from './messageWriter';

const severityOf: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, lineStarts: readonly number[]): Diagnostic {
	return diagnosticOf(rangeOf(lineStarts, finding.span), severityOf[finding.severity], finding.code, finding.message);
}

/** The one shape of our diagnostics, its properties always in this order (`DiagnosticCache` relies on it). */
function diagnosticOf(range: Range, severity: DiagnosticSeverity, code: string, message: string): Diagnostic {
	return { range, severity, source: 'policy-lens', code, message };
}

/** A diagnostic handed out by a `DiagnosticCache`, with its JSON once it has been asked for. */
interface CachedDiagnostic {
	readonly diagnostic: Diagnostic;
	json: string | undefined;
}

/** How far past the expected place the previous diagnostics are searched for one equal to the next. */
const resynchronizeWithin = 16;

/**
 * An open document's diagnostics, converted from its findings and kept from one version to the
 * next. After an edit, most findings say the same at the same line and character (an edit moves
 * offsets, but only the findings on its own line change position), so their diagnostic objects
 * and JSON are reused instead of built again: a 1 MB draft has thousands. A diagnostic is reused
 * only when it equals the one the finding converts to, so the answer is always what
 * `toDiagnostic` gives; and full reuse tells the caller that nothing changed (`same`).
 */
export class DiagnosticCache {
	private last: readonly CachedDiagnostic[] = [];
	/** Where `convert` stands in `last`, and whether every diagnostic so far was reused in order. */
	private cursor = 0;
	private same = true;
	/** What `last` was converted from: the result, its line starts, and how many of `last` are its findings (the directive problems follow). */
	private lastResult: Pick<CheckResult, 'findings' | 'directiveProblems'> | undefined;
	private lastLineStarts: readonly number[] = [];
	private findingCount = 0;

	/**
	 * The diagnostics of a check result; `same` when they equal the previous call's, in order, and
	 * `json` their JSON, one string per diagnostic: what `JSON.stringify` gives for each, with
	 * every character past ASCII escaped (`asciiJson`), made once per diagnostic. When the result
	 * is the previous call's moved by an edit (`move`, see `findingsMoveOf`), only the findings
	 * after the edit on its line are converted again: the others keep their line and character.
	 */
	convert(result: Pick<CheckResult, 'findings' | 'directiveProblems'>, lineStarts: readonly number[], move?: FindingsMove): ConvertedDiagnostics {
		if (result === this.lastResult && lineStarts === this.lastLineStarts) return answer(this.last, true);
		const moved = move !== undefined && move.follows(this.lastResult) && lineStarts.length === this.lastLineStarts.length;
		const converted: CachedDiagnostic[] = moved ? this.last.slice(0, this.findingCount) : [];
		this.same = true;
		if (moved) {
			// The edit added and removed no line break and touched no finding: a finding keeps its line
			// and character unless it starts after the edit on the same line.
			const line = lineIndexAt(lineStarts, move.change.start);
			const { first, findings } = move.findingsStartingIn(move.change.start, lineStarts[line + 1] ?? Number.MAX_SAFE_INTEGER);
			for (let index = 0; index < findings.length; index++) {
				const finding = findings[index]!;
				this.cursor = first + index;
				converted[first + index] = this.take(finding.span, severityOf[finding.severity], finding.code, finding.message, lineStarts);
				if (this.cursor !== first + index + 1) this.same = false;
			}
			this.cursor = this.findingCount;
		} else {
			// Both lists are in document order: the previous diagnostics are walked alongside the findings.
			// No closure or record is made per finding: a long draft has thousands, on every keystroke.
			this.cursor = 0;
			for (const finding of result.findings) converted.push(this.take(finding.span, severityOf[finding.severity], finding.code, finding.message, lineStarts));
			this.findingCount = converted.length;
		}
		for (const problem of result.directiveProblems) converted.push(this.take(problem.span, DiagnosticSeverity.Warning, 'suppression.invalid', problem.message, lineStarts));
		const same = this.same && this.cursor === this.last.length;
		this.last = converted;
		this.lastResult = result;
		this.lastLineStarts = lineStarts;
		return answer(converted, same);
	}

	/** The previous diagnostic equal to this one, found near the cursor, or a new one. */
	private take(span: Span, severity: DiagnosticSeverity, code: string, message: string, lineStarts: readonly number[]): CachedDiagnostic {
		const previous = this.last;
		const startLine = lineIndexAt(lineStarts, span.start);
		const endLine = lineIndexAt(lineStarts, span.end);
		const startCharacter = span.start - lineStarts[startLine]!;
		const endCharacter = span.end - lineStarts[endLine]!;
		const cursor = this.cursor;
		const last = Math.min(previous.length - 1, cursor + resynchronizeWithin);
		for (let index = cursor; index <= last; index++) {
			const diagnostic = previous[index]!.diagnostic;
			const { start, end } = diagnostic.range;
			if (diagnostic.message === message && diagnostic.code === code && diagnostic.severity === severity
				&& start.line === startLine && start.character === startCharacter && end.line === endLine && end.character === endCharacter) {
				if (index !== cursor) this.same = false;
				this.cursor = index + 1;
				return previous[index]!;
			}
		}
		this.same = false;
		const range = { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
		return { diagnostic: diagnosticOf(range, severity, code, message), json: undefined };
	}
}

function answer(converted: readonly CachedDiagnostic[], same: boolean): ConvertedDiagnostics {
	return {
		diagnostics: converted.map((entry) => entry.diagnostic),
		same,
		json: () => converted.map((entry) => (entry.json ??= asciiJson(JSON.stringify(entry.diagnostic)))),
	};
}

export interface ConvertedDiagnostics {
	readonly diagnostics: Diagnostic[];
	readonly same: boolean;
	readonly json: () => string[];
}

function overlaps(a: Range, b: Range): boolean {
	const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
	return before(a.start, b.end) && before(b.start, a.end);
}

/** Quick fixes for the findings under `range`, each linked to its diagnostic. */
export function toCodeActions(uri: string, findings: readonly Finding[], range: Range, lineStarts: readonly number[], diagnostics: readonly Diagnostic[]): CodeAction[] {
	const actions: CodeAction[] = [];
	for (const finding of findings) {
		const findingRange = rangeOf(lineStarts, finding.span);
		if (!overlaps(findingRange, range)) continue;
		const diagnostic = diagnostics.find((candidate) => candidate.code === finding.code && candidate.range.start.line === findingRange.start.line && candidate.range.start.character === findingRange.start.character) ?? toDiagnostic(finding, lineStarts);
		for (const fix of finding.fixes) {
			actions.push({
				title: fix.title,
				kind: CodeActionKind.QuickFix,
				diagnostics: [diagnostic],
				isPreferred: fix.isPreferred,
				edit: { changes: { [uri]: fix.edits.map((edit) => ({ range: rangeOf(lineStarts, edit.span), newText: edit.newText })) } },
			});
		}
		if (finding.code === 'acronym.unknown' && finding.acronym) {
			actions.push({
				title: `Add "${finding.acronym}" to the workspace glossary`,
				kind: CodeActionKind.QuickFix,
				diagnostics: [diagnostic],
				command: { title: 'Add to workspace glossary', command: serverCommands.addToGlossary, arguments: [finding.acronym, uri] },
			});
		}
	}
	return actions;
}

/**
 * Adds an entry for an acronym to a glossary file, creating the file if needed, and writes it
 * atomically (a temporary file, then a rename) so a crash never leaves half a glossary.
 * Returns the entry's id.
 */
export async function addAcronymToGlossary(glossaryPath: string, acronym: string, foundIn: string): Promise<string> {
	const existing = await readTextFile(glossaryPath, 16 * 1048576);
	if (!('text' in existing) && !existing.missing) throw new Error(`The workspace glossary ${glossaryPath} ${existing.skipped}.`);
	const fresh = '# Policy Lens workspace glossary: entries here are merged over the built-in glossary.\nentries: []\n';
	const text = 'text' in existing && existing.text.trim() ? existing.text : fresh;
	const { isMap, isSeq, parseDocument, YAMLSeq } = yamlLibrary();
	const document = parseDocument(text);
	if (document.errors.length) throw new Error(`The workspace glossary ${glossaryPath} has a syntax error; fix it before adding entries.`);
	if (!isMap(document.contents)) throw new Error(`The workspace glossary ${glossaryPath} is not a mapping with "entries"; fix it before adding entries.`);
	let entries = document.get('entries', true);
	if (!isSeq(entries)) {
		entries = new YAMLSeq();
		document.set('entries', entries);
	}
	const ids = new Set((entries as YAMLSeq).items.map((item) => (isMap(item) ? String(item.get('id')) : '')));
	const base = `ws.${acronym.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'acronym'}`;
	let id = base;
	for (let suffix = 2; ids.has(id); suffix++) id = `${base}-${suffix}`;
	(entries as YAMLSeq).add(document.createNode({
		id,
		kind: 'term',
		name: acronym,
		acronyms: [acronym],
		description: `Added from ${basename(foundIn)}; say here what ${acronym} stands for.`,
	}));
	if ((entries as YAMLSeq).flow) (entries as YAMLSeq).flow = false;
	const temporary = join(dirname(glossaryPath), `.${basename(glossaryPath)}.${process.pid}.tmp`);
	await writeFile(temporary, document.toString(), 'utf8');
	await rename(temporary, glossaryPath);
	return id;
}
