// Recognition of glossary names and acronyms in any text, in one pass.
//
// The lexicon is a trie over folded code units (lower case, half width, every run of spaces,
// hyphens and dashes folded to one space). The scan visits each word start once and walks the
// trie from there, keeping the longest match; the work is linear in the text for a fixed
// glossary and does not grow with the number of names, unlike one large regular expression.
import {
	DIGIT, JAPANESE, LOWER, SOFT_SEPARATOR, SPACE, UPPER, WORD, charClasses, foldCode, foldText, isDigitCode,
	isFullWidthAlphanumeric, isRegExpSpace, isSoftSeparator, isUpperCode, parseKanjiNumber, parseRomanNumeral, toHalfWidth,
} from './characters';
import type { Entity, Glossary } from './glossary';
import type { Span } from './types';

/** A recognized name or acronym. Exactly one of `entityId` and `acronym` is set. */
export interface Mention extends Span {
	/** A glossary entity named by one of its names (English or Japanese). */
	readonly entityId?: string;
	/** An acronym, normalized by `normalizeAcronym`; resolved to an entity later, with the document's and corpus's definitions. */
	readonly acronym?: string;
	/** For a treaty named with an article ("Article V of ..."), the article's number. */
	readonly article?: number;
	/** Where the article phrase stands, when there is one. */
	readonly articleSpan?: Span;
}

interface Term {
	readonly entityId: string | undefined;
	readonly acronym: string | undefined;
	/** For case-sensitive terms, the surface form with separators folded to single spaces. */
	readonly exact: string | undefined;
	/** Whether the entity is a treaty or agreement, which may be named with an article ("Article V of ..."). */
	readonly treaty: boolean;
}

/**
 * The trie of folded names as a double array (Aoe, 1989): the child of state `s` on symbol `c` is
 * `t = base[s] + c` when `check[t] === s`. A step is two typed-array reads, where a tree of maps
 * costs a hash lookup; the scan takes one step per character of every word start (in English
 * prose most words begin like some name, so that is about one step per character of the text).
 */
export interface Trie {
	/**
	 * Each code unit of the text to the symbol of its folded form (`foldCode`), or 0 when no name
	 * uses that folded form: folding and the alphabet lookup are one table read.
	 */
	readonly symbols: Uint16Array;
	/** The symbol of the folded separator (a space), 0 when no name has one. */
	readonly spaceSymbol: number;
	/**
	 * Each state's base and check side by side, `cells[2s] = base[s] * 2 + (terms[s] ? 1 : 0)` and
	 * `cells[2s + 1] = check[s]`: the check of a child and its own base are one cache line, and
	 * whether a state ends a key is known without reading `terms`, which most states leave empty.
	 */
	readonly cells: Int32Array;
	/** The terms whose folded key ends at each state, in glossary order; undefined for most states. */
	readonly terms: readonly (readonly Term[] | undefined)[];
}

export interface Lexicon {
	readonly glossary: Glossary;
	readonly trie: Trie;
	/** Normalized acronym to the entities that use it, in glossary order. */
	readonly acronymEntities: ReadonlyMap<string, readonly Entity[]>;
	/** Folded name or alias to its entity, for matching mined expansions to glossary entries. */
	readonly entityByFoldedName: ReadonlyMap<string, Entity>;
}

/** "CLDs" and "CLD" are one acronym; so are "NGOs" and "NGO". Full-width letters become ASCII. */
export function normalizeAcronym(acronym: string): string {
	const half = toHalfWidth(acronym);
	if (half.length >= 3 && half.endsWith('s') && isUpperCode(half.charCodeAt(half.length - 2))) return half.slice(0, -1);
	return half;
}

/**
 * Whether a word looks like an acronym: at least two upper-case letters (or one with a digit,
 * as in G7), starting with a capital or digit, and mostly capitals ("CSpO", "CLDs" pass; "Japan" does not).
 */
export function isAcronymShape(word: string): boolean {
	return isAcronymShapeAt(word, 0, word.length);
}

