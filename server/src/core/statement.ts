// Reads one document in the format of "The World and Japan" Database (GRIPS / University of
// Tokyo): an optional banner, a header of `[Label] value` lines, then the full text. Any other
// text is read as a plain document, so that paragraph numbers work everywhere.
//
// The parser walks the text once, line by line, with `indexOf('\n')`, and keeps offsets rather
// than substrings: it runs on every statement of the database at index time (about 10,000
// files, 70 MB), so it must stay linear and allocate little.

import type { TextChange } from './textChange';
import type {
	DatePrecision,
	FieldName,
	HeaderField,
	Paragraph,
	ParsedDocument,
	ParseProblem,
	StatementDate,
} from './types';

/** Labels of the header, keyed by their normalized spelling (lower case, single spaces). */
const headerLabelNames: ReadonlyMap<string, FieldName> = new Map<string, FieldName>([
	['title', 'title'],
	['place', 'place'],
	['date', 'date'],
	['source', 'source'],
	['notes', 'notes'],
	['full text', 'fullText'],
	['文書名', 'title'],
	['場所', 'place'],
	['年月日', 'date'],
	['出典', 'source'],
	['備考', 'notes'],
	['全文', 'fullText'],
]);

/** The header must start within this many lines; a banner and a stray line or two come before it. */
const headerSearchLineLimit = 40;

/** The longest label, `[Full text]`, plus some slack for doubled spaces. */
const longestLabelLength = 14;

const characterCode = {
	tab: 0x09,
	lineFeed: 0x0a,
	carriageReturn: 0x0d,
	space: 0x20,
	numberSign: 0x23,
	openParenthesis: 0x28,
	closeParenthesis: 0x29,
	fullStop: 0x2e,
	colon: 0x3a,
	openBracket: 0x5b,
	closeBracket: 0x5d,
	noBreakSpace: 0xa0,
	ideographicSpace: 0x3000,
	byteOrderMark: 0xfeff,
	fullWidthOpenParenthesis: 0xff08,
	fullWidthCloseParenthesis: 0xff09,
	fullWidthFullStop: 0xff0e,
	fullWidthOpenBracket: 0xff3b,
	fullWidthCloseBracket: 0xff3d,
} as const;

/** Whitespace for trimming: ASCII, no-break space, the ideographic space, and a stray byte-order mark. */
function isWhitespaceCode(code: number): boolean {
	return (
		code === characterCode.space ||
		(code >= characterCode.tab && code <= characterCode.carriageReturn) ||
		code === characterCode.noBreakSpace ||
		code === characterCode.ideographicSpace ||
		code === characterCode.byteOrderMark
	);
}

function skipWhitespaceForward(text: string, start: number, end: number): number {
	let position = start;
	while (position < end && isWhitespaceCode(text.charCodeAt(position))) position++;
	return position;
}

function skipWhitespaceBackward(text: string, start: number, end: number): number {
	let position = end;
	while (position > start && isWhitespaceCode(text.charCodeAt(position - 1))) position--;
	return position;
}

/** One line of the text: where it starts, where its content ends (before `\r\n` or `\n`), and where the next line starts. */
interface LineBounds {
	readonly start: number;
	readonly contentEnd: number;
	/** Offset of the next line, or -1 when this is the last line. */
	readonly next: number;
}

function lineAt(text: string, start: number): LineBounds {
	const newline = text.indexOf('\n', start);
	const end = newline < 0 ? text.length : newline;
	const contentEnd = end > start && text.charCodeAt(end - 1) === characterCode.carriageReturn ? end - 1 : end;
	return { start, contentEnd, next: newline < 0 ? -1 : newline + 1 };
}

interface LabelMatch {
	readonly name: FieldName;
	readonly labelStart: number;
	readonly labelEnd: number;
}

