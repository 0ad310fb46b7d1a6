// Finds acronym definitions such as "Japan Aerospace Exploration Agency (JAXA)",
// "APEC (Asia-Pacific Economic Cooperation)" and "宇宙航空研究開発機構（JAXA）".
//
// The English part follows Schwartz and Hearst (2003), "A simple algorithm for identifying
// abbreviation definitions in biomedical text": a short token in parentheses is a candidate, the
// long form is looked for in a few words before it, and the letters of the acronym are matched
// right to left, the first letter at the start of a word. Two changes fit official prose better:
// a letter may prefer the first letter of the next content word ("Prevention, Preparedness, and
// Response (PPR)" would otherwise start at "Preparedness"), and one letter of a longer acronym may
// stay unmatched when nothing else fits ("MEXT", whose X stands for no letter of its name).
//
// Japanese long forms cannot be matched letter by letter, so there the long form is the run of
// kanji and katakana right before the parenthesis.
//
// Only parentheses are visited (found with `indexOf`), and each visit looks at a bounded stretch
// of text, so the whole scan is linear in the length of the text.

import { isLetterOrNumberAt, isLetterOrNumberCode, isRegExpSpace } from './characters';
import type { AcronymDefinition } from './types';
import { ownCopy } from './strings';

const code = {
	tab: 0x09,
	lineFeed: 0x0a,
	carriageReturn: 0x0d,
	space: 0x20,
	quotationMark: 0x22,
	apostrophe: 0x27,
	openParenthesis: 0x28,
	closeParenthesis: 0x29,
	comma: 0x2c,
	hyphen: 0x2d,
	fullStop: 0x2e,
	colon: 0x3a,
	semicolon: 0x3b,
	openBracket: 0x5b,
	closeBracket: 0x5d,
	openBrace: 0x7b,
	closeBrace: 0x7d,
	noBreakSpace: 0xa0,
	leftSingleQuotation: 0x2018,
	rightSingleQuotation: 0x2019,
	leftDoubleQuotation: 0x201c,
	rightDoubleQuotation: 0x201d,
	ideographicSpace: 0x3000,
	ideographicComma: 0x3001,
	ideographicFullStop: 0x3002,
	fullWidthOpenParenthesis: 0xff08,
	fullWidthCloseParenthesis: 0xff09,
	fullWidthComma: 0xff0c,
	fullWidthColon: 0xff1a,
	fullWidthSemicolon: 0xff1b,
} as const;

/** How far a closing parenthesis is looked for; a longer parenthesis is an aside, not a definition. */
const longestParenthesis = 300;

/** Acronyms are 2 to 10 characters long (Schwartz and Hearst). */
const shortestAcronym = 2;
const longestAcronym = 10;

/** A letter may stay unmatched only in acronyms with at least this many letters and digits. */
const shortestAcronymWithUnmatchedLetter = 4;

/** Words that are written in lower case inside names and rarely give their letter to an acronym. */
const connectingWords: ReadonlySet<string> = new Set(['of', 'and', 'the', 'for', 'on', 'in', 'to', 'a', 'an', 'at', 'by', 'with', 'de', 'du', 'des', 'la', 'le']);

const articles: ReadonlySet<string> = new Set(['the', 'a', 'an']);

/**
 * Tokens that follow Japanese link text ("共同声明（PDF）") and are file formats, not names. English
 * text needs no such list, because there the letters must match the preceding words.
 */
const fileFormatTokens: ReadonlySet<string> = new Set(['PDF', 'HTML', 'XML', 'CSV', 'DOC', 'DOCX', 'XLS', 'XLSX', 'PPT', 'PPTX', 'JPG', 'JPEG', 'PNG', 'MP3', 'MP4', 'ZIP', 'TXT']);

function isWhitespace(value: number): boolean {
	// Tested first for the common case, letters and punctuation: no white space lies above the space but below the no-break space.
	if (value > code.space) return value === code.noBreakSpace || value === code.ideographicSpace;
	return value === code.space || (value >= code.tab && value <= code.carriageReturn);
}