/** `isAcronymShape` of `text[start, end)`, without making the string. */
function isAcronymShapeAt(text: string, start: number, end: number): boolean {
	const length = end - start;
	if (length < 2 || length > 12) return false;
	// Most words fail here, before the count.
	if ((charClasses[text.charCodeAt(start)] & (UPPER | DIGIT)) === 0) return false;
	let upper = 0;
	let lower = 0;
	let digits = 0;
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		const classes = charClasses[code];
		if (classes & UPPER) upper++;
		else if (classes & LOWER) lower++;
		else if (classes & DIGIT) digits++;
		else if (code !== 45) return false;
	}
	if (upper === 0) return false;
	if (upper === 1) return digits > 0 && lower === 0;
	// A trailing plural "s" is allowed on top of the capitals.
	const effectiveLower = text.charCodeAt(end - 1) === 115 ? lower - 1 : lower;
	return effectiveLower <= 1 || effectiveLower < upper;
}

/** A name or acronym to insert in the trie: its folded form and what it stands for. */
interface Key {
	readonly folded: string;
	readonly term: Term;
}

/**
 * Builds the double array from the keys. The alphabet is the folded code units the keys use,
 * numbered from 1 (fewer than 0xffff of them: upper-case letters never occur in folded keys, so
 * the numbers fit a Uint16Array). The keys are sorted, so the keys below a state are a range of
 * them and its children are the runs of that range with the same next code unit; each state's
 * children go at the lowest base where all of their slots are free. Slot 0 is the root.
 */
function buildTrie(unsorted: readonly Key[]): Trie {
	// Sorting is stable: the terms of one key stay in glossary order.
	const keys = [...unsorted].sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));

	// Folded code unit to symbol, then every code unit to the symbol of its folded form.
	const symbolOfFolded = new Uint16Array(0x10000);
	for (const { folded } of keys) for (let index = 0; index < folded.length; index++) symbolOfFolded[folded.charCodeAt(index)] = 1;
	let alphabetSize = 0;
	for (let code = 0; code < 0x10000; code++) if (symbolOfFolded[code]) symbolOfFolded[code] = ++alphabetSize;
	const symbols = new Uint16Array(0x10000);
	for (let code = 0; code < 0x10000; code++) symbols[code] = symbolOfFolded[foldCode(code)];

	let base = new Int32Array(0);
	let check = new Int32Array(0);
	// Leads from a slot to the first free slot at or after it (union-find with path halving, as a
	// slot once taken stays taken), so that the search for a base skips the taken ones. It has one
	// more entry than `check`, which is always free.
	let nextFree = new Int32Array(1);
	// A plain array kept packed (every entry set), which stays fast to index.
	const terms: (Term[] | undefined)[] = [];
	const ensure = (size: number): void => {
		if (size <= check.length) return;
		const capacity = Math.max(size, check.length * 2, 1024);
		const grownBase = new Int32Array(capacity);
		grownBase.set(base);
		const grownCheck = new Int32Array(capacity).fill(-1);
		grownCheck.set(check);
		const grownNextFree = new Int32Array(capacity + 1);
		for (let slot = nextFree.length; slot <= capacity; slot++) grownNextFree[slot] = slot;
		grownNextFree.set(nextFree);
		base = grownBase;
		check = grownCheck;
		nextFree = grownNextFree;
		while (terms.length < capacity) terms.push(undefined);
	};
	ensure(1);
	const firstFreeFrom = (slot: number): number => {
		let at = slot;
		while (at < check.length && nextFree[at] !== at) {
			nextFree[at] = nextFree[nextFree[at]];
			at = nextFree[at];
		}
		return at;
	};
	const take = (slot: number, state: number): void => {
		check[slot] = state;
		nextFree[slot] = slot + 1;
	};
	// Slot 0 is the root's; no child is ever there, as children are at base + symbol with symbol ≥ 1.
	take(0, -2);
	let highestSlot = 0;
	// The symbols of the children being placed, in increasing order as their code units are.
	let childSymbols = new Int32Array(64);
	// States still to place, depth first, as (state, keys from, keys to, depth): the keys
	// `keys[from, to)` are those below the state and share their first `depth` code units.
	const pending = [0, 0, keys.length, 0];
	while (pending.length > 0) {
		const depth = pending.pop()!;
		const to = pending.pop()!;
		let index = pending.pop()!;
		const state = pending.pop()!;
		for (; index < to && keys[index]!.folded.length === depth; index++) (terms[state] ??= []).push(keys[index]!.term);
		if (index === to) continue;
		const childrenFrom = index;
		let childCount = 0;
		for (let previous = -1; index < to; index++) {
			const code = keys[index]!.folded.charCodeAt(depth);
			if (code === previous) continue;
			if (childCount === childSymbols.length) {
				const grown = new Int32Array(childCount * 2);
				grown.set(childSymbols);
				childSymbols = grown;
			}
			childSymbols[childCount++] = symbolOfFolded[code];
			previous = code;
		}
		const lowest = childSymbols[0];
		const highest = childSymbols[childCount - 1];
		// Each free slot in turn for the lowest child, until the others' slots are free too.
		let offset = firstFreeFrom(lowest) - lowest;
		for (;;) {
			ensure(offset + highest + 1);
			let child = 1;
			while (child < childCount && check[offset + childSymbols[child]] === -1) child++;
			if (child === childCount) break;
			offset = firstFreeFrom(offset + lowest + 1) - lowest;
		}
		base[state] = offset;
		for (let child = 0; child < childCount; child++) take(offset + childSymbols[child], state);
		highestSlot = Math.max(highestSlot, offset + highest);
		for (let groupFrom = childrenFrom; groupFrom < to;) {
			const code = keys[groupFrom]!.folded.charCodeAt(depth);
			let groupTo = groupFrom + 1;
			while (groupTo < to && keys[groupTo]!.folded.charCodeAt(depth) === code) groupTo++;
			pending.push(offset + symbolOfFolded[code], groupFrom, groupTo, depth + 1);
			groupFrom = groupTo;
		}
	}

	// Room for any symbol after any base, so that a step never reads past the end.
	const size = highestSlot + alphabetSize + 1;
	ensure(size);
	terms.length = size;
	const cells = new Int32Array(size * 2);
	for (let state = 0; state < size; state++) {
		cells[2 * state] = base[state] * 2 + (terms[state] ? 1 : 0);
		cells[2 * state + 1] = check[state];
	}
	return { symbols, spaceSymbol: symbolOfFolded[SPACE], cells, terms };
}