/** Recognizes `[Title]`, `［Title］`, `[文書名]` and the other labels at the start of a line. */
function matchHeaderLabel(text: string, line: LineBounds): LabelMatch | undefined {
	const labelStart = skipWhitespaceForward(text, line.start, line.contentEnd);
	const open = text.charCodeAt(labelStart);
	if (open !== characterCode.openBracket && open !== characterCode.fullWidthOpenBracket) return undefined;
	const searchEnd = Math.min(line.contentEnd, labelStart + longestLabelLength);
	let close = -1;
	for (let position = labelStart + 1; position < searchEnd; position++) {
		const code = text.charCodeAt(position);
		if (code === characterCode.closeBracket || code === characterCode.fullWidthCloseBracket) {
			close = position;
			break;
		}
	}
	if (close < 0) return undefined;
	const name = headerLabelNames.get(text.slice(labelStart + 1, close).trim().replace(/\s+/g, ' ').toLowerCase());
	if (name === undefined) return undefined;
	// Markdown writes links and footnotes as `[Title](...)`, `[Title][...]` and `[Title]: ...`;
	// those must not turn a Markdown file into a statement.
	const after = text.charCodeAt(close + 1);
	if (after === characterCode.openParenthesis || after === characterCode.openBracket || after === characterCode.colon) {
		return undefined;
	}
	return { name, labelStart, labelEnd: close + 1 };
}

function isBlankLine(text: string, line: LineBounds): boolean {
	return skipWhitespaceForward(text, line.start, line.contentEnd) === line.contentEnd;
}

interface HeaderReading {
	readonly fields: HeaderField[];
	readonly bodyStart: number;
}

/**
 * Finds the header within the first lines and reads its fields. The header ends at the
 * `[Full text]` line or, in records without one, at the first line that is neither blank nor a
 * label (such records go straight from `[Title]` to the body).
 */
function readHeader(text: string): HeaderReading | undefined {
	let line = lineAt(text, 0);
	let label = matchHeaderLabel(text, line);
	for (let lineIndex = 1; label === undefined; lineIndex++) {
		if (line.next < 0 || lineIndex >= headerSearchLineLimit) return undefined;
		line = lineAt(text, line.next);
		label = matchHeaderLabel(text, line);
	}

	const fields: HeaderField[] = [];
	for (;;) {
		if (label !== undefined) {
			const valueStart = skipWhitespaceForward(text, label.labelEnd, line.contentEnd);
			const valueEnd = skipWhitespaceBackward(text, valueStart, line.contentEnd);
			const blank = valueStart === valueEnd;
			fields.push({
				name: label.name,
				label: text.slice(label.labelStart, label.labelEnd),
				value: text.slice(valueStart, valueEnd),
				span: { start: label.labelStart, end: blank ? label.labelEnd : valueEnd },
				valueSpan: blank ? { start: label.labelEnd, end: label.labelEnd } : { start: valueStart, end: valueEnd },
			});
			if (label.name === 'fullText') {
				// Text written on the `[Full text]` line itself is the start of the body.
				if (!blank) return { fields, bodyStart: valueStart };
				return { fields, bodyStart: line.next < 0 ? text.length : line.next };
			}
		} else if (!isBlankLine(text, line)) {
			return { fields, bodyStart: line.start };
		}
		if (line.next < 0) return { fields, bodyStart: text.length };
		line = lineAt(text, line.next);
		label = matchHeaderLabel(text, line);
	}
}

/** Reads a document: a statement of the database when its header is found, otherwise plain text. */
export function parseStatement(text: string): ParsedDocument {
	return parseWith(text, splitParagraphs)!;
}

/**
 * `parseStatement(text)` for a text that differs from `previousText` only in `change`, given
 * `previous`, the parse of `previousText`: the header is read again (a few lines), but when the
 * change adds and removes no line break, the paragraphs before the edited line are kept, the one
 * holding it is measured again and those after it are moved. A keystroke in a long draft then
 * costs a few objects instead of every paragraph. Undefined when it cannot tell: the change is in
 * the header or may regroup lines (a line becoming blank or not, a heading or not).
 */