function isAsciiLetterOrDigit(value: number): boolean {
	return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5a) || (value >= 0x61 && value <= 0x7a);
}

function isUpperCaseAsciiLetter(value: number): boolean {
	return value >= 0x41 && value <= 0x5a;
}

function isLowerCaseAsciiLetter(value: number): boolean {
	return value >= 0x61 && value <= 0x7a;
}

function isAsciiDigit(value: number): boolean {
	return value >= 0x30 && value <= 0x39;
}

function lowerAscii(value: number): number {
	return isUpperCaseAsciiLetter(value) ? value + 0x20 : value;
}

/** Letters and digits of any script, so that "Lourenço" stays one word. */
function isWordCharacter(text: string, position: number): boolean {
	return isLetterOrNumberCode(text.charCodeAt(position));
}

/**
 * Kanji and katakana, including 々 and the long-vowel mark ー. Hiragana is left out on purpose:
 * in a Japanese name the particles の, は, が, を, に, と, で, も mark where the name begins.
 */
function isKanjiOrKatakana(value: number): boolean {
	return (
		(value >= 0x4e00 && value <= 0x9fff) ||
		(value >= 0x3400 && value <= 0x4dbf) ||
		(value >= 0xf900 && value <= 0xfaff) ||
		(value >= 0x30a1 && value <= 0x30fa) ||
		value === 0x30fc ||
		value === 0x3005 ||
		(value >= 0xff66 && value <= 0xff9f)
	);
}

function isOpeningParenthesis(value: number): boolean {
	return value === code.openParenthesis || value === code.fullWidthOpenParenthesis;
}

function isClosingParenthesis(value: number): boolean {
	return value === code.closeParenthesis || value === code.fullWidthCloseParenthesis;
}

/**
 * Characters that end the stretch in which a long form is looked for, marked in a table of every
 * code unit: the search tests each character of the words before every acronym.
 */
const phraseBoundaries: Uint8Array = (() => {
	const table = new Uint8Array(0x10000);
	const boundaries = [
		code.openParenthesis, code.closeParenthesis, code.fullWidthOpenParenthesis, code.fullWidthCloseParenthesis,
		code.openBracket, code.closeBracket, code.openBrace, code.closeBrace, code.semicolon, code.colon,
		code.quotationMark, code.leftDoubleQuotation, code.rightDoubleQuotation, code.leftSingleQuotation,
		code.ideographicComma, code.ideographicFullStop, code.fullWidthColon, code.fullWidthSemicolon,
		0x300c /* 「 */, 0x300d /* 」 */, 0x300e /* 『 */, 0x300f /* 』 */,
	];
	for (const boundary of boundaries) table[boundary] = 1;
	return table;
})();

function isPhraseBoundary(value: number): boolean {
	return phraseBoundaries[value] === 1;
}

function isAcronymCharacter(value: number): boolean {
	return isAsciiLetterOrDigit(value) || value === code.hyphen;
}

/** Characters after which the acronym inside a parenthesis ends: "(ABC; ...)", "(ABC, ...)". */
function isAcronymSeparator(value: number): boolean {
	return value === code.semicolon || value === code.comma || value === code.fullWidthComma || value === code.fullWidthSemicolon || value === code.ideographicComma;
}

const romanNumeralsOnly = /^[IVX]+$/;

/**
 * Whether a token can be an acronym: 2–10 letters, digits and inner hyphens, starting with a
 * letter or digit, with at least one capital. Beyond Schwartz and Hearst, at least two characters
 * must be capitals or digits and lower-case letters must be fewer than those, which keeps out
 * ordinary capitalized words ("(Tokyo)", "(Note)", "(Reference1)"); bare Roman numerals are
 * numbering, not names.
 */