/** Folds separators only: the form case-sensitive terms are compared in. */
function foldSeparators(text: string): string {
	let result = '';
	let previousWasSpace = true;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (isSoftSeparator(code)) {
			if (!previousWasSpace) result += ' ';
			previousWasSpace = true;
		} else {
			result += text[index];
			previousWasSpace = false;
		}
	}
	return result.trimEnd();
}

/**
 * A single capitalized word ("Gateway", "Quad", "Artemis") is matched case-sensitively so that
 * the ordinary word ("a gateway to") is not taken for the name; longer names are matched in any case.
 */
function isCaseSensitiveName(name: string): boolean {
	const folded = foldText(name);
	return !folded.includes(' ') && /[A-Z]/.test(name) && !/[\u3040-\u9fff]/.test(name);
}

const treatyKinds = new Set(['treaty', 'agreement']);

/**
 * The lexicon of a glossary. `trie`, when given, must be the one this glossary builds (the
 * build's precompiled copy for the built-in glossary, `trieFromJson`): building it is most of the
 * work, and a start would otherwise do it every time.
 */
export function buildLexicon(glossary: Glossary, trie?: Trie): Lexicon {
	const acronymEntities = new Map<string, Entity[]>();
	for (const entity of glossary.entities.values()) {
		for (const acronym of entity.acronyms) {
			const normalized = normalizeAcronym(acronym);
			let list = acronymEntities.get(normalized);
			if (!list) acronymEntities.set(normalized, (list = []));
			list.push(entity);
		}
	}
	// With a trie made ahead (the built-in glossary's), the names are folded only when a mined expansion is first matched.
	let entityByFoldedName: Map<string, Entity> | undefined;
	return {
		glossary,
		trie: trie ?? buildTrie(lexiconKeys(glossary)),
		acronymEntities,
		get entityByFoldedName() {
			return (entityByFoldedName ??= foldedNames(glossary));
		},
	};
}