export function parseStatementAfterEdit(previous: ParsedDocument, previousText: string, text: string, change: TextChange): ParsedDocument | undefined {
	if (holdsLineBreak(previousText, change.start, change.previousEnd) || holdsLineBreak(text, change.start, change.nextEnd)) return undefined;
	// A change right after a carriage return may split a CRLF line break.
	if (change.start > 0 && text.charCodeAt(change.start - 1) === characterCode.carriageReturn) return undefined;
	return parseWith(text, (_text, bodyStart, headingsAreParagraphs) => {
		if (bodyStart !== previous.bodyStart || headingsAreParagraphs === previous.isStatement) return undefined;
		return splicedParagraphs(previous.paragraphs, previousText, text, change, bodyStart, headingsAreParagraphs);
	});
}

function holdsLineBreak(text: string, start: number, end: number): boolean {
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code === characterCode.lineFeed || code === characterCode.carriageReturn) return true;
	}
	return false;
}

/** A line's trimmed bounds, and what decides how it groups into paragraphs. */
function lineShape(text: string, line: LineBounds, headingsAreParagraphs: boolean): { start: number; end: number; blank: boolean; heading: boolean } {
	const start = skipWhitespaceForward(text, line.start, line.contentEnd);
	const end = skipWhitespaceBackward(text, start, line.contentEnd);
	const blank = start === line.contentEnd;
	return { start, end, blank, heading: !blank && headingsAreParagraphs && isMarkdownHeading(text, start, end) };
}

/**
 * `splitParagraphs` of `text` from that of `previousText`, for a change within one line that
 * leaves the line as blank and as much a heading as it was: every line groups as before, so only
 * the paragraph holding the line can change, and the later ones move.
 */
function splicedParagraphs(previous: readonly Paragraph[], previousText: string, text: string, change: TextChange, bodyStart: number, headingsAreParagraphs: boolean): Paragraph[] | undefined {
	const lineStart = change.start === 0 ? 0 : text.lastIndexOf('\n', change.start - 1) + 1;
	if (lineStart < bodyStart) return undefined;
	const before = lineShape(previousText, lineAt(previousText, lineStart), headingsAreParagraphs);
	const after = lineShape(text, lineAt(text, lineStart), headingsAreParagraphs);
	if (before.blank !== after.blank || before.heading !== after.heading) return undefined;
	const delta = change.nextEnd - change.previousEnd;
	// The first paragraph that ends on the line or after it; a paragraph holding the line starts on it or before.
	let index = 0;
	for (let high = previous.length; index < high;) {
		const middle = (index + high) >> 1;
		if (previous[middle]!.span.end < lineStart) index = middle + 1;
		else high = middle;
	}
	const paragraphs = previous.slice(0, index);
	let next = index;
	if (!before.blank) {
		const holding = previous[index];
		if (holding === undefined || holding.span.start > before.end) return undefined;
		const start = holding.span.start >= lineStart ? after.start : holding.span.start;
		const end = holding.span.end <= before.end ? after.end : holding.span.end + delta;
		const label = readParagraphLabel(text, start, end);
		paragraphs.push(label === undefined ? { number: holding.number, span: { start, end } } : { number: holding.number, label, span: { start, end } });
		next++;
	}
	for (; next < previous.length; next++) {
		const paragraph = previous[next]!;
		if (delta === 0) paragraphs.push(paragraph);
		else {
			const span = { start: paragraph.span.start + delta, end: paragraph.span.end + delta };
			paragraphs.push(paragraph.label === undefined ? { number: paragraph.number, span } : { number: paragraph.number, label: paragraph.label, span });
		}
	}
	return paragraphs;
}

