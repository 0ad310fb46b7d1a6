// The terminology checks: one pass over a document's analysis that yields plain findings with
// their quick fixes as data. Used alike by the editor (diagnostics, code actions) and the CLI.
//
// Loops over a document's mentions and findings are indexed rather than `for…of`: the CLI checks
// a draft once per process, mostly before V8 optimizes these functions, and unoptimized `for…of`
// goes through the iterator protocol, about four times as slow over 16,000 mentions.
import type { DocumentAnalysis, LocatedMention, MinedDefinition } from './analysis';
import { foldText } from './characters';
import { codeDescriptions, type Finding, type FindingCode, type Fix, type Severity, type SeveritySetting } from './findings';
import type { Entity } from './glossary';
import { MarkdownDocument, type MarkdownStructure } from './markdown';
import type { Lexicon } from './recognizer';
import type { Referent, Resolver } from './resolver';
import { parseSuppressions, type Suppressions } from './suppressions';
import type { Span } from './types';

export type DocumentFormat = 'markdown' | 'plaintext' | 'statement';

export interface CheckOptions {
	/** Severity per code; codes not named keep their default. */
	readonly severities?: Partial<Record<FindingCode, SeveritySetting>>;
	/** The date to judge names by when the document gives none (ISO 8601); defaults to `today`. */
	readonly documentDate?: string;
	/** Today's date (ISO 8601), passed in so the core reads no clock. */
	readonly today: string;
}

export interface CheckContext {
	readonly lexicon: Lexicon;
	readonly resolver: Resolver;
	readonly options: CheckOptions;
	/** The resolver's corpus's `resolutionGeneration`, when known: equal values mean the corpus resolves acronyms as before. */
	readonly resolution?: number;
}

export interface CheckResult {
	readonly findings: Finding[];
	/** Problems with suppression comments, reported so a typo in one is not silently ignored. */
	readonly directiveProblems: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
	/** The date names were judged by, and where it came from. */
	readonly date: { readonly iso: string; readonly source: 'statement' | 'front matter' | 'setting' | 'today' };
}

/**
 * What the checks would otherwise compute from the text: a caller that keeps them up to date
 * between versions of a document (server/src/core/incremental.ts) passes them in.
 */
export interface PreparedStructure {
	/** The Markdown structure of the text; used for Markdown documents only. */
	readonly markdown?: MarkdownStructure;
	/** The suppression directives of the text, read in the document's format. */
	readonly suppressions?: Suppressions;
	/**
	 * What `prepareChecks` worked out from the analysis alone, for this analysis and this
	 * context's resolver (ignored when made for another).
	 */
	readonly checks?: CheckPreparation;
}

/**
 * The checks' work that depends on the analysis and the resolver only, not on the Markdown
 * structure nor on the suppressions: what each acronym of the document resolves to, and the forms
 * its names are written in. A caller that works the structure out elsewhere (the CLI, on a
 * worker thread) does this while it waits, and the checks then look the answers up.
 */
export interface CheckPreparation {
	readonly analysis: DocumentAnalysis;
	readonly resolver: Resolver;
	/** `resolver.resolveAcronym(key, analysis)` for every acronym the analysis uses or defines. */
	readonly acronyms: ReadonlyMap<string, Referent | undefined>;
	/** The written form of every name the variant check compares, by its text as written. */
	readonly writtenForms: Map<string, WrittenForm>;
}

/** The checks' work on `analysis` that the Markdown structure and the suppressions do not change (see `CheckPreparation`). */
export function prepareChecks(text: string, analysis: DocumentAnalysis, resolver: Resolver): CheckPreparation {
	const acronyms = new Map<string, Referent | undefined>();
	const writtenForms = new Map<string, WrittenForm>();
	for (let mentionIndex = 0; mentionIndex < analysis.mentions.length; mentionIndex++) {
		const mention = analysis.mentions[mentionIndex]!;
		const acronym = mention.acronym;
		if (acronym !== undefined) {
			if (!acronyms.has(acronym)) acronyms.set(acronym, resolver.resolveAcronym(acronym, analysis));
		} else if (mention.entityId !== undefined && mention.article === undefined) writtenFormOf(writtenForms, text, mention);
	}
	for (let definitionIndex = 0; definitionIndex < analysis.definitions.length; definitionIndex++) {
		const definition = analysis.definitions[definitionIndex]!;
		if (!acronyms.has(definition.key)) acronyms.set(definition.key, resolver.resolveAcronym(definition.key, analysis));
	}
	return { analysis, resolver, acronyms, writtenForms };
}

/** The resolver's answers for the prepared analysis looked up in `preparation`, any other asked of `resolver`. */
function preparedResolver(resolver: Resolver, preparation: CheckPreparation): Resolver {
	const { analysis, acronyms } = preparation;
	const resolveAcronym = (acronym: string, document: DocumentAnalysis | undefined) => (document === analysis && acronyms.has(acronym) ? acronyms.get(acronym) : resolver.resolveAcronym(acronym, document));
	return {
		resolveAcronym,
		resolveMention: (mention, document) => (mention.entityId === undefined ? resolveAcronym(mention.acronym!, document) : resolver.resolveMention(mention, document)),
	};
}

