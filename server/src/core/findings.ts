// Findings of the terminology checks: plain records (span, code, message, fixes) that know
// nothing of LSP. The table of codes below is the single source for the settings, the README,
// the CLI's SARIF rules and the defaults.
import type { Span } from './types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export const findingCodes = [
	'acronym.undefined',
	'acronym.used-before-definition',
	'acronym.defined-twice',
	'acronym.conflicting-expansion',
	'acronym.spelled-out-after-definition',
	'acronym.unused-definition',
	'term.variant-spelling',
	'term.outdated-name',
	'treaty.unknown-article',
	'acronym.unknown',
] as const;

export type FindingCode = (typeof findingCodes)[number];

export interface CodeDescription {
	readonly defaultSeverity: SeveritySetting;
	/** What the check finds, in a phrase. */
	readonly finds: string;
	/** What its quick fix does, or undefined when it has none. */
	readonly fix?: string;
	/** A short draft in which the check fires. */
	readonly example: string;
}

export const codeDescriptions: Readonly<Record<FindingCode, CodeDescription>> = {
	'acronym.undefined': { defaultSeverity: 'warning', finds: 'an acronym used with no definition in the document', fix: 'expand its first use to "Full Name (ACR)", the expansion taken from the glossary or the corpus', example: 'JAXA will launch the probe.' },
	'acronym.used-before-definition': { defaultSeverity: 'warning', finds: 'an acronym used before the document defines it', fix: 'move the definition to the first use', example: 'JAXA said... Later: the Japan Aerospace Exploration Agency (JAXA).' },
	'acronym.defined-twice': { defaultSeverity: 'warning', finds: 'an acronym defined again after its first definition', fix: 'drop the repeated expansion', example: 'Japan Aerospace Exploration Agency (JAXA) ... Japan Aerospace Exploration Agency (JAXA)' },
	'acronym.conflicting-expansion': { defaultSeverity: 'warning', finds: "an acronym defined with an expansion that differs from the document's earlier one or from the official one", fix: 'use the official expansion', example: 'the Japan Space Agency (JAXA)' },
	'acronym.spelled-out-after-definition': { defaultSeverity: 'information', finds: 'the full name written again after the acronym was introduced', fix: 'use the acronym', example: 'Japan Aerospace Exploration Agency (JAXA) ... the Japan Aerospace Exploration Agency said' },
	'acronym.unused-definition': { defaultSeverity: 'information', finds: 'an acronym defined but never used again', fix: 'drop the definition, keeping the full name', example: 'The Global Precipitation Measurement (GPM) mission turned ten.' },
	'term.variant-spelling': { defaultSeverity: 'warning', finds: 'two spellings of one term or name in a document; the configured preferred form wins, else the first used', fix: 'use the preferred form', example: 'low Earth orbit ... low-earth orbit' },
	'term.outdated-name': { defaultSeverity: 'warning', finds: "a name that was not current at the document's date", fix: 'the name current at that date', example: 'NASDA in a 2024 draft' },
	'treaty.unknown-article': { defaultSeverity: 'error', finds: 'an article number the treaty does not have', example: 'Article XII of the Japan-U.S. Security Treaty' },
	'acronym.unknown': { defaultSeverity: 'hint', finds: 'an acronym that neither the glossary, the corpus nor the document defines', fix: 'add it to the workspace glossary', example: 'The XQZ team met.' },
};

export interface TextEdit {
	readonly span: Span;
	readonly newText: string;
}

/** A quick fix as data: edits to the checked document. The LSP layer turns it into a code action. */
export interface Fix {
	readonly title: string;
	readonly edits: readonly TextEdit[];
	readonly isPreferred?: boolean;
}

export interface Finding {
	readonly code: FindingCode;
	readonly span: Span;
	readonly severity: Severity;
	/** A whole sentence: what is wrong and what to do. */
	readonly message: string;
	readonly fixes: readonly Fix[];
	/** For `acronym.unknown`: the acronym, so the "add to glossary" command knows what to add. */
	readonly acronym?: string;
}

export function isFindingCode(code: string): code is FindingCode {
	return (findingCodes as readonly string[]).includes(code);
}

const severityRank: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
	return severityRank[severity] >= severityRank[threshold];
}