/** `parseStatement`, with the body's paragraphs from `paragraphsOf` (what `splitParagraphs` gives), or undefined when it gives none. */
function parseWith(text: string, paragraphsOf: (text: string, bodyStart: number, headingsAreParagraphs: boolean) => Paragraph[] | undefined): ParsedDocument | undefined {
	const header = readHeader(text);
	const isStatement = header !== undefined && header.fields.some((field) => field.name === 'title' || field.name === 'fullText');
	if (header === undefined || !isStatement) {
		const paragraphs = paragraphsOf(text, 0, true);
		if (paragraphs === undefined) return undefined;
		return {
			isStatement: false,
			fields: [],
			bodyStart: 0,
			paragraphs,
			problems: [],
		};
	}

	const values: Partial<Record<FieldName, string>> = {};
	const problems: ParseProblem[] = [];
	let date: StatementDate | undefined;
	// The first non-blank value of each field counts; a repeated label is kept in `fields` only.
	for (const field of header.fields) {
		if (field.value === '' || values[field.name] !== undefined) continue;
		values[field.name] = field.value;
		if (field.name === 'date') {
			date = parseDate(field.value);
			if (date === undefined) problems.push({ span: field.valueSpan, message: describeUnreadableDate(field.value) });
		}
	}

	const paragraphs = paragraphsOf(text, header.bodyStart, false);
	if (paragraphs === undefined) return undefined;
	return {
		isStatement: true,
		...(values.title !== undefined && { title: values.title }),
		...(values.place !== undefined && { place: values.place }),
		...(date !== undefined && { date }),
		...(values.source !== undefined && { source: values.source }),
		...(values.notes !== undefined && { notes: values.notes }),
		fields: header.fields,
		bodyStart: header.bodyStart,
		paragraphs,
		problems,
	};
}

// ---------------------------------------------------------------------------------------------
// Paragraphs
// ---------------------------------------------------------------------------------------------

/** A Markdown ATX heading: one to six `#` followed by a space or the end of the line. */
function isMarkdownHeading(text: string, start: number, end: number): boolean {
	let position = start;
	while (position < end && position - start < 7 && text.charCodeAt(position) === characterCode.numberSign) position++;
	const hashes = position - start;
	if (hashes < 1 || hashes > 6) return false;
	return position === end || text.charCodeAt(position) === characterCode.space || text.charCodeAt(position) === characterCode.tab;
}

/**
 * Splits `[bodyStart, text.length)` into paragraphs. When blank lines separate the body's lines,
 * paragraphs are the blocks between them; when the body has no blank line at all (some records
 * are stored that way), every line is a paragraph.
 */
function splitParagraphs(text: string, bodyStart: number, headingsAreParagraphs: boolean): Paragraph[] {
	// Trimmed bounds of the non-blank lines, and whether a new block starts at each.
	const lineStarts: number[] = [];
	const lineEnds: number[] = [];
	const startsBlock: boolean[] = [];
	let blankLineBetweenText = false;
	let blankLinePending = false;
	let previousWasHeading = false;

	let next = bodyStart;
	while (next >= 0 && next <= text.length) {
		const line = lineAt(text, next);
		next = line.next;
		const start = skipWhitespaceForward(text, line.start, line.contentEnd);
		if (start === line.contentEnd) {
			if (lineStarts.length > 0) blankLinePending = true;
			continue;
		}
		const end = skipWhitespaceBackward(text, start, line.contentEnd);
		const isHeading = headingsAreParagraphs && isMarkdownHeading(text, start, end);
		if (blankLinePending) blankLineBetweenText = true;
		lineStarts.push(start);
		lineEnds.push(end);
		startsBlock.push(blankLinePending || isHeading || previousWasHeading);
		blankLinePending = false;
		previousWasHeading = isHeading;
	}

	const paragraphs: Paragraph[] = [];
	const addParagraph = (start: number, end: number): void => {
		const label = readParagraphLabel(text, start, end);
		// Two literals rather than a conditional spread, which is slow on the indexing path; the keys keep their order.
		const number = paragraphs.length + 1;
		paragraphs.push(label === undefined ? { number, span: { start, end } } : { number, label, span: { start, end } });
	};
	if (!blankLineBetweenText) {
		for (let index = 0; index < lineStarts.length; index++) addParagraph(lineStarts[index]!, lineEnds[index]!);
		return paragraphs;
	}
	let blockStart = 0;
	for (let index = 1; index <= lineStarts.length; index++) {
		if (index === lineStarts.length || startsBlock[index]) {
			addParagraph(lineStarts[blockStart]!, lineEnds[index - 1]!);
			blockStart = index;
		}
	}
	return paragraphs;
}

/** The value of an ASCII or full-width decimal digit, or -1. */
function digitValue(code: number): number {
	if (code >= 0x30 && code <= 0x39) return code - 0x30;
	if (code >= 0xff10 && code <= 0xff19) return code - 0xff10;
	return -1;
}