/**
 * What a check read besides the analysis and the structure it was given, recorded for
 * incremental.ts to tell whether an edit can have changed the findings.
 */
export interface CheckReads {
	/** The resolver's answers, by acronym. */
	readonly acronyms: Map<string, Referent | undefined>;
	/** The resolver's answers for mentions, by entity id and by acronym, each with a mention that asked. */
	readonly entityMentions: Map<string, ResolvedMention>;
	readonly acronymMentions: Map<string, ResolvedMention>;
	/** Lines read whole, to tell capitals that are no acronym ("KISHIDA Fumio"). */
	readonly lines: Span[];
	/** Searches of the text, from `from` on, for the expansion of an acronym known only from definitions. */
	readonly searches: Array<{ readonly expansion: string; readonly pattern: RegExp; readonly from: number }>;
}

export interface ResolvedMention {
	readonly mention: LocatedMention;
	readonly referent: Referent | undefined;
}

export function emptyCheckReads(): CheckReads {
	return { acronyms: new Map(), entityMentions: new Map(), acronymMentions: new Map(), lines: [], searches: [] };
}

/** Words in capitals that are not acronyms and never need a definition. */
const commonCapitals = new Set(['OK', 'AM', 'PM', 'TV', 'ID', 'URL', 'HTTP', 'HTTPS', 'PDF', 'FAQ', 'USD', 'JPY', 'EUR', 'GBP', 'CNY', 'UTC', 'GMT', 'JST', 'EST', 'EDT', 'PST', 'PDT', 'CEO', 'CV', 'DC', 'US', 'UK', 'TODO', 'NOTE', 'FYI']);

export function checkDocument(text: string, analysis: DocumentAnalysis, format: DocumentFormat, givenContext: CheckContext, prepared: PreparedStructure = {}, reads = emptyCheckReads()): CheckResult {
	// One parse gives both the Markdown structure and the comments that hold suppressions.
	const parsed = format === 'markdown' && !prepared.markdown ? new MarkdownDocument() : undefined;
	const markdown = format === 'markdown' ? prepared.markdown ?? parsed!.update(text) : undefined;
	const suppressions = prepared.suppressions ?? parseSuppressions(text, format === 'markdown' ? 'markdown' : 'plaintext', parsed ? { htmlComments: () => parsed.htmlComments() } : {});
	const preparation = prepared.checks?.analysis === analysis && prepared.checks.resolver === givenContext.resolver ? prepared.checks : undefined;
	const resolver = preparation ? preparedResolver(givenContext.resolver, preparation) : givenContext.resolver;
	const context: CheckContext = { ...givenContext, resolver: rememberingResolver(resolver, reads) };
	const excluded = markdown?.excluded ?? [];
	const isExcluded = (span: Span) => overlapsAny(excluded, span) || (analysis.parsed.isStatement && span.start < analysis.parsed.bodyStart);
	const definitions = analysis.definitions.filter((definition) => !isExcluded(definition.phraseSpan));
	// A definition's own acronym ("(NASDA)") is part of the definition, not another use of the name.
	const { mentions, uses } = mentionsToCheck(analysis, excluded, definitions);
	const date = documentDate(analysis, markdown?.frontMatter?.dateText, context.options);

	const findings: Finding[] = [];
	const emit = (code: FindingCode, span: Span, message: string, fixes: Fix[] = [], acronym?: string) => {
		const setting = context.options.severities?.[code] ?? codeDescriptions[code].defaultSeverity;
		if (setting === 'off' || suppressions.isSuppressed(code, span.start)) return;
		// Spans are copied to plain `{ start, end }`, the fixes' too (they are often mentions): a
		// finding then holds nothing of the analysis, and incremental.ts moves it cheaply.
		const plainFixes = fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ span: { start: edit.span.start, end: edit.span.end }, newText: edit.newText })) }));
		const finding: { -readonly [Key in keyof Finding]: Finding[Key] } = { code, span: { start: span.start, end: span.end }, severity: setting as Severity, message, fixes: plainFixes };
		if (acronym) finding.acronym = acronym;
		findings.push(finding);
	};

	checkAcronyms(text, analysis, mentions, uses, definitions, context, emit, reads);
	checkVariantSpellings(text, mentions, context.lexicon, emit, preparation?.writtenForms);
	checkOutdatedNames(text, analysis, uses, definitions, date, context, emit);
	checkTreatyArticles(mentions, context.lexicon, emit);
	sortFindings(findings);
	return { findings, directiveProblems: suppressions.problems, date };
}

