// Recognition of glossary names and acronyms in any text, in one pass.
//
// The lexicon is a trie over folded code units (lower case, half width, every run of spaces,
// hyphens and dashes folded to one space). The scan visits each word start once and walks the
// trie from there, keeping the longest match; the work is linear in the text for a fixed
// glossary and does not grow with the number of names, unlike one large regular expression.
import {
	SPACE, foldCode, foldText, isDigitCode, isJapaneseCode, isLowerCode, isSoftSeparator, isUpperCode, isWordCode,
	parseKanjiNumber, parseRomanNumeral, toHalfWidth,
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
	readonly entityId?: string;
	readonly acronym?: string;
	/** For case-sensitive terms, the surface form with separators folded to single spaces. */
	readonly exact?: string;
}

interface TrieNode {
	children?: Map<number, TrieNode>;
	terms?: Term[];
}

export interface Lexicon {
	readonly glossary: Glossary;
	readonly root: TrieNode;
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
	if (word.length < 2 || word.length > 12) return false;
	let upper = 0;
	let lower = 0;
	let digits = 0;
	for (let index = 0; index < word.length; index++) {
		const code = word.charCodeAt(index);
		if (isUpperCode(code)) upper++;
		else if (isLowerCode(code)) lower++;
		else if (isDigitCode(code)) digits++;
		else if (code !== 45) return false;
	}
	const first = word.charCodeAt(0);
	if (!isUpperCode(first) && !isDigitCode(first)) return false;
	if (upper === 0) return false;
	if (upper === 1) return digits > 0 && lower === 0;
	// A trailing plural "s" is allowed on top of the capitals.
	const effectiveLower = word.endsWith('s') ? lower - 1 : lower;
	return effectiveLower <= 1 || effectiveLower < upper;
}

function insert(root: TrieNode, key: string, term: Term): void {
	let node = root;
	for (let index = 0; index < key.length; index++) {
		const code = key.charCodeAt(index);
		node.children ??= new Map();
		let child = node.children.get(code);
		if (!child) {
			child = {};
			node.children.set(code, child);
		}
		node = child;
	}
	(node.terms ??= []).push(term);
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

export function buildLexicon(glossary: Glossary): Lexicon {
	const root: TrieNode = {};
	const acronymEntities = new Map<string, Entity[]>();
	const entityByFoldedName = new Map<string, Entity>();
	const acronymsInTrie = new Set<string>();
	for (const entity of glossary.entities.values()) {
		const names = new Set([entity.name, ...entity.aliases, ...(entity.preferred ? [entity.preferred] : []), ...(entity.ja ? [entity.ja] : []), ...entity.jaAliases]);
		for (const name of names) {
			const folded = foldText(name);
			if (folded.length < 2) continue;
			if (!entityByFoldedName.has(folded)) entityByFoldedName.set(folded, entity);
			insert(root, folded, isCaseSensitiveName(name) ? { entityId: entity.id, exact: foldSeparators(name) } : { entityId: entity.id });
		}
		for (const acronym of entity.acronyms) {
			const normalized = normalizeAcronym(acronym);
			let list = acronymEntities.get(normalized);
			if (!list) acronymEntities.set(normalized, (list = []));
			list.push(entity);
			if (!acronymsInTrie.has(acronym)) {
				acronymsInTrie.add(acronym);
				insert(root, foldText(acronym), { acronym: normalized, exact: foldSeparators(acronym) });
			}
		}
	}
	return { glossary, root, acronymEntities, entityByFoldedName };
}

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"'`)\]）」]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Spans of URLs and e-mail addresses, where nothing is recognized. */
export function findUrlSpans(text: string, from = 0, to = text.length): Span[] {
	const spans: Span[] = [];
	const region = from === 0 && to === text.length ? text : text.slice(from, to);
	urlPattern.lastIndex = 0;
	for (let match = urlPattern.exec(region); match; match = urlPattern.exec(region)) {
		spans.push({ start: from + match.index, end: from + match.index + match[0].length });
	}
	return spans;
}

const treatyKinds = new Set(['treaty', 'agreement']);
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
	let urlIndex = 0;
	let position = from;
	while (position < to) {
		const code = text.charCodeAt(position);
		const japanese = isJapaneseCode(code);
		const word = !japanese && isWordCode(code);
		if (!japanese && !word) {
			position++;
			continue;
		}
		if (word && position > 0 && isWordCode(text.charCodeAt(position - 1))) {
			position++;
			continue;
		}
		while (urlIndex < urls.length && urls[urlIndex]!.end <= position) urlIndex++;
		const url = urls[urlIndex];
		if (url && url.start <= position) {
			position = url.end;
			continue;
		}
		const match = longestMatch(text, position, to, lexicon.root);
		if (match) {
			mentions.push(withArticle(text, match, lexicon));
			position = match.end;
			continue;
		}
		if (word) {
			const candidate = acronymCandidate(text, position, to);
			if (candidate) mentions.push(candidate);
			position = candidate ? candidate.end : skipWord(text, position, to);
			continue;
		}
		position++;
	}
	return mentions;
}

