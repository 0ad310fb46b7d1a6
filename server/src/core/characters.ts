// Character classes and folding shared by the recognizer and the lexicon.
// Everything here works on UTF-16 code units and keeps offsets: folding maps one code unit
// to one code unit, so a match found on folded text is a match on the original.

/** The code unit every soft separator folds to. */
export const SPACE = 32;

/** Bits of `charClasses`, one per class below. */
export const WORD = 1;
export const JAPANESE = 2;
export const SOFT_SEPARATOR = 4;
export const UPPER = 8;
export const LOWER = 16;
export const DIGIT = 32;

/**
 * The classes, as inclusive ranges of UTF-16 code units: the definition both the predicates below
 * and the recognizer's table read. A list of ranges, not a test per code unit: the table is made
 * as each bundle loads (the server, every index worker and the CLI), and 65,536 calls of a
 * predicate took some 10 ms there, in code V8 has not optimized yet.
 */
const classRanges: ReadonlyArray<readonly [classBit: number, from: number, to: number]> = [
	// Whitespace, hyphens and dashes that may separate the words of a name ("low-earth", "Japan–US").
	[SOFT_SEPARATOR, 9, 10], [SOFT_SEPARATOR, 13, 13], [SOFT_SEPARATOR, 32, 32], [SOFT_SEPARATOR, 45, 45] /* - */, [SOFT_SEPARATOR, 0xa0, 0xa0],
	[SOFT_SEPARATOR, 0x2010, 0x2013] /* ‐ to – */, [SOFT_SEPARATOR, 0x3000, 0x3000],
	// ASCII letters and digits, Latin-1 and Latin Extended-A letters (but × and ÷), and their full-width forms.
	[WORD, 48, 57], [WORD, 65, 90], [WORD, 97, 122], [WORD, 0xc0, 0xd6], [WORD, 0xd8, 0xf6], [WORD, 0xf8, 0x24f],
	[WORD, 0xff10, 0xff19], [WORD, 0xff21, 0xff3a], [WORD, 0xff41, 0xff5a],
	// Kanji, hiragana, katakana (with the prolonged sound mark), 々 and half-width katakana: each is a token of its own.
	[JAPANESE, 0x3005, 0x3005], [JAPANESE, 0x3040, 0x30ff], [JAPANESE, 0x3400, 0x4dbf], [JAPANESE, 0x4e00, 0x9fff], [JAPANESE, 0xf900, 0xfaff], [JAPANESE, 0xff66, 0xff9f],
	[UPPER, 65, 90], [UPPER, 0xff21, 0xff3a],
	[LOWER, 97, 122], [LOWER, 0xff41, 0xff5a],
	[DIGIT, 48, 57], [DIGIT, 0xff10, 0xff19],
];

/**
 * The classes of every UTF-16 code unit. The recognizer tests each character of every document,
 * and one table read is much cheaper there than a chain of range comparisons.
 */
export const charClasses: Uint8Array = (() => {
	const table = new Uint8Array(0x10000);
	for (const [classBit, from, to] of classRanges) {
		for (let code = from; code <= to; code++) table[code]! |= classBit;
	}
	return table;
})();

/** Whitespace, hyphens and dashes that may separate the words of a name. */
export function isSoftSeparator(code: number): boolean {
	return (charClasses[code]! & SOFT_SEPARATOR) !== 0;
}

/** ASCII letters and digits, Latin-1 and Latin Extended-A letters, and their full-width forms. */
export function isWordCode(code: number): boolean {
	return (charClasses[code]! & WORD) !== 0;
}

/** Kanji, hiragana, katakana and half-width katakana: each is a token of its own. */
export function isJapaneseCode(code: number): boolean {
	return (charClasses[code]! & JAPANESE) !== 0;
}

export function isUpperCode(code: number): boolean {
	return (charClasses[code]! & UPPER) !== 0;
}

export function isLowerCode(code: number): boolean {
	return (charClasses[code]! & LOWER) !== 0;
}

export function isDigitCode(code: number): boolean {
	return (charClasses[code]! & DIGIT) !== 0;
}

/**
 * Folds one code unit for case-insensitive, width-insensitive matching: upper case to lower,
 * full-width ASCII to ASCII, typographic apostrophes to `'`, and every soft separator to a space.
 */