/**
 * Sorts findings by start, then by code as `localeCompare` orders codes, keeping the order of
 * equals: what `sort` with that comparator does, done on numbers (start, the code's rank, the
 * finding's index) when they fit in a double. A long draft has thousands of findings, and a
 * comparator called tens of thousands of times on a check's one run took ~10 ms.
 */
export function sortFindings(findings: Finding[]): void {
	const comparator = (a: Finding, b: Finding) => a.span.start - b.span.start || a.code.localeCompare(b.code);
	const codes = [...new Set(findings.map((finding) => finding.code))].sort((a, b) => a.localeCompare(b));
	const ranks = new Map<string, number>();
	let rank = 0;
	codes.forEach((code, index) => ranks.set(code, (rank += index > 0 && codes[index - 1]!.localeCompare(code) !== 0 ? 1 : 0)));
	let lastStart = 0;
	for (let findingIndex = 0; findingIndex < findings.length; findingIndex++) {
		const finding = findings[findingIndex]!;
		lastStart = Math.max(lastStart, finding.span.start);
	}
	const rankScale = 2 ** Math.ceil(Math.log2(rank + 1));
	const indexScale = 2 ** Math.ceil(Math.log2(findings.length + 1));
	if (!(lastStart >= 0 && (lastStart + 1) * rankScale * indexScale <= Number.MAX_SAFE_INTEGER) || findings.some((finding) => !Number.isInteger(finding.span.start) || finding.span.start < 0)) {
		findings.sort(comparator);
		return;
	}
	const keys = new Float64Array(findings.length);
	findings.forEach((finding, index) => (keys[index] = (finding.span.start * rankScale + ranks.get(finding.code)!) * indexScale + index));
	keys.sort();
	const unsorted = findings.slice();
	keys.forEach((key, position) => (findings[position] = unsorted[key % indexScale]!));
}

type Emit = (code: FindingCode, span: Span, message: string, fixes?: Fix[], acronym?: string) => void;

/**
 * The resolver's answers for one check of one document, each computed once: a long draft names
 * the same acronym thousands of times, and each answer looks through the document's definitions.
 * A mention's answer depends on its entity or acronym only, so those are the keys.
 */
function rememberingResolver(resolver: Resolver, reads: CheckReads): Resolver {
	const { acronyms, entityMentions, acronymMentions } = reads;
	return {
		resolveAcronym(acronym, document) {
			if (!acronyms.has(acronym)) acronyms.set(acronym, resolver.resolveAcronym(acronym, document));
			return acronyms.get(acronym);
		},
		resolveMention(mention, document) {
			const answers = mention.entityId !== undefined ? entityMentions : acronymMentions;
			const key = mention.entityId ?? mention.acronym ?? '';
			let answer = answers.get(key);
			if (!answer) answers.set(key, (answer = { mention, referent: resolver.resolveMention(mention, document) }));
			return answer.referent;
		},
	};
}

/** Mentions grouped by the entity they name, each group in document order. */
function groupByEntity(mentions: readonly LocatedMention[]): Map<string, LocatedMention[]> {
	const groups = new Map<string, LocatedMention[]>();
	for (let mentionIndex = 0; mentionIndex < mentions.length; mentionIndex++) {
		const mention = mentions[mentionIndex]!;
		if (mention.entityId === undefined) continue;
		let group = groups.get(mention.entityId);
		if (!group) groups.set(mention.entityId, (group = []));
		group.push(mention);
	}
	return groups;
}

/**
 * The mentions the checks look at: those outside the excluded spans and a statement's header, in
 * order; and among them the uses, all but the acronyms of `definitions` (which are part of their
 * definition, not another use of the name).
 */
export function mentionsToCheck(analysis: DocumentAnalysis, excluded: readonly Span[], definitions: readonly MinedDefinition[]): { mentions: LocatedMention[]; uses: LocatedMention[] } {
	const mentions = includedMentions(analysis.mentions, excluded, analysis.parsed.isStatement ? analysis.parsed.bodyStart : 0);
	return { mentions, uses: withoutStartsAt(mentions, definitions.map((definition) => definition.acronymSpan.start)) };
}

/**
 * The mentions that overlap no excluded span and start at or after `headerEnd`, in order. Mentions
 * are sorted and do not overlap (so their ends are sorted too), and so are the excluded spans: the
 * mentions an excluded span overlaps are a run, and the runs between are copied whole, so that a
 * long draft's tens of thousands of mentions are each only compared, not copied one by one.
 */
function includedMentions(all: readonly LocatedMention[], excluded: readonly Span[], headerEnd: number): LocatedMention[] {
	let index = headerEnd > 0 ? firstStartingAtOrAfter(all, headerEnd, 0) : 0;
	let from = index;
	const runs: LocatedMention[][] = [];
	for (const span of excluded) {
		while (index < all.length && all[index]!.end <= span.start) index++;
		if (index === all.length) break;
		if (all[index]!.start >= span.end) continue;
		// From here, every mention that starts before the span's end overlaps it.
		if (index > from) runs.push(all.slice(from, index));
		while (index < all.length && all[index]!.start < span.end) index++;
		from = index;
	}
	if (runs.length === 0) return all.slice(from);
	runs.push(all.slice(from));
	return joined(runs);
}