function isAcronymCandidate(text: string, start: number, end: number): boolean {
	const length = end - start;
	if (length < shortestAcronym || length > longestAcronym) return false;
	if (!isAsciiLetterOrDigit(text.charCodeAt(start)) || !isAsciiLetterOrDigit(text.charCodeAt(end - 1))) return false;
	let capitals = 0;
	let digits = 0;
	let lowerCase = 0;
	for (let position = start; position < end; position++) {
		const value = text.charCodeAt(position);
		if (isUpperCaseAsciiLetter(value)) capitals++;
		else if (isAsciiDigit(value)) digits++;
		else if (isLowerCaseAsciiLetter(value)) lowerCase++;
		else if (value !== code.hyphen) return false;
	}
	if (capitals === 0 || capitals + digits < 2 || lowerCase >= capitals + digits) return false;
	return !romanNumeralsOnly.test(text.slice(start, end));
}

/** The letters and digits to match, lower-cased; a plural "s" ("CLDs", "NGOs") is not matched. */
function lettersToMatch(text: string, start: number, end: number): number[] {
	let matchEnd = end;
	const last = text.charCodeAt(end - 1);
	const beforeLast = text.charCodeAt(end - 2);
	if (last === 0x73 && end - start > 2 && (isUpperCaseAsciiLetter(beforeLast) || isAsciiDigit(beforeLast))) matchEnd = end - 1;
	const letters: number[] = [];
	for (let position = start; position < matchEnd; position++) {
		const value = text.charCodeAt(position);
		if (isAsciiLetterOrDigit(value)) letters.push(lowerAscii(value));
	}
	return letters;
}

/** Whether a word starts at `position`: the character before is no letter, digit or apostrophe within a word. */
function isWordStart(text: string, position: number, limit: number): boolean {
	if (position <= limit) return true;
	if (isWordCharacter(text, position - 1)) return false;
	const before = text.charCodeAt(position - 1);
	if ((before === code.apostrophe || before === code.rightSingleQuotation) && position - 2 >= limit && isWordCharacter(text, position - 2)) {
		return false;
	}
	return true;
}

/**
 * Whether the word ending at `end` closes a sentence: it ends with ".", "!" or "?" after a
 * lower-case letter or a digit. "U.S." does not, because of its capital before the period.
 */
function endsSentence(text: string, start: number, end: number): boolean {
	let last = end - 1;
	while (last > start && (text.charCodeAt(last) === code.rightDoubleQuotation || text.charCodeAt(last) === code.rightSingleQuotation)) last--;
	const value = text.charCodeAt(last);
	if (value !== code.fullStop && value !== 0x21 && value !== 0x3f) return false;
	const before = text.charCodeAt(last - 1);
	return last > start && (isLowerCaseAsciiLetter(before) || isAsciiDigit(before));
}

/**
 * Where the stretch searched for a long form starts: at most `maxWords` whitespace-separated
 * words before `end`, not crossing a blank line, a sentence end, or punctuation that closes a
 * phrase (parentheses, quotation marks, semicolons, colons).
 */
function findSearchStart(text: string, end: number, maxWords: number, limit: number): number {
	let searchStart = end;
	let position = end;
	for (let words = 0; words < maxWords; words++) {
		let tokenEnd = position;
		let lineFeeds = 0;
		while (tokenEnd > limit && isWhitespace(text.charCodeAt(tokenEnd - 1))) {
			if (text.charCodeAt(tokenEnd - 1) === code.lineFeed) lineFeeds++;
			tokenEnd--;
		}
		if (tokenEnd <= limit || lineFeeds >= 2) break;
		// The token's start and, in the same pass, its last phrase boundary (the first met going back).
		let tokenStart = tokenEnd;
		let boundary = -1;
		while (tokenStart > limit) {
			const value = text.charCodeAt(tokenStart - 1);
			if (isWhitespace(value)) break;
			if (boundary < 0 && isPhraseBoundary(value)) boundary = tokenStart - 1;
			tokenStart--;
		}
		if (words > 0 && endsSentence(text, tokenStart, tokenEnd)) break;
		if (boundary >= 0) {
			if (boundary + 1 < tokenEnd) searchStart = boundary + 1;
			break;
		}
		searchStart = tokenStart;
		position = tokenStart;
	}
	return searchStart;
}

function wordEquals(text: string, start: number, end: number, words: ReadonlySet<string>): boolean {
	return end - start <= 4 && words.has(text.slice(start, end).toLowerCase());
}