export function foldCode(code: number): number {
	if (code >= 65 && code <= 90) return code + 32;
	if (code < 128) return isSoftSeparator(code) ? SPACE : code;
	if (code >= 0xff01 && code <= 0xff5e) return foldCode(code - 0xfee0);
	if (code === 0x2019 || code === 0x2018) return 39;
	if (code >= 0xc0 && code <= 0xde && code !== 0xd7) return code + 32;
	if (isSoftSeparator(code)) return SPACE;
	return code;
}

/** Folds a whole string the way the recognizer folds text, collapsing runs of separators into one space. */
export function foldText(text: string): string {
	let result = '';
	let previousWasSpace = true;
	for (let index = 0; index < text.length; index++) {
		const folded = foldCode(text.charCodeAt(index));
		if (folded === SPACE) {
			if (!previousWasSpace) result += ' ';
			previousWasSpace = true;
		} else {
			result += String.fromCharCode(folded);
			previousWasSpace = false;
		}
	}
	return result.trimEnd();
}

/** Whether `code` is a full-width letter or digit, which `toHalfWidth` maps to ASCII by subtracting 0xfee0. */
export function isFullWidthAlphanumeric(code: number): boolean {
	return (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a);
}

/** Whether `code` is white space to a regular expression (`\s`, without the `u` flag). */
export function isRegExpSpace(code: number): boolean {
	return (
		(code >= 9 && code <= 13) || code === 32 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
	);
}

const letterOrNumberPattern = /[\p{L}\p{N}]/u;

/**
 * Answers of `letterOrNumberPattern` per code unit, filled in as they are asked for: 0 not yet
 * known, 1 a letter or number, 2 neither. The definition miner asks about every non-ASCII
 * character near a parenthesis, and a table read is much cheaper than running the pattern; most
 * documents use only a few hundred distinct code units, so filling the table lazily costs a worker
 * almost nothing at start.
 */
const letterOrNumberCache = new Uint8Array(0x10000);

/**
 * Whether one code unit is a letter or number of any script (`/[\p{L}\p{N}]/u` of that one unit).
 * A lone surrogate is neither; `isLetterOrNumberAt` reads a surrogate pair as one character.
 */
export function isLetterOrNumberCode(code: number): boolean {
	if (code < 0x80) return (code >= 48 && code <= 57) || ((code | 0x20) >= 97 && (code | 0x20) <= 122);
	let known = letterOrNumberCache[code]!;
	if (known === 0) letterOrNumberCache[code] = known = letterOrNumberPattern.test(String.fromCharCode(code)) ? 1 : 2;
	return known === 1;
}

/** Whether the character (code point) starting at `position` is a letter or number; a surrogate pair is tested whole. */
export function isLetterOrNumberAt(text: string, position: number): boolean {
	const code = text.charCodeAt(position);
	if (code >= 0xd800 && code <= 0xdbff && position + 1 < text.length) {
		const next = text.charCodeAt(position + 1);
		if (next >= 0xdc00 && next <= 0xdfff) return letterOrNumberPattern.test(text.slice(position, position + 2));
	}
	return isLetterOrNumberCode(code);
}

/** Full-width letters and digits become ASCII; everything else is kept. Lengths are preserved. */
export function toHalfWidth(text: string): string {
	// Almost every string has none: return it as it is rather than run a replacement.
	let index = 0;
	while (index < text.length && !isFullWidthAlphanumeric(text.charCodeAt(index))) index++;
	if (index === text.length) return text;
	return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0));
}

const romanNumeral = /^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;

/** Reads a Roman numeral such as `V` or `XII`; undefined when the text is not one. */
export function parseRomanNumeral(text: string): number | undefined {
	const match = romanNumeral.exec(text);
	if (!match) return undefined;
	const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
	let total = 0;
	for (let index = 0; index < text.length; index++) {
		const value = values[text[index]!]!;
		const next = index + 1 < text.length ? values[text[index + 1]!]! : 0;
		total += value < next ? -value : value;
	}
	return total;
}

/** Reads a number written in kanji numerals up to 999 (五, 十二, 百一); undefined otherwise. */
export function parseKanjiNumber(text: string): number | undefined {
	const digits: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
	let total = 0;
	let current = 0;
	for (const character of text) {
		if (character in digits) current = digits[character]!;
		else if (character === '十') { total += (current || 1) * 10; current = 0; }
		else if (character === '百') { total += (current || 1) * 100; current = 0; }
		else return undefined;
	}
	return total + current || undefined;
}
