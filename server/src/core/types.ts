// Plain records shared by every part of the core. The core speaks in UTF-16 offsets
// `[start, end)` into a document's text; conversion to LSP ranges happens at the boundary.

/** A half-open span of UTF-16 code units. */
export interface Span {
	readonly start: number;
	readonly end: number;
}

export type DatePrecision = 'day' | 'month' | 'year';

export interface StatementDate {
	/** ISO 8601 at the given precision: `2024-08-27`, `2013-02` or `1996`. */
	readonly iso: string;
	readonly precision: DatePrecision;
	/** The text as written in the header, trimmed. */
	readonly text: string;
}

/** The header fields of the database's format, in English and Japanese spelling. */
export type FieldName = 'title' | 'place' | 'date' | 'source' | 'notes' | 'fullText';

export interface HeaderField {
	readonly name: FieldName;
	/** The label as written, e.g. `[Title]` or `[文書名]`. */
	readonly label: string;
	/** The trimmed value; empty when the field is present but blank. */
	readonly value: string;
	/** Where the whole line (label and value) stands. */
	readonly span: Span;
	/** Where the trimmed value stands (empty span after the label when blank). */
	readonly valueSpan: Span;
}

export interface Paragraph {
	/** 1-based position among the document's paragraphs. */
	readonly number: number;
	/** The paragraph's own numbering as written ("1.", "(1)", "I.", "1．"), if any. */
	readonly label?: string;
	/** The paragraph's text span, without surrounding blank lines. */
	readonly span: Span;
}

/** A statement in the format of "The World and Japan" Database, or any other document. */
export interface ParsedDocument {
	/** True when a database header (`[Title]`/`[文書名]` or `[Full text]`/`[全文]`) was found. */
	readonly isStatement: boolean;
	readonly title?: string;
	readonly place?: string;
	readonly date?: StatementDate;
	readonly source?: string;
	readonly notes?: string;
	readonly fields: readonly HeaderField[];
	/** Offset where the body (the full text) starts. */
	readonly bodyStart: number;
	readonly paragraphs: readonly Paragraph[];
	/** Problems found while parsing, e.g. a date that could not be read. Never fatal. */
	readonly problems: readonly ParseProblem[];
}

export interface ParseProblem {
	readonly span: Span;
	readonly message: string;
}

/** An acronym definition found in text: "Japan Aerospace Exploration Agency (JAXA)" or "APEC (Asia-Pacific Economic Cooperation)". */
export interface AcronymDefinition {
	readonly acronym: string;
	/** The expansion as written, whitespace collapsed to single spaces. */
	readonly expansion: string;
	readonly acronymSpan: Span;
	readonly expansionSpan: Span;
	/** `long-short` for "Long Name (ABC)", `short-long` for "ABC (Long Name)". */
	readonly form: 'long-short' | 'short-long';
}