/**
 * The start of the word being read at `cursor`, or of one of the next words back when only
 * connecting words ("of", "and") lie between, whose first letter is `target`; -1 when none is.
 */
function findWordStartWithLetter(text: string, target: number, searchStart: number, cursor: number): number {
	let segmentEnd = cursor;
	for (;;) {
		while (segmentEnd > searchStart && !isWordCharacter(text, segmentEnd - 1)) segmentEnd--;
		if (segmentEnd <= searchStart) return -1;
		let segmentStart = segmentEnd;
		while (segmentStart > searchStart && isWordCharacter(text, segmentStart - 1)) segmentStart--;
		if (lowerAscii(text.charCodeAt(segmentStart)) === target) return segmentStart;
		if (!wordEquals(text, segmentStart, segmentEnd, connectingWords)) return -1;
		segmentEnd = segmentStart;
	}
}

/**
 * Finds an inner letter of the acronym before `cursor`. The first letter of the word being
 * read, or of the next words back when only connecting words lie between, wins; otherwise the
 * nearest occurrence anywhere, as in Schwartz and Hearst.
 *
 * A digit is always the nearest occurrence: the digits of a number stand for themselves, one after
 * another. Preferring the first digit of the number would jump over the digits between, so that
 * in "Harbor Office 998 (HO998)" the second 9 was matched at the first and nothing was left for
 * the other.
 */
function findInnerLetter(text: string, target: number, searchStart: number, cursor: number): number {
	const wordStart = isAsciiDigit(target) ? -1 : findWordStartWithLetter(text, target, searchStart, cursor);
	if (wordStart >= 0) return wordStart;
	for (let position = cursor - 1; position >= searchStart; position--) {
		if (lowerAscii(text.charCodeAt(position)) === target) return position;
	}
	return -1;
}

/** The first letter must start a word (or a part of a hyphenated word: "Japan-China-Republic"). */
function findFirstLetter(text: string, target: number, searchStart: number, cursor: number): number {
	for (let position = cursor - 1; position >= searchStart; position--) {
		if (lowerAscii(text.charCodeAt(position)) === target && isWordStart(text, position, searchStart)) return position;
	}
	return -1;
}

/** Matches the letters right to left in `[searchStart, searchEnd)`; returns where the long form starts, or -1. */
function matchLetters(text: string, letters: readonly number[], searchStart: number, searchEnd: number, skippedIndex: number): number {
	let cursor = searchEnd;
	for (let index = letters.length - 1; index >= 0; index--) {
		if (index === skippedIndex) continue;
		const found = index === 0 ? findFirstLetter(text, letters[0]!, searchStart, cursor) : findInnerLetter(text, letters[index]!, searchStart, cursor);
		if (found < 0) return -1;
		cursor = found;
	}
	return cursor;
}

/**
 * Matches strictly first; when that fails, lets one inner letter of a longer acronym go unmatched
 * ("MEXT", "SOLAR-C") and keeps the shortest long form so found.
 */
function matchLongForm(text: string, letters: readonly number[], searchStart: number, searchEnd: number): number {
	const strict = matchLetters(text, letters, searchStart, searchEnd, -1);
	if (strict >= 0 || letters.length < shortestAcronymWithUnmatchedLetter) return strict;
	let best = -1;
	for (let skippedIndex = letters.length - 1; skippedIndex >= 1; skippedIndex--) {
		if (!isLowerCaseAsciiLetter(letters[skippedIndex]!)) continue;
		best = Math.max(best, matchLetters(text, letters, searchStart, searchEnd, skippedIndex));
	}
	return best;
}

/** Skips a leading "the", "a" or "an"; returns the start of the next word. */
function skipArticle(text: string, start: number, end: number): number {
	let wordEnd = start;
	while (wordEnd < end && isWordCharacter(text, wordEnd)) wordEnd++;
	if (wordEnd >= end || !isWhitespace(text.charCodeAt(wordEnd)) || !wordEquals(text, start, wordEnd, articles)) return start;
	let next = wordEnd;
	while (next < end && isWhitespace(text.charCodeAt(next))) next++;
	return next;
}