const romanNumeralPattern = /^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const lowerRomanNumeralPattern = /^(?:x{0,3})(?:ix|iv|v?i{0,3})$/;

/**
 * The paragraph's own numbering, as written: `1.`, `1．`, `１．`, `(1)`, `（１）`, `(a)`, `(iv)`,
 * `1)`, `IV.`. A number directly followed by another digit ("1.5 percent") is not a label.
 */
function readParagraphLabel(text: string, start: number, end: number): string | undefined {
	const first = text.charCodeAt(start);

	if (first === characterCode.openParenthesis || first === characterCode.fullWidthOpenParenthesis) {
		const searchEnd = Math.min(end, start + 7);
		for (let position = start + 1; position < searchEnd; position++) {
			const code = text.charCodeAt(position);
			if (code !== characterCode.closeParenthesis && code !== characterCode.fullWidthCloseParenthesis) continue;
			const inside = text.slice(start + 1, position);
			const isNumber = inside.length > 0 && inside.length <= 3 && [...inside].every((character) => digitValue(character.charCodeAt(0)) >= 0);
			const isLetter = /^[a-z]$/.test(inside);
			const isRoman = inside.length > 0 && lowerRomanNumeralPattern.test(inside);
			return isNumber || isLetter || isRoman ? text.slice(start, position + 1) : undefined;
		}
		return undefined;
	}

	if (digitValue(first) >= 0) {
		let position = start;
		while (position < end && position - start < 3 && digitValue(text.charCodeAt(position)) >= 0) position++;
		const terminator = text.charCodeAt(position);
		if (terminator === characterCode.closeParenthesis || terminator === characterCode.fullWidthCloseParenthesis) {
			return text.slice(start, position + 1);
		}
		if (terminator === characterCode.fullStop || terminator === characterCode.fullWidthFullStop) {
			const following = position + 1 < end ? text.charCodeAt(position + 1) : -1;
			if (following >= 0 && digitValue(following) >= 0) return undefined;
			return text.slice(start, position + 1);
		}
		return undefined;
	}

	// Roman numerals need the period and a space (or the end), so that "I" the pronoun and
	// words such as "CD" or "MIX" are not mistaken for numbering.
	let position = start;
	while (position < end && position - start < 8 && 'IVXLCDM'.includes(text.charAt(position))) position++;
	if (position === start || text.charCodeAt(position) !== characterCode.fullStop) return undefined;
	const afterPeriod = position + 1;
	if (afterPeriod < end && !isWhitespaceCode(text.charCodeAt(afterPeriod))) return undefined;
	return romanNumeralPattern.test(text.slice(start, position)) ? text.slice(start, position + 1) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const monthNames = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
] as const;

/** Month numbers by lower-case full name and by the abbreviations used in official texts. */
const monthNumbersByName: ReadonlyMap<string, number> = new Map<string, number>([
	...monthNames.map((name, index): [string, number] => [name.toLowerCase(), index + 1]),
	['jan', 1],
	['feb', 2],
	['mar', 3],
	['apr', 4],
	['jun', 6],
	['jul', 7],
	['aug', 8],
	['sep', 9],
	['sept', 9],
	['oct', 10],
	['nov', 11],
	['dec', 12],
]);

/**
 * Japanese eras since the modern calendar, with their first and last days, so that a date such
 * as 平成31年5月1日 (after the Heisei era ended) is refused rather than silently converted.
 */
interface JapaneseEra {
	readonly englishName: string;
	/** The Gregorian year of the era's first year (元年). */
	readonly firstYear: number;
	readonly firstDay: string;
	readonly lastDay: string;
}

const japaneseEras: ReadonlyMap<string, JapaneseEra> = new Map<string, JapaneseEra>([
	['令和', { englishName: 'Reiwa', firstYear: 2019, firstDay: '2019-05-01', lastDay: '9999-12-31' }],
	['平成', { englishName: 'Heisei', firstYear: 1989, firstDay: '1989-01-08', lastDay: '2019-04-30' }],
	['昭和', { englishName: 'Showa', firstYear: 1926, firstDay: '1926-12-25', lastDay: '1989-01-07' }],
	['大正', { englishName: 'Taisho', firstYear: 1912, firstDay: '1912-07-30', lastDay: '1926-12-25' }],
]);