/** Every name, alias and acronym of every entry, folded, with what it stands for: the trie's keys. */
function lexiconKeys(glossary: Glossary): Key[] {
	const keys: Key[] = [];
	const acronymsInTrie = new Set<string>();
	for (const entity of glossary.entities.values()) {
		const treaty = treatyKinds.has(entity.kind);
		for (const name of namesOf(entity)) {
			const folded = foldText(name);
			if (folded.length < 2) continue;
			const exact = isCaseSensitiveName(name) ? foldSeparators(name) : undefined;
			keys.push({ folded, term: { entityId: entity.id, acronym: undefined, exact, treaty } });
		}
		for (const acronym of entity.acronyms) {
			if (acronymsInTrie.has(acronym)) continue;
			acronymsInTrie.add(acronym);
			keys.push({ folded: foldText(acronym), term: { entityId: undefined, acronym: normalizeAcronym(acronym), exact: foldSeparators(acronym), treaty: false } });
		}
	}
	return keys;
}

/** Folded name or alias to its entity; the first entry wins. */
function foldedNames(glossary: Glossary): Map<string, Entity> {
	const byName = new Map<string, Entity>();
	for (const entity of glossary.entities.values()) {
		for (const name of namesOf(entity)) {
			const folded = foldText(name);
			if (folded.length >= 2 && !byName.has(folded)) byName.set(folded, entity);
		}
	}
	return byName;
}

function namesOf(entity: Entity): Set<string> {
	return new Set([entity.name, ...entity.aliases, ...(entity.preferred ? [entity.preferred] : []), ...(entity.ja ? [entity.ja] : []), ...entity.jaAliases]);
}

/** A trie as JSON can hold it: symbols as (code unit, symbol) pairs where non-zero, and the states that end keys with their terms. */
export interface TrieJson {
	readonly symbols: readonly number[];
	readonly spaceSymbol: number;
	readonly cells: readonly number[] | Int32Array;
	readonly terms: ReadonlyArray<readonly [number, readonly Term[]]>;
}

export function trieToJson(trie: Trie): TrieJson {
	const symbols: number[] = [];
	for (let code = 0; code < trie.symbols.length; code++) if (trie.symbols[code]) symbols.push(code, trie.symbols[code]!);
	const terms: Array<[number, readonly Term[]]> = [];
	trie.terms.forEach((list, state) => {
		if (list) terms.push([state, list]);
	});
	return { symbols, spaceSymbol: trie.spaceSymbol, cells: Array.from(trie.cells), terms };
}

export function trieFromJson(json: TrieJson): Trie {
	const symbols = new Uint16Array(0x10000);
	for (let index = 0; index < json.symbols.length; index += 2) symbols[json.symbols[index]!] = json.symbols[index + 1]!;
	const terms: (readonly Term[] | undefined)[] = new Array<readonly Term[] | undefined>(json.cells.length / 2).fill(undefined);
	// Indexed, not destructured: destructuring each of the built-in trie's 2,000 entries, before V8
	// optimizes the loop, took three times as long.
	for (let index = 0; index < json.terms.length; index++) {
		const entry = json.terms[index]!;
		terms[entry[0]] = entry[1];
	}
	return { symbols, spaceSymbol: json.spaceSymbol, cells: json.cells instanceof Int32Array ? json.cells : Int32Array.from(json.cells), terms };
}

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"'`)\]）」]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Spans of URLs and e-mail addresses, where nothing is recognized.
 *
 * Every match of `urlPattern` holds "http", "www." or "@", and no white space. The pattern is slow
 * to run over a whole document, so it runs only over the runs of non-space characters that hold one
 * of those: it finds the same matches there, since `\b` sees a space and either end of the text alike.
 */