/**
 * `text.slice(start, end)` with every run of white space (`\s`) made one space. Long forms are
 * almost always written with single spaces already; then the slice is the answer, and the
 * replacement runs only when there is something to replace. Exported for
 * test/unit/analysisEquivalence.test.ts, which holds it to the replacement it stands for.
 */
export function collapsedSlice(text: string, start: number, end: number): string {
	for (let position = start; position < end; position++) {
		const value = text.charCodeAt(position);
		// Printable ASCII other than the space is never white space.
		if (value > code.space && value < 0x7f) continue;
		if (value === code.space ? position + 1 < end && isRegExpSpace(text.charCodeAt(position + 1)) : isRegExpSpace(value)) {
			return text.slice(start, end).replace(/\s+/g, ' ');
		}
	}
	return text.slice(start, end);
}

/**
 * Whether the text has at least two words, counting the parts of hyphenated words, so that
 * "Next-generation" counts as two: parts are separated by runs of white space and hyphens, and a
 * part counts when it holds a letter or number of any script. The same as
 * `text.split(/[\s-]+/).filter((part) => /[\p{L}\p{N}]/u.test(part)).length >= 2`, without the
 * arrays (test/unit/analysisEquivalence.test.ts).
 */
export function hasTwoWordParts(text: string): boolean {
	let parts = 0;
	let counted = false;
	for (let position = 0; position < text.length; position++) {
		const value = text.charCodeAt(position);
		if (value === code.hyphen || isRegExpSpace(value)) counted = false;
		else if (!counted && isLetterOrNumberAt(text, position)) {
			counted = true;
			if (++parts === 2) return true;
		}
	}
	return false;
}

/** Whether the acronym appears as a whole word in the long form (then the long form is not its expansion). */
function containsAsWord(longForm: string, acronym: string): boolean {
	let from = 0;
	for (;;) {
		const found = longForm.indexOf(acronym, from);
		if (found < 0) return false;
		const before = found === 0 ? 0 : longForm.charCodeAt(found - 1);
		const after = found + acronym.length >= longForm.length ? 0 : longForm.charCodeAt(found + acronym.length);
		if (!isAsciiLetterOrDigit(before) && !isAsciiLetterOrDigit(after)) return true;
		from = found + 1;
	}
}

/** The checks of Schwartz and Hearst on a found long form: long enough, more than one word, not containing the acronym. */
function isAcceptableLongForm(longForm: string, acronym: string): boolean {
	if (longForm.length < acronym.length) return false;
	if (!hasTwoWordParts(longForm)) return false;
	return !containsAsWord(longForm, acronym);
}

/** The number of spaces in `text`: one less than its words, once its white space is collapsed. */
function countSpaces(text: string): number {
	let spaces = 0;
	for (let index = text.indexOf(' '); index >= 0; index = text.indexOf(' ', index + 1)) spaces++;
	return spaces;
}

/** The window of Schwartz and Hearst: min(|A| + 5, 2|A|) words, |A| the acronym's length. */
function maximumLongFormWords(acronymLength: number): number {
	return Math.min(acronymLength + 5, acronymLength * 2);
}

interface TokenBounds {
	readonly start: number;
	readonly end: number;
}

/** Finds the closing parenthesis, giving up at a nested opening one, a blank line, or after a few hundred characters. */
function findClosingParenthesis(text: string, open: number, to: number): number {
	const limit = Math.min(to, open + longestParenthesis);
	let lineFeeds = 0;
	for (let position = open + 1; position < limit; position++) {
		const value = text.charCodeAt(position);
		if (isClosingParenthesis(value)) return position;
		if (isOpeningParenthesis(value)) return -1;
		if (value === code.lineFeed && ++lineFeeds >= 2) return -1;
	}
	return -1;
}

