// The table of abbreviations of a draft: every acronym it uses, in order of first use, with
// the expansion the document gives it, else the glossary's or the corpus's.
import type { DocumentAnalysis } from './analysis';
import type { Resolver } from './resolver';
import { escapeMarkdown } from './service';
import type { Span } from './types';

export interface Abbreviation {
	readonly acronym: string;
	readonly expansion: string | undefined;
	readonly firstUse: Span;
	readonly source: 'document' | 'glossary' | 'corpus' | 'unknown';
}

export function listAbbreviations(text: string, analysis: DocumentAnalysis, resolver: Resolver, excluded: readonly Span[] = []): Abbreviation[] {
	const seen = new Set<string>();
	const rows: Abbreviation[] = [];
	const isExcluded = (span: Span) => excluded.some((region) => region.start < span.end && span.start < region.end);
	for (const mention of analysis.mentions) {
		if (mention.acronym === undefined || seen.has(mention.acronym) || isExcluded(mention)) continue;
		if (analysis.parsed.isStatement && mention.start < analysis.parsed.bodyStart) continue;
		seen.add(mention.acronym);
		const own = analysis.definitions.find((definition) => definition.key === mention.acronym);
		const written = own ? text.slice(own.acronymSpan.start, own.acronymSpan.end) : text.slice(mention.start, mention.end);
		if (own) {
			rows.push({ acronym: written, expansion: own.expansion, firstUse: { start: mention.start, end: mention.end }, source: 'document' });
			continue;
		}
		const referent = resolver.resolveAcronym(mention.acronym, analysis);
		if (!referent) rows.push({ acronym: written, expansion: undefined, firstUse: { start: mention.start, end: mention.end }, source: 'unknown' });
		else if (referent.kind === 'entity') rows.push({ acronym: written, expansion: referent.entity.preferred ?? referent.entity.name, firstUse: { start: mention.start, end: mention.end }, source: 'glossary' });
		else rows.push({ acronym: written, expansion: referent.expansion, firstUse: { start: mention.start, end: mention.end }, source: 'corpus' });
	}
	return rows;
}

export function formatAbbreviationTable(title: string, rows: readonly Abbreviation[]): string {
	const lines = [`# Abbreviations in ${escapeMarkdown(title)}`, ''];
	if (rows.length === 0) return [...lines, 'This document uses no abbreviations.', ''].join('\n');
	lines.push('| Abbreviation | Expansion |', '|---|---|');
	for (const row of rows) {
		const cell = (value: string) => escapeMarkdown(value);
		lines.push(`| ${cell(row.acronym)} | ${row.expansion ? cell(row.expansion) : '*(not defined)*'} |`);
	}
	return [...lines, ''].join('\n');
}