export function findUrlSpans(text: string, from = 0, to = text.length): Span[] {
	const spans: Span[] = [];
	const markers = ['@', 'http', 'www.'];
	const next = markers.map((marker) => nextOccurrence(text, marker, from, to));
	let position = from;
	for (;;) {
		let marker = -1;
		for (let which = 0; which < markers.length; which++) {
			if (next[which]! !== -1 && next[which]! < position) next[which] = nextOccurrence(text, markers[which]!, position, to);
			if (next[which]! !== -1 && (marker === -1 || next[which]! < marker)) marker = next[which]!;
		}
		if (marker === -1) return spans;
		let runStart = marker;
		while (runStart > from && !isRegExpSpace(text.charCodeAt(runStart - 1))) runStart--;
		let runEnd = marker + 1;
		while (runEnd < to && !isRegExpSpace(text.charCodeAt(runEnd))) runEnd++;
		const run = text.slice(runStart, runEnd);
		urlPattern.lastIndex = 0;
		for (let match = urlPattern.exec(run); match; match = urlPattern.exec(run)) {
			spans.push({ start: runStart + match.index, end: runStart + match.index + match[0].length });
		}
		position = runEnd;
	}
}

/** The first index of `part` within `text[from, to)`, or -1. */
function nextOccurrence(text: string, part: string, from: number, to: number): number {
	const index = text.indexOf(part, from);
	return index !== -1 && index + part.length <= to ? index : -1;
}

const articleBefore = /\bArt(?:icle|\.)\s+([0-9]+|[IVXLC]+)(?:\s*\([0-9a-z]+\))*\s+of\s+(?:the\s+)?$/i;
const articleAfter = /^\s*(?:第([0-9０-９]+|[〇一二三四五六七八九十百]+)条|[,，]?\s*Art(?:icle|\.)\s+([0-9]+|[IVXLC]+)\b)/;

function parseArticleNumber(text: string): number | undefined {
	if (/^[0-9０-９]+$/.test(text)) return Number(toHalfWidth(text));
	return parseRomanNumeral(text.toUpperCase()) ?? parseKanjiNumber(text);
}

/**
 * Finds every mention in `text[from, to)`: glossary names (longest match wins, so "Artemis
 * Accords" is not read as "Artemis"), glossary acronyms, and any other acronym-shaped word,
 * which the caller resolves with the definitions it knows.
 */
export function recognize(text: string, lexicon: Lexicon, from = 0, to = text.length): Mention[] {
	const mentions: Mention[] = [];
	const urls = findUrlSpans(text, from, to);
	const trie = lexicon.trie;
	let urlIndex = 0;
	let position = from;
	while (position < to) {
		const classes = charClasses[text.charCodeAt(position)];
		if ((classes & (WORD | JAPANESE)) === 0) {
			position++;
			continue;
		}
		const word = (classes & WORD) !== 0;
		// Inside a word (after a match that ended within one): on to the next word.
		if (word && position > 0 && (charClasses[text.charCodeAt(position - 1)] & WORD) !== 0) {
			position = skipWord(text, position + 1, to);
			continue;
		}
		while (urlIndex < urls.length && urls[urlIndex]!.end <= position) urlIndex++;
		const url = urls[urlIndex];
		if (url && url.start <= position) {
			position = url.end;
			continue;
		}
		const match = longestMatch(text, position, to, trie);
		if (match) {
			mentions.push(match);
			position = match.end;
			continue;
		}
		if (word) {
			const wordEnd = skipWord(text, position + 1, to);
			const candidate = acronymCandidate(text, position, wordEnd, to);
			if (candidate) mentions.push(candidate);
			position = candidate ? candidate.end : wordEnd;
			continue;
		}
		position++;
	}
	return mentions;
}

function skipWord(text: string, position: number, to: number): number {
	while (position < to && (charClasses[text.charCodeAt(position)] & WORD) !== 0) position++;
	return position;
}