/** The acronym written inside the parenthesis: "(JAXA)", "(ABC; ...)", "(ABC, ...)". */
function readAcronymInside(text: string, contentStart: number, contentEnd: number): TokenBounds | undefined {
	let end = contentStart;
	while (end < contentEnd && isAcronymCharacter(text.charCodeAt(end))) end++;
	let after = end;
	while (after < contentEnd && isWhitespace(text.charCodeAt(after))) after++;
	if (after < contentEnd && !isAcronymSeparator(text.charCodeAt(after))) return undefined;
	return isAcronymCandidate(text, contentStart, end) ? { start: contentStart, end } : undefined;
}

/** The acronym written right before the parenthesis: "APEC (…)", "JAXA（…）". */
function readAcronymBefore(text: string, open: number, from: number): TokenBounds | undefined {
	let end = open;
	while (end > from && (text.charCodeAt(end - 1) === code.space || text.charCodeAt(end - 1) === code.tab) && open - end < 2) end--;
	let start = end;
	while (start > from && isAcronymCharacter(text.charCodeAt(start - 1))) start--;
	if (start > from && isWordCharacter(text, start - 1)) return undefined;
	return isAcronymCandidate(text, start, end) ? { start, end } : undefined;
}

/** A definition whose expansion is `text[expansionStart, expansionEnd)`, its white space collapsed (by `collapsedSlice`, which the caller has often run already). */
function definition(
	text: string,
	acronym: TokenBounds,
	expansionStart: number,
	expansionEnd: number,
	expansion: string,
	form: AcronymDefinition['form'],
): AcronymDefinition {
	return {
		// Own copies: a definition outlives its text when an edit elsewhere keeps it (see `ownCopy`).
		acronym: ownCopy(text.slice(acronym.start, acronym.end)),
		expansion: ownCopy(expansion),
		acronymSpan: { start: acronym.start, end: acronym.end },
		expansionSpan: { start: expansionStart, end: expansionEnd },
		form,
	};
}

/** "Japan Aerospace Exploration Agency (JAXA)". */
function readEnglishLongShort(text: string, open: number, acronym: TokenBounds, from: number): AcronymDefinition | undefined {
	let searchEnd = open;
	while (searchEnd > from && isWhitespace(text.charCodeAt(searchEnd - 1))) searchEnd--;
	const searchStart = findSearchStart(text, searchEnd, maximumLongFormWords(acronym.end - acronym.start), from);
	if (searchStart >= searchEnd) return undefined;
	const letters = lettersToMatch(text, acronym.start, acronym.end);
	const matchStart = matchLongForm(text, letters, searchStart, searchEnd);
	if (matchStart < 0) return undefined;
	const longStart = skipArticle(text, matchStart, searchEnd);
	// Dropping an article must leave a long form that still begins with the acronym's first letter.
	if (lowerAscii(text.charCodeAt(longStart)) !== letters[0]) return undefined;
	const longForm = collapsedSlice(text, longStart, searchEnd);
	if (!isAcceptableLongForm(longForm, text.slice(acronym.start, acronym.end))) return undefined;
	return definition(text, acronym, longStart, searchEnd, longForm, 'long-short');
}

/** "APEC (Asia-Pacific Economic Cooperation)": the whole parenthesis must be the long form. */
function readEnglishShortLong(text: string, acronym: TokenBounds, contentStart: number, contentEnd: number): AcronymDefinition | undefined {
	let longEnd = contentEnd;
	for (let position = contentStart; position < contentEnd; position++) {
		if (text.charCodeAt(position) === code.semicolon) {
			longEnd = position;
			break;
		}
	}
	while (longEnd > contentStart && isWhitespace(text.charCodeAt(longEnd - 1))) longEnd--;
	const acronymText = text.slice(acronym.start, acronym.end);
	const longForm = collapsedSlice(text, contentStart, longEnd);
	if (countSpaces(longForm) + 1 > maximumLongFormWords(acronymText.length)) return undefined;
	const letters = lettersToMatch(text, acronym.start, acronym.end);
	const matchStart = matchLongForm(text, letters, contentStart, longEnd);
	if (matchStart < 0) return undefined;
	const longStart = skipArticle(text, contentStart, longEnd);
	if (matchStart !== longStart) return undefined;
	// Without a leading article the trimmed long form is the one collapsed above.
	const trimmedLongForm = longStart === contentStart ? longForm : collapsedSlice(text, longStart, longEnd);
	if (!isAcceptableLongForm(trimmedLongForm, acronymText)) return undefined;
	return definition(text, acronym, longStart, longEnd, trimmedLongForm, 'short-long');
}