/** `mentions` less those starting at one of `starts`, in order; the rest copied in runs. */
function withoutStartsAt(mentions: readonly LocatedMention[], starts: readonly number[]): LocatedMention[] {
	const runs: LocatedMention[][] = [];
	let index = 0;
	let from = 0;
	for (const start of Float64Array.from(starts).sort()) {
		while (index < mentions.length && mentions[index]!.start < start) index++;
		if (index === mentions.length) break;
		if (mentions[index]!.start !== start) continue;
		if (index > from) runs.push(mentions.slice(from, index));
		from = ++index;
	}
	if (runs.length === 0 && from === 0) return mentions.slice();
	runs.push(mentions.slice(from));
	return joined(runs);
}

/** The runs one after the other: by one `concat` (much the fastest) when there are not too many to pass as its arguments. */
function joined<T>(runs: readonly T[][]): T[] {
	if (runs.length <= 10_000) return ([] as T[]).concat(...runs);
	const all: T[] = [];
	for (const run of runs) for (const item of run) all.push(item);
	return all;
}

/** The index of the first of the sorted `spans`, from `from` on, that starts at or after `offset`; their length when none does. */
function firstStartingAtOrAfter(spans: readonly Span[], offset: number, from: number): number {
	let low = from;
	let high = spans.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (spans[middle]!.start < offset) low = middle + 1;
		else high = middle;
	}
	return low;
}

function overlapsAny(spans: readonly Span[], span: Span): boolean {
	// Spans are sorted and disjoint: binary search for the first that ends after span.start.
	let low = 0;
	let high = spans.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (spans[middle]!.end <= span.start) low = middle + 1;
		else high = middle;
	}
	return low < spans.length && spans[low]!.start < span.end;
}

function documentDate(analysis: DocumentAnalysis, frontMatterDate: string | undefined, options: CheckOptions): CheckResult['date'] {
	if (analysis.date) return { iso: analysis.date.iso, source: 'statement' };
	const fromFrontMatter = frontMatterDate && /^\d{4}(-\d{2}(-\d{2})?)?/.exec(frontMatterDate)?.[0];
	if (fromFrontMatter) return { iso: fromFrontMatter, source: 'front matter' };
	if (options.documentDate && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(options.documentDate)) return { iso: options.documentDate, source: 'setting' };
	return { iso: options.today, source: 'today' };
}

/** The form a draft should use for an entity's full name. */
function officialName(entity: Entity): string {
	return entity.preferred ?? entity.name;
}

function isAcronymOnly(entity: Entity): boolean {
	return entity.acronyms.some((acronym) => acronym === entity.name);
}

function expansionOf(referent: Referent): string {
	return referent.kind === 'entity' ? officialName(referent.entity) : referent.expansion;
}

/** The text of a definition phrase reduced to its acronym ("Japan Aerospace Exploration Agency (JAXA)" → "JAXA"). */
function acronymOnlyFix(text: string, definition: MinedDefinition, title: string): Fix {
	return { title, edits: [{ span: definition.phraseSpan, newText: text.slice(definition.acronymSpan.start, definition.acronymSpan.end) }], isPreferred: true };
}