function isWordAt(text: string, position: number): boolean {
	return position < text.length && (charClasses[text.charCodeAt(position)] & WORD) !== 0;
}

/**
 * Walks the trie from `start`; returns the longest match that ends at a word boundary and passes
 * its case check, with its article when it names a treaty.
 */
function longestMatch(text: string, start: number, to: number, trie: Trie): Mention | undefined {
	const { symbols, spaceSymbol, cells, terms } = trie;
	let state = 0;
	let cell = cells[0];
	let position = start;
	let best: Term | undefined;
	let bestEnd = 0;
	while (position < to) {
		const symbol = symbols[text.charCodeAt(position)];
		if (symbol === 0) break;
		const child = (cell >> 1) + symbol;
		if (cells[2 * child + 1] !== state) break;
		state = child;
		cell = cells[2 * child];
		position++;
		if (symbol === spaceSymbol) {
			// A run of separators is one space of the key.
			while (position < to && (charClasses[text.charCodeAt(position)] & SOFT_SEPARATOR) !== 0) position++;
			continue;
		}
		if (cell & 1) {
			const accepted = acceptTerm(text, start, position, to, terms[state]!);
			if (accepted) {
				best = accepted;
				bestEnd = position;
			}
		}
	}
	if (!best) return undefined;
	// A match glued to a following letter was accepted as a plural acronym ("CLDs"): the "s" is part of it.
	const end = isWordAt(text, bestEnd - 1) && bestEnd < to && isWordAt(text, bestEnd) ? bestEnd + 1 : bestEnd;
	if (best.entityId === undefined) return { start, end, acronym: best.acronym! };
	const mention = { start, end, entityId: best.entityId };
	return best.treaty ? withArticle(text, mention) : mention;
}

/** The first of `terms` (all with the key `text[start, end)` folded) that may end at `end`, or undefined. */
function acceptTerm(text: string, start: number, end: number, to: number, terms: readonly Term[]): Term | undefined {
	const glued = isWordAt(text, end - 1) && end < to && isWordAt(text, end);
	// An acronym may carry a plural "s" ("CLDs", "NGOs"); any other word must end here. Keys that
	// are the start of a longer word ("UN" in "under") stop at this test, before any term is read.
	if (glued && !(text.charCodeAt(end) === 115 && !(end + 1 < to && isWordAt(text, end + 1)))) return undefined;
	for (let index = 0; index < terms.length; index++) {
		const term = terms[index]!;
		if (glued && term.acronym === undefined) continue;
		if (term.exact !== undefined && !matchesExact(text, start, end, term.exact)) continue;
		return term;
	}
	return undefined;
}

/**
 * Whether `toHalfWidth(foldSeparators(text.slice(start, end))) === exact`, without making either
 * string. The slice starts with a word or Japanese character and ends with one that folds to the
 * key's last character, never white space, so `foldSeparators` neither drops nor trims anything.
 */
function matchesExact(text: string, start: number, end: number, exact: string): boolean {
	let index = 0;
	let previousWasSpace = true;
	for (let position = start; position < end; position++) {
		const code = text.charCodeAt(position);
		if ((charClasses[code] & SOFT_SEPARATOR) !== 0) {
			if (!previousWasSpace && exact.charCodeAt(index++) !== SPACE) return false;
			previousWasSpace = true;
		} else {
			if (exact.charCodeAt(index++) !== (isFullWidthAlphanumeric(code) ? code - 0xfee0 : code)) return false;
			previousWasSpace = false;
		}
	}
	return index === exact.length;
}

/**
 * An acronym-shaped word `text[start, wordEnd)` not in the glossary, kept so that definitions mined
 * from the corpus can resolve it. Hyphenated parts that are themselves capitals or digits stay with
 * it ("SOLAR-C", "COVID-19"); a lower-case part does not ("JAXA-led" gives "JAXA").
 */