/** The run of kanji and katakana that ends at `end`, at least two characters long. */
function findJapaneseNameStart(text: string, end: number, from: number): number {
	let start = end;
	while (start > from && isKanjiOrKatakana(text.charCodeAt(start - 1))) start--;
	return end - start >= 2 ? start : -1;
}

function isJapaneseName(text: string, start: number, end: number): boolean {
	if (end - start < 2) return false;
	for (let position = start; position < end; position++) {
		if (!isKanjiOrKatakana(text.charCodeAt(position))) return false;
	}
	return true;
}

/** Reads the definition, if any, whose parenthesis opens at `open`. */
function readDefinitionAt(text: string, open: number, from: number, to: number): AcronymDefinition | undefined {
	const close = findClosingParenthesis(text, open, to);
	if (close < 0) return undefined;
	let contentStart = open + 1;
	while (contentStart < close && isWhitespace(text.charCodeAt(contentStart))) contentStart++;
	let contentEnd = close;
	while (contentEnd > contentStart && isWhitespace(text.charCodeAt(contentEnd - 1))) contentEnd--;
	if (contentStart >= contentEnd) return undefined;

	const inside = readAcronymInside(text, contentStart, contentEnd);
	if (inside !== undefined) {
		let nameEnd = open;
		while (nameEnd > from && (text.charCodeAt(nameEnd - 1) === code.space || text.charCodeAt(nameEnd - 1) === code.ideographicSpace) && open - nameEnd < 2) nameEnd--;
		if (nameEnd > from && isKanjiOrKatakana(text.charCodeAt(nameEnd - 1))) {
			if (fileFormatTokens.has(text.slice(inside.start, inside.end).toUpperCase())) return undefined;
			const nameStart = findJapaneseNameStart(text, nameEnd, from);
			return nameStart < 0 ? undefined : definition(text, inside, nameStart, nameEnd, collapsedSlice(text, nameStart, nameEnd), 'long-short');
		}
		return readEnglishLongShort(text, open, inside, from);
	}

	const before = readAcronymBefore(text, open, from);
	if (before === undefined) return undefined;
	if (isJapaneseName(text, contentStart, contentEnd)) {
		if (fileFormatTokens.has(text.slice(before.start, before.end).toUpperCase())) return undefined;
		return definition(text, before, contentStart, contentEnd, collapsedSlice(text, contentStart, contentEnd), 'short-long');
	}
	return readEnglishShortLong(text, before, contentStart, contentEnd);
}

/**
 * Finds acronym definitions in `text`, or only those lying wholly within `[from, to)` (for
 * re-reading the part of a document that changed). Sorted by where the acronym stands.
 */
export function findAcronymDefinitions(text: string, from = 0, to: number = text.length): AcronymDefinition[] {
	const regionStart = Math.max(0, Math.min(from, text.length));
	const regionEnd = Math.max(regionStart, Math.min(to, text.length));
	const definitions: AcronymDefinition[] = [];
	let nextAscii = text.indexOf('(', regionStart);
	let nextFullWidth = text.indexOf('（', regionStart);
	for (;;) {
		const open = nextAscii < 0 ? nextFullWidth : nextFullWidth < 0 ? nextAscii : Math.min(nextAscii, nextFullWidth);
		if (open < 0 || open >= regionEnd) break;
		const found = readDefinitionAt(text, open, regionStart, regionEnd);
		if (found !== undefined) definitions.push(found);
		if (open === nextAscii) nextAscii = text.indexOf('(', open + 1);
		else nextFullWidth = text.indexOf('（', open + 1);
	}
	return definitions.sort((left, right) => left.acronymSpan.start - right.acronymSpan.start);
}
