// Terminology findings at the protocol boundary: diagnostics, code actions, and the workspace
// glossary edit behind "Add to workspace glossary".
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
	CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range,
} from 'vscode-languageserver';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { Finding, Severity } from '../core/findings';
import type { Span } from '../core/types';
import { serverCommands } from '../protocol';
import { readTextFile } from '../node/files';
import { rangeOf } from './convert';

const severityOf: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, lineStarts: readonly number[]): Diagnostic {
	return { range: rangeOf(lineStarts, finding.span), severity: severityOf[finding.severity], source: 'policy-lens', code: finding.code, message: finding.message };
}

export function directiveDiagnostic(problem: { span: Span; message: string }, lineStarts: readonly number[]): Diagnostic {
	return { range: rangeOf(lineStarts, problem.span), severity: DiagnosticSeverity.Warning, source: 'policy-lens', code: 'suppression.invalid', message: problem.message };
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