function acronymCandidate(text: string, start: number, wordEnd: number, to: number): Mention | undefined {
	if (!isAcronymShapeAt(text, start, wordEnd) || isRomanNumeralAt(text, start, wordEnd)) return undefined;
	let end = wordEnd;
	while (end + 1 < to && text.charCodeAt(end) === 45) {
		const partEnd = skipWord(text, end + 1, to);
		const part = text.slice(end + 1, partEnd);
		if (!part || !(isUpperCode(part.charCodeAt(0)) || isDigitCode(part.charCodeAt(0))) || /[a-z]{2}/.test(part)) break;
		end = partEnd;
	}
	// A dotted abbreviation such as "U.S." or "U.N." is not an acronym of this kind.
	if (text.charCodeAt(end) === 46 && isWordAt(text, end + 1)) return undefined;
	return { start, end, acronym: normalizeAcronym(text.slice(start, end)) };
}

/** `parseRomanNumeral(text.slice(start, end)) !== undefined`, making the string only when every letter is one of I, V, X, L, C. */
function isRomanNumeralAt(text: string, start: number, end: number): boolean {
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code !== 73 && code !== 86 && code !== 88 && code !== 76 && code !== 67) return false;
	}
	return parseRomanNumeral(text.slice(start, end)) !== undefined;
}

/** Whether the ASCII letters just before `index` (and after `limit`) are `word`, in any case. */
function endsWithWord(text: string, index: number, limit: number, word: string): boolean {
	if (index - word.length < limit) return false;
	for (let offset = 0; offset < word.length; offset++) {
		if ((text.charCodeAt(index - word.length + offset) | 0x20) !== word.charCodeAt(offset)) return false;
	}
	return true;
}

/**
 * Whether `text[limit, end)` ends with "of" or "of the" and spaces, as `articleBefore` requires: a
 * cheap test that spares running that pattern, anchored at the end, before most treaty names.
 */
function mayEndWithArticle(text: string, limit: number, end: number): boolean {
	let index = end;
	while (index > limit && isRegExpSpace(text.charCodeAt(index - 1))) index--;
	if (index === end) return false;
	if (endsWithWord(text, index, limit, 'of')) return true;
	if (!endsWithWord(text, index, limit, 'the')) return false;
	const theStart = index - 3;
	index = theStart;
	while (index > limit && isRegExpSpace(text.charCodeAt(index - 1))) index--;
	return index < theStart && endsWithWord(text, index, limit, 'of');
}

/** Whether the first character after the spaces from `start` (within 24 characters) may begin `articleAfter`. */
function mayStartWithArticle(text: string, start: number): boolean {
	const limit = Math.min(text.length, start + 24);
	let index = start;
	while (index < limit && isRegExpSpace(text.charCodeAt(index))) index++;
	if (index === limit) return false;
	const code = text.charCodeAt(index);
	return code === 0x7b2c /* 第 */ || code === 44 /* , */ || code === 0xff0c /* ， */ || code === 65 /* A */;
}

/**
 * A treaty's mention, widened to the article phrase before or after it when there is one. The
 * widened mention has the properties of `{ ...mention, start, article, articleSpan }`, in that order.
 */
function withArticle(text: string, mention: { readonly start: number; readonly end: number; readonly entityId: string }): Mention {
	const windowStart = Math.max(0, mention.start - 48);
	const before = mayEndWithArticle(text, windowStart, mention.start) ? articleBefore.exec(text.slice(windowStart, mention.start)) : null;
	if (before) {
		const article = parseArticleNumber(before[1]!);
		const articleStart = mention.start - before[0].length;
		if (article !== undefined) return { start: articleStart, end: mention.end, entityId: mention.entityId, article, articleSpan: { start: articleStart, end: articleStart + before[0].trimEnd().length } };
	}
	const after = mayStartWithArticle(text, mention.end) ? articleAfter.exec(text.slice(mention.end, mention.end + 24)) : null;
	if (after) {
		const article = parseArticleNumber((after[1] ?? after[2])!);
		if (article !== undefined) {
			const end = mention.end + after[0].length;
			return { start: mention.start, end, entityId: mention.entityId, article, articleSpan: { start: mention.end + (after[0].length - after[0].trimStart().length), end } };
		}
	}
	return mention;
}