function skipWord(text: string, position: number, to: number): number {
	while (position < to && isWordCode(text.charCodeAt(position))) position++;
	return position;
}

/** Walks the trie from `start`; returns the longest match that ends at a word boundary and passes its case check. */
function longestMatch(text: string, start: number, to: number, root: TrieNode): Mention | undefined {
	let node: TrieNode | undefined = root;
	let position = start;
	let best: Mention | undefined;
	while (node && position < to) {
		let code = foldCode(text.charCodeAt(position));
		let next = position + 1;
		if (code === SPACE) {
			while (next < to && isSoftSeparator(text.charCodeAt(next))) next++;
			code = SPACE;
		}
		node = node.children?.get(code);
		if (!node) break;
		position = next;
		if (node.terms && code !== SPACE) {
			const accepted = acceptTerm(text, start, position, to, node.terms);
			if (accepted) best = accepted;
		}
	}
	return best;
}

function acceptTerm(text: string, start: number, end: number, to: number, terms: readonly Term[]): Mention | undefined {
	const lastCode = text.charCodeAt(end - 1);
	const nextCode = end < to ? text.charCodeAt(end) : 0;
	const lastIsWord = isWordCode(lastCode);
	for (const term of terms) {
		let matchEnd = end;
		if (lastIsWord && isWordCode(nextCode)) {
			// An acronym may carry a plural "s" ("CLDs", "NGOs"); any other word must end here.
			const plural = term.acronym !== undefined && nextCode === 115 && !(end + 1 < to && isWordCode(text.charCodeAt(end + 1)));
			if (!plural) continue;
			matchEnd = end + 1;
		}
		if (term.exact !== undefined && toHalfWidth(foldSeparators(text.slice(start, end))) !== term.exact) continue;
		return term.entityId !== undefined ? { start, end: matchEnd, entityId: term.entityId } : { start, end: matchEnd, acronym: term.acronym! };
	}
	return undefined;
}

/**
 * An acronym-shaped word not in the glossary, kept so that definitions mined from the corpus can
 * resolve it. Hyphenated parts that are themselves capitals or digits stay with it ("SOLAR-C",
 * "COVID-19"); a lower-case part does not ("JAXA-led" gives "JAXA").
 */
function acronymCandidate(text: string, start: number, to: number): Mention | undefined {
	let end = skipWord(text, start, to);
	const first = text.slice(start, end);
	if (!isAcronymShape(first) || parseRomanNumeral(first) !== undefined) return undefined;
	while (end + 1 < to && text.charCodeAt(end) === 45) {
		const partEnd = skipWord(text, end + 1, to);
		const part = text.slice(end + 1, partEnd);
		if (!part || !(isUpperCode(part.charCodeAt(0)) || isDigitCode(part.charCodeAt(0))) || /[a-z]{2}/.test(part)) break;
		end = partEnd;
	}
	// A dotted abbreviation such as "U.S." or "U.N." is not an acronym of this kind.
	if (text.charCodeAt(end) === 46 && isWordCode(text.charCodeAt(end + 1))) return undefined;
	return { start, end, acronym: normalizeAcronym(text.slice(start, end)) };
}

function withArticle(text: string, mention: Mention, lexicon: Lexicon): Mention {
	if (mention.entityId === undefined) return mention;
	const entity = lexicon.glossary.entities.get(mention.entityId);
	if (!entity || !treatyKinds.has(entity.kind)) return mention;
	const before = articleBefore.exec(text.slice(Math.max(0, mention.start - 48), mention.start));
	if (before) {
		const article = parseArticleNumber(before[1]!);
		const articleStart = mention.start - before[0].length;
		if (article !== undefined) return { ...mention, start: articleStart, article, articleSpan: { start: articleStart, end: articleStart + before[0].trimEnd().length } };
	}
	const after = articleAfter.exec(text.slice(mention.end, mention.end + 24));
	if (after) {
		const article = parseArticleNumber((after[1] ?? after[2])!);
		if (article !== undefined) {
			const end = mention.end + after[0].length;
			return { ...mention, end, article, articleSpan: { start: mention.end + (after[0].length - after[0].trimStart().length), end } };
		}
	}
	return mention;
}