/** `nonDefining` are the mentions that are not a definition's own acronym. */
function checkAcronyms(text: string, analysis: DocumentAnalysis, mentions: readonly LocatedMention[], nonDefining: readonly LocatedMention[], definitions: readonly MinedDefinition[], context: CheckContext, emit: Emit, reads: CheckReads): void {
	const ignored = context.lexicon.glossary.ignore;
	const definitionsByKey = new Map<string, MinedDefinition[]>();
	for (let definitionIndex = 0; definitionIndex < definitions.length; definitionIndex++) {
		const definition = definitions[definitionIndex]!;
		let list = definitionsByKey.get(definition.key);
		if (!list) definitionsByKey.set(definition.key, (list = []));
		list.push(definition);
	}
	const usesByKey = new Map<string, LocatedMention[]>();
	for (let mentionIndex = 0; mentionIndex < nonDefining.length; mentionIndex++) {
		const mention = nonDefining[mentionIndex]!;
		if (mention.acronym === undefined) continue;
		let list = usesByKey.get(mention.acronym);
		if (!list) usesByKey.set(mention.acronym, (list = []));
		list.push(mention);
	}
	const keys = new Set([...usesByKey.keys(), ...definitionsByKey.keys()]);
	let mentionsByEntity: Map<string, LocatedMention[]> | undefined;
	for (const key of keys) {
		if (ignored.has(key) || commonCapitals.has(key)) continue;
		const uses = usesByKey.get(key) ?? [];
		const defined = definitionsByKey.get(key) ?? [];
		const referent = context.resolver.resolveAcronym(key, analysis);
		if (defined.length === 0) {
			const first = uses.find((use) => referent || !looksLikeOrdinaryCapitals(text, use, reads));
			if (!first) continue;
			const written = text.slice(first.start, first.end);
			if (!referent) {
				emit('acronym.unknown', first, `"${written}" is not defined in this document, the glossary or the corpus; define it at its first use, or add it to the workspace glossary if it needs no definition.`, [], key);
			} else if (!(referent.kind === 'entity' && isAcronymOnly(referent.entity))) {
				const expansion = expansionOf(referent);
				emit('acronym.undefined', first, `"${written}" is used without a definition in this document; write "${expansion} (${written})" at its first use.`, [
					{ title: `Expand to "${expansion} (${written})"`, edits: [{ span: first, newText: `${expansion} (${written})` }], isPreferred: true },
				]);
			}
			continue;
		}
		const firstDefinition = defined[0]!;
		const definedAcronym = text.slice(firstDefinition.acronymSpan.start, firstDefinition.acronymSpan.end);
		const firstUse = uses[0];
		if (firstUse && firstUse.start < firstDefinition.phraseSpan.start) {
			const written = text.slice(firstUse.start, firstUse.end);
			emit('acronym.used-before-definition', firstUse, `"${written}" is used before its definition in paragraph ${firstDefinition.paragraph}; move the definition here, to its first use.`, [{
				title: 'Move the definition to the first use',
				edits: [
					{ span: firstUse, newText: `${firstDefinition.expansion} (${written})` },
					{ span: firstDefinition.phraseSpan, newText: definedAcronym },
				],
				isPreferred: true,
			}]);
		}
		const official = referent?.kind === 'entity' ? referent.entity : undefined;
		if (official && !isOfficialExpansion(firstDefinition.expansion, official)) {
			emit('acronym.conflicting-expansion', firstDefinition.expansionSpan, `"${definedAcronym}" is defined as "${firstDefinition.expansion}", but its official expansion is "${officialName(official)}"; use the official expansion.`, [
				{ title: `Use "${officialName(official)}"`, edits: [{ span: firstDefinition.expansionSpan, newText: officialName(official) }], isPreferred: true },
			]);
		}
		for (const repeated of defined.slice(1)) {
			const written = text.slice(repeated.acronymSpan.start, repeated.acronymSpan.end);
			emit('acronym.defined-twice', repeated.phraseSpan, `"${written}" was already defined in paragraph ${firstDefinition.paragraph}; write just "${written}" here.`, [acronymOnlyFix(text, repeated, `Drop the repeated expansion, keeping "${written}"`)]);
			// A Japanese gloss of an English expansion (or the reverse) is a translation, not a conflict.
			const japanese = (expansion: string) => /[\u3040-\u9fff]/.test(expansion);
			// Punctuation does not make another expansion ("Prevention, Preparedness, and Response").
			const words = (expansion: string) => foldText(expansion.replace(/[,.;]/g, ' '));
			if (words(repeated.expansion) !== words(firstDefinition.expansion) && japanese(repeated.expansion) === japanese(firstDefinition.expansion)) {
				// No fix of its own: dropping the repeated expansion (the fix above) settles both findings,
				// and two fixes editing the same phrase would conflict when applied together.
				emit('acronym.conflicting-expansion', repeated.expansionSpan, `"${written}" is defined here as "${repeated.expansion}", but paragraph ${firstDefinition.paragraph} defined it as "${firstDefinition.expansion}"; use one expansion.`);
			}
		}
		const usedAfter = uses.some((use) => use.start > firstDefinition.phraseSpan.end) || defined.length > 1;
		if (!usedAfter) {
			emit('acronym.unused-definition', firstDefinition.phraseSpan, `"${definedAcronym}" is defined but never used again; drop the definition and keep the full name.`, [{
				title: `Drop "(${definedAcronym})", keeping the full name`,
				edits: [{ span: firstDefinition.phraseSpan, newText: firstDefinition.expansion }],
				isPreferred: true,
			}]);
		}
		mentionsByEntity ??= groupByEntity(mentions);
		checkSpelledOut(text, official ? mentionsByEntity.get(official.id) ?? [] : [], defined, firstDefinition, definedAcronym, official, emit, reads);
	}
}

function isOfficialExpansion(expansion: string, entity: Entity): boolean {
	const folded = foldText(expansion);
	// A Japanese expansion is judged against the Japanese names, and not at all when the entry has none.
	if (/[\u3040-\u9fff]/.test(expansion) && !entity.ja) return true;
	const names = [entity.name, ...entity.aliases, ...(entity.preferred ? [entity.preferred] : []), ...(entity.ja ? [entity.ja] : []), ...entity.jaAliases];
	return names.some((name) => {
		const candidate = foldText(name);
		// "Commercial LEO Destinations (CLDs)" against "Commercial LEO Destination": a plural is the same name.
		if (candidate === folded || candidate + 's' === folded || candidate === folded + 's') return true;
		// "Non-proliferation of Nuclear Weapons (NPT)": the words before it ("Treaty on the") belong
		// to the sentence as written; an expansion that is the tail of the official name is that name.
		return folded.includes(' ') && candidate.endsWith(' ' + folded);
	});
}