interface DateParts {
	readonly year: number;
	readonly month?: number;
	readonly day?: number;
	readonly era?: JapaneseEra;
}

/** Replaces full-width digits and punctuation by ASCII and collapses spaces, so one set of patterns reads both. */
function normalizeDateText(text: string): string {
	return text
		.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 0x30))
		.replace(/，/g, ',')
		.replace(/．/g, '.')
		.replace(/－/g, '-')
		.replace(/[\s\u3000]+/g, ' ')
		.trim();
}

const isoDatePattern = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/;
const japaneseDatePattern = /^(\d{4}) ?年(?: ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?)?$/;
const japaneseEraDatePattern = /^(令和|平成|昭和|大正) ?(元|\d{1,2}) ?年(?: ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?)?$/;
const monthDayYearPattern = /^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/;
const dayMonthYearPattern = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})$/;
const monthYearPattern = /^([A-Za-z]+)\.?,? (\d{4})$/;
const yearPattern = /^(\d{4})$/;

function optionalNumber(text: string | undefined): number | undefined {
	return text === undefined ? undefined : Number(text);
}

function monthNumber(name: string): number | undefined {
	return monthNumbersByName.get(name.toLowerCase());
}

/** Reads the shape of a date without checking that it exists; `undefined` when no pattern fits. */
function readDateParts(normalized: string): DateParts | undefined {
	let match = isoDatePattern.exec(normalized);
	if (match) return { year: Number(match[1]), month: Number(match[2]), ...(match[3] !== undefined && { day: Number(match[3]) }) };

	match = japaneseDatePattern.exec(normalized);
	if (match) {
		const month = optionalNumber(match[2]);
		const day = optionalNumber(match[3]);
		return { year: Number(match[1]), ...(month !== undefined && { month }), ...(day !== undefined && { day }) };
	}

	match = japaneseEraDatePattern.exec(normalized);
	if (match) {
		const era = japaneseEras.get(match[1]!)!;
		const yearOfEra = match[2] === '元' ? 1 : Number(match[2]);
		const month = optionalNumber(match[3]);
		const day = optionalNumber(match[4]);
		return { year: era.firstYear + yearOfEra - 1, era, ...(month !== undefined && { month }), ...(day !== undefined && { day }) };
	}

	match = monthDayYearPattern.exec(normalized);
	if (match) {
		const month = monthNumber(match[1]!);
		return month === undefined ? undefined : { year: Number(match[3]), month, day: Number(match[2]) };
	}

	match = dayMonthYearPattern.exec(normalized);
	if (match) {
		const month = monthNumber(match[2]!);
		return month === undefined ? undefined : { year: Number(match[3]), month, day: Number(match[1]) };
	}

	match = monthYearPattern.exec(normalized);
	if (match) {
		const month = monthNumber(match[1]!);
		return month === undefined ? undefined : { year: Number(match[2]), month };
	}

	match = yearPattern.exec(normalized);
	if (match) return { year: Number(match[1]) };
	return undefined;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function padded(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

function isoText(parts: DateParts): string {
	if (parts.month === undefined) return padded(parts.year, 4);
	if (parts.day === undefined) return `${padded(parts.year, 4)}-${padded(parts.month, 2)}`;
	return `${padded(parts.year, 4)}-${padded(parts.month, 2)}-${padded(parts.day, 2)}`;
}

/** Why the parts do not name a real date, as a clause ("February 2023 has no day 29"), or `undefined` when they do. */
function findDateError(parts: DateParts): string | undefined {
	if (parts.year < 1000) return `the year ${parts.year} is not a four-digit year`;
	if (parts.month !== undefined && (parts.month < 1 || parts.month > 12)) return `there is no month ${parts.month}`;
	if (parts.month !== undefined && parts.day !== undefined) {
		if (parts.day < 1 || parts.day > daysInMonth(parts.year, parts.month)) {
			return `${monthNames[parts.month - 1]} ${parts.year} has no day ${parts.day}`;
		}
	}
	if (parts.era !== undefined) {
		// Compare at the precision given, so that 平成31年 (1989 + 30 = 2019) is accepted while
		// 平成32年 and 平成31年5月 are not.
		const iso = isoText(parts);
		const first = parts.era.firstDay.slice(0, iso.length);
		const last = parts.era.lastDay.slice(0, iso.length);
		if (iso < first || iso > last) {
			return `the ${parts.era.englishName} era ran from ${parts.era.firstDay} to ${parts.era.lastDay}`.replace(' to 9999-12-31', ' onwards');
		}
	}
	return undefined;
}

function precisionOf(parts: DateParts): DatePrecision {
	if (parts.day !== undefined) return 'day';
	return parts.month !== undefined ? 'month' : 'year';
}

/**
 * Reads the value of a `[Date]` field: "August 27, 2024", "Aug. 27, 2024", "8 December, 2001",
 * "February 2013", "2013", "2024-08-27", "2009年4月14日" (also with full-width digits), and the
 * Japanese eras 令和, 平成, 昭和 and 大正 ("平成21年4月14日", "令和元年"). Returns `undefined` when
 * the text is not a date or names a day that does not exist.
 */
export function parseDate(text: string): StatementDate | undefined {
	const parts = readDateParts(normalizeDateText(text));
	if (parts === undefined || findDateError(parts) !== undefined) return undefined;
	return { iso: isoText(parts), precision: precisionOf(parts), text: text.trim() };
}

/** The same date written the way the database writes English dates. */
function englishText(parts: DateParts): string {
	if (parts.month === undefined) return String(parts.year);
	const month = monthNames[parts.month - 1]!;
	return parts.day === undefined ? `${month} ${parts.year}` : `${month} ${parts.day}, ${parts.year}`;
}

/** Levenshtein distance, for the few short words of a date. */
function editDistance(left: string, right: string): number {
	let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
	for (let leftIndex = 1; leftIndex <= left.length; leftIndex++) {
		const current = [leftIndex];
		for (let rightIndex = 1; rightIndex <= right.length; rightIndex++) {
			const substitution = previous[rightIndex - 1]! + (left[leftIndex - 1] === right[rightIndex - 1] ? 0 : 1);
			current.push(Math.min(previous[rightIndex]! + 1, current[rightIndex - 1]! + 1, substitution));
		}
		previous = current;
	}
	return previous[right.length]!;
}

/** Replaces a misspelt month name ("Agust", "Febuary") by the nearest month, when exactly one is near. */
function correctMonthSpelling(normalized: string): string | undefined {
	let corrected = false;
	const result = normalized.replace(/[A-Za-z]{3,}/g, (word) => {
		if (monthNumber(word) !== undefined) return word;
		const lower = word.toLowerCase();
		const near = monthNames.filter((name) => editDistance(lower, name.toLowerCase()) <= 2);
		if (near.length !== 1) return word;
		corrected = true;
		return near[0]!;
	});
	return corrected ? result : undefined;
}

const dateExamples = '"August 27, 2024" or "2024-08-27"';

/** A whole sentence saying why a `[Date]` value could not be read and how to write it. */
function describeUnreadableDate(value: string): string {
	const normalized = normalizeDateText(value);
	const parts = readDateParts(normalized);
	if (parts !== undefined) {
		const error = findDateError(parts);
		if (error !== undefined) return `The date "${value}" could not be read because ${error}; write a date that exists, like ${dateExamples}.`;
	}
	const corrected = correctMonthSpelling(normalized);
	const correctedParts = corrected === undefined ? undefined : readDateParts(corrected);
	if (correctedParts !== undefined && findDateError(correctedParts) === undefined) {
		return `The date "${value}" could not be read; write it as "${englishText(correctedParts)}" or "${isoText(correctedParts)}".`;
	}
	return `The date "${value}" could not be read; write it like ${dateExamples}.`;
}