/** The full name written again after the acronym was introduced; `entityMentions` are the mentions of `entity`. */
function checkSpelledOut(text: string, entityMentions: readonly LocatedMention[], defined: readonly MinedDefinition[], firstDefinition: MinedDefinition, acronym: string, entity: Entity | undefined, emit: Emit, reads: CheckReads): void {
	const insideDefinition = (span: Span) => defined.some((definition) => span.start >= definition.phraseSpan.start && span.end <= definition.phraseSpan.end);
	const flag = (span: Span) => {
		emit('acronym.spelled-out-after-definition', span, `"${text.slice(span.start, span.end).replace(/\s+/g, ' ')}" was introduced as "${acronym}" in paragraph ${firstDefinition.paragraph}; use "${acronym}".`, [
			{ title: `Use "${acronym}"`, edits: [{ span, newText: acronym }], isPreferred: true },
		]);
	};
	if (entity) {
		for (let mentionIndex = 0; mentionIndex < entityMentions.length; mentionIndex++) {
			const mention = entityMentions[mentionIndex]!;
			if (mention.start > firstDefinition.phraseSpan.end && mention.article === undefined && !insideDefinition(mention)) flag(mention);
		}
		return;
	}
	// An acronym known only from definitions: look for its expansion as whole words, in any case,
	// searching the original text so offsets stay true whatever lower-casing would do to its length.
	const words = firstDefinition.expansion.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
	pattern.lastIndex = firstDefinition.phraseSpan.end;
	reads.searches.push({ expansion: firstDefinition.expansion, pattern, from: firstDefinition.phraseSpan.end });
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		const span = { start: match.index, end: match.index + match[0].length };
		if (!insideDefinition(span)) flag(span);
	}
}

/**
 * Capitals that are not an acronym: a family name written in capitals beside a given name
 * ("KISHIDA Fumio"), a heading or a speaker's label in capitals ("REPORTER:").
 */
function looksLikeOrdinaryCapitals(text: string, mention: Span, reads: CheckReads): boolean {
	const lineStart = text.lastIndexOf('\n', mention.start - 1) + 1;
	let lineEnd = text.indexOf('\n', mention.end);
	if (lineEnd === -1) lineEnd = text.length;
	reads.lines.push({ start: lineStart, end: lineEnd });
	const line = text.slice(lineStart, lineEnd);
	const words = line.match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];
	const capitalWords = words.filter((word) => word.length > 1 && word === word.toUpperCase());
	if (words.length >= 2 && capitalWords.length === words.length) return true;
	const before = text.slice(lineStart, mention.start);
	const after = text.slice(mention.end, lineEnd);
	if (/^[\s#>*-]*(?:[A-Z][A-Z.]*\s+)*$/.test(before) && /^(?:\s+[A-Z][A-Z.]*)*\s*:/.test(after)) return true;
	const word = text.slice(mention.start, mention.end);
	if (!/^[A-Z]{2,}$/.test(word) || !/[AEIOUY]/.test(word)) return false;
	// A given name after it ("KISHIDA Fumio", not followed by more capitalized words), or a title
	// before it ("Prime Minister KISHIDA", "Foreign Minister Yoko KAMIKAWA").
	const givenAfter = /^ ([A-Z][a-z]{2,})(?![A-Za-z])(?! [A-Z][a-z])/.test(after);
	return givenAfter || titles.test(before);
}

const titles = /\b(?:Minister|President|Secretary|Ambassador|Governor|Mr\.|Ms\.|Mrs\.|Dr\.|Chairman|Chair|Director|Senator|Representative|Deputy|Vice|Premier|Chancellor|King|Queen|Emperor|Prince|Princess)\s+(?:[A-Z][a-z]+\s+)?$/;

/** A way a name is written, with the forms the variant check compares. */
export interface WrittenForm {
	/** The text as written, white space collapsed to single spaces. */
	readonly surface: string;
	readonly comparable: string;
	readonly folded: string;
}

// Differences only in the case of the first letter (a sentence start) are not variants, nor
// is a form in title case ("Mekong-Japan Cooperation" as a heading or a proper name).
function isTitleCase(form: string): boolean {
	return /^(?:[^a-z]*\b[A-Z][^\s-]*[\s-]*)+$/.test(form);
}

function comparableForm(form: string): string {
	return isTitleCase(form) ? form.toLowerCase() : form.charAt(0).toLowerCase() + form.slice(1);
}

function sameSpelling(form: string, target: string): boolean {
	return isTitleCase(form) || isTitleCase(target) ? form.toLowerCase() === target.toLowerCase() : comparableForm(form) === comparableForm(target);
}

/** The form `mention` is written in, worked out once per text as written and kept in `forms`. */
function writtenFormOf(forms: Map<string, WrittenForm>, text: string, mention: Span): WrittenForm {
	const written = text.slice(mention.start, mention.end);
	let form = forms.get(written);
	if (!form) {
		const surface = written.replace(/\s+/g, ' ');
		form = { surface, comparable: comparableForm(surface), folded: foldText(surface) };
		forms.set(written, form);
	}
	return form;
}

/** Two spellings of one name or term in a document; `writtenForms` may hold forms worked out before. */
function checkVariantSpellings(text: string, mentions: readonly LocatedMention[], lexicon: Lexicon, emit: Emit, writtenForms = new Map<string, WrittenForm>()): void {
	const byEntity = new Map<string, LocatedMention[]>();
	for (let mentionIndex = 0; mentionIndex < mentions.length; mentionIndex++) {
		const mention = mentions[mentionIndex]!;
		if (mention.entityId === undefined || mention.article !== undefined) continue;
		let list = byEntity.get(mention.entityId);
		if (!list) byEntity.set(mention.entityId, (list = []));
		list.push(mention);
	}
	// A long draft writes most names the same way thousands of times: each way is worked out once.
	const formOf = (mention: Span): WrittenForm => writtenFormOf(writtenForms, text, mention);
	for (const [entityId, list] of byEntity) {
		if (list.length < 2) continue;
		const entity = lexicon.glossary.entities.get(entityId);
		if (!entity) continue;
		const forms = new Map(list.map((mention) => [mention, formOf(mention)]));
		const surface = (mention: LocatedMention) => forms.get(mention)!.surface;
		if (entity.kind === 'term') {
			if (new Set(list.map((mention) => forms.get(mention)!.comparable)).size < 2) continue;
			const target = entity.preferred ?? surface(list[0]!);
			for (let mentionIndex = 0; mentionIndex < list.length; mentionIndex++) {
				const mention = list[mentionIndex]!;
				if (!sameSpelling(surface(mention), target)) emitVariant(mention, surface(mention), target);
			}
			continue;
		}
		// For other names, only spellings of the same name differ ("low-earth orbit", "low Earth orbit").
		const groups = new Map<string, LocatedMention[]>();
		for (let mentionIndex = 0; mentionIndex < list.length; mentionIndex++) {
			const mention = list[mentionIndex]!;
			const key = forms.get(mention)!.folded;
			let group = groups.get(key);
			if (!group) groups.set(key, (group = []));
			group.push(mention);
		}
		for (const [key, group] of groups) {
			if (new Set(group.map((mention) => forms.get(mention)!.comparable)).size < 2) continue;
			const target = entity.preferred && foldText(entity.preferred) === key ? entity.preferred : surface(group[0]!);
			for (let mentionIndex = 0; mentionIndex < group.length; mentionIndex++) {
				const mention = group[mentionIndex]!;
				if (!sameSpelling(surface(mention), target)) emitVariant(mention, surface(mention), target);
			}
		}
	}

	function emitVariant(span: Span, written: string, target: string): void {
		emit('term.variant-spelling', span, `"${written}" is spelled "${target}" elsewhere in this document; use one spelling, "${target}".`, [
			{ title: `Use "${target}"`, edits: [{ span, newText: target }], isPreferred: true },
		]);
	}
}

function checkOutdatedNames(text: string, analysis: DocumentAnalysis, mentions: readonly LocatedMention[], definitions: readonly MinedDefinition[], date: CheckResult['date'], context: CheckContext, emit: Emit): void {
	// The start of the document's period: a document dated "2003" may be from before October 2003.
	const documentStart = date.iso.length === 4 ? `${date.iso}-01-01` : date.iso.length === 7 ? `${date.iso}-01` : date.iso;
	// The end of the document's period: a document dated "2003" may be from after October 2003.
	const documentEnd = date.iso.length === 4 ? `${date.iso}-12-31` : date.iso.length === 7 ? `${date.iso}-31` : date.iso;
	const entities = context.lexicon.glossary.entities;
	/** The entities an entity replaced that were current at the document's end, by entity id. */
	const predecessorsOf = new Map<string, Entity[]>();
	let definitionAround: ((span: Span) => MinedDefinition | undefined) | undefined;
	for (let mentionIndex = 0; mentionIndex < mentions.length; mentionIndex++) {
		const mention = mentions[mentionIndex]!;
		const referent = context.resolver.resolveMention(mention, analysis);
		if (referent?.kind !== 'entity') continue;
		const entity = referent.entity;
		if (entity.since && documentEnd < entity.since) {
			checkNotYetCurrent(mention, entity, documentEnd);
			continue;
		}
		if (!entity.until) continue;
		const until = entity.until!;
		if (documentStart < until) continue;
		const written = text.slice(mention.start, mention.end).replace(/\s+/g, ' ');
		const successor = entity.successor ? entities.get(entity.successor) : undefined;
		const when = describeDate(date);
		if (!successor) {
			emit('term.outdated-name', mention, `"${written}" was no longer current ${onDate(until)}, before ${when}; check whether a current name applies.`);
			continue;
		}
		// The expansion of a definition ("National Space Development Agency of Japan (NASDA)") is
		// replaced together with its acronym, so the fix leaves a consistent definition.
		definitionAround ??= expansionLookup(definitions);
		const definition = definitionAround(mention);
		const replacement = nameLike(mention, successor);
		const fix: Fix = definition && successor.acronyms.length
			? { title: `Use "${officialName(successor)} (${successor.acronyms[0]})"`, edits: [{ span: definition.phraseSpan, newText: `${officialName(successor)} (${successor.acronyms[0]})` }], isPreferred: true }
			: { title: `Use "${replacement}"`, edits: [{ span: mention, newText: replacement }], isPreferred: true };
		emit('term.outdated-name', mention, `"${written}" was replaced by ${officialName(successor)} ${onDate(until)}, before ${when}; use "${replacement}".`, [fix]);
	}

	/**
	 * A name used before it existed, for a body that replaced an earlier one ("JAXA" in a 1995
	 * draft): the fixes offer the names that were current then.
	 */
	function checkNotYetCurrent(mention: LocatedMention, entity: Entity, documentEnd: string): void {
		let predecessors = predecessorsOf.get(entity.id);
		if (!predecessors) {
			predecessors = [...entities.values()].filter((candidate) => candidate.successor === entity.id && candidate.until && (!candidate.since || candidate.since <= documentEnd));
			predecessorsOf.set(entity.id, predecessors);
		}
		if (predecessors.length === 0) return;
		const written = text.slice(mention.start, mention.end).replace(/\s+/g, ' ');
		const names = predecessors.map((predecessor) => nameLike(mention, predecessor));
		emit('term.outdated-name', mention, `"${written}" only came into use ${onDate(entity.since!)}, after ${describeDate(date)}; use the name current then (${names.map((name) => `"${name}"`).join(' or ')}).`,
			names.map((name) => ({ title: `Use "${name}"`, edits: [{ span: mention, newText: name }], isPreferred: names.length === 1 })));
	}
}

/**
 * `span => definitions.find(definition whose expansion holds span)`, answered by binary search
 * over the expansions sorted by start, since a long draft has hundreds of definitions.
 */
function expansionLookup(definitions: readonly MinedDefinition[]): (span: Span) => MinedDefinition | undefined {
	const sorted = definitions.map((definition, order) => ({ definition, order })).sort((a, b) => a.definition.expansionSpan.start - b.definition.expansionSpan.start);
	let longest = 0;
	for (const { definition } of sorted) longest = Math.max(longest, definition.expansionSpan.end - definition.expansionSpan.start);
	return (span) => {
		// The last expansion starting at or before the span, then back over those that may still reach its end.
		let low = 0;
		let high = sorted.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (sorted[middle]!.definition.expansionSpan.start <= span.start) low = middle + 1;
			else high = middle;
		}
		let found: { definition: MinedDefinition; order: number } | undefined;
		for (let index = low - 1; index >= 0; index--) {
			const candidate = sorted[index]!;
			const expansion = candidate.definition.expansionSpan;
			if (expansion.start + longest < span.end) break;
			if (span.end <= expansion.end && (!found || candidate.order < found.order)) found = candidate;
		}
		return found?.definition;
	};
}

/** An acronym is replaced by an acronym, a name by a name. */
function nameLike(mention: LocatedMention, entity: Entity): string {
	return mention.acronym !== undefined && entity.acronyms.length ? entity.acronyms[0]! : officialName(entity);
}

/** "on 2003-10-01", "in 2014-05", "in 2014". */
function onDate(iso: string): string {
	return iso.length === 10 ? `on ${iso}` : `in ${iso}`;
}

function describeDate(date: CheckResult['date']): string {
	switch (date.source) {
		case 'today':
			return 'today';
		case 'setting':
			return `the configured document date (${date.iso})`;
		case 'statement':
			return `this statement's date (${date.iso})`;
		default:
			return `this document's date (${date.iso}, from its front matter)`;
	}
}

function checkTreatyArticles(mentions: readonly LocatedMention[], lexicon: Lexicon, emit: Emit): void {
	for (let mentionIndex = 0; mentionIndex < mentions.length; mentionIndex++) {
		const mention = mentions[mentionIndex]!;
		if (mention.article === undefined || mention.entityId === undefined) continue;
		const entity = lexicon.glossary.entities.get(mention.entityId);
		if (!entity?.articles || mention.article <= entity.articles) continue;
		emit('treaty.unknown-article', mention.articleSpan ?? mention, `The ${officialName(entity)} has ${entity.articles} articles, so Article ${mention.article} does not exist; check the article number.`);
	}
}
