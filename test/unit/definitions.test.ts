// Tests of acronym definitions, written as data. Each case is one sentence with markers:
// `{{...}}` around the expected expansion, `[[...]]` around the expected acronym, and optionally
// `«...»` around the region passed as `from`/`to`. The helper removes the markers, computes the
// expected spans, and compares them with what `findAcronymDefinitions` returns. A case without
// markers expects no definition at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findAcronymDefinitions } from '../../server/src/core/definitions';
import { parseStatement } from '../../server/src/core/statement';
import type { AcronymDefinition, Span } from '../../server/src/core/types';

interface MarkedText {
	readonly text: string;
	readonly expected: AcronymDefinition[];
	readonly region?: Span;
}

const markers = ['{{', '}}', '[[', ']]', '«', '»'] as const;

/** Removes the markers and pairs the n-th `[[...]]` with the n-th `{{...}}`. */
function readMarkedText(marked: string): MarkedText {
	let text = '';
	const expansions: Span[] = [];
	const acronyms: Span[] = [];
	let openExpansion = -1;
	let openAcronym = -1;
	let regionStart = -1;
	let regionEnd = -1;
	for (let position = 0; position < marked.length; ) {
		const marker = markers.find((candidate) => marked.startsWith(candidate, position));
		if (marker === undefined) {
			text += marked[position];
			position++;
			continue;
		}
		const offset = text.length;
		if (marker === '{{') openExpansion = offset;
		else if (marker === '}}') expansions.push({ start: openExpansion, end: offset });
		else if (marker === '[[') openAcronym = offset;
		else if (marker === ']]') acronyms.push({ start: openAcronym, end: offset });
		else if (marker === '«') regionStart = offset;
		else regionEnd = offset;
		position += marker.length;
	}
	assert.equal(acronyms.length, expansions.length, 'each [[acronym]] needs its {{expansion}}');
	const expected = acronyms.map((acronymSpan, index): AcronymDefinition => {
		const expansionSpan = expansions[index]!;
		return {
			acronym: text.slice(acronymSpan.start, acronymSpan.end),
			expansion: text.slice(expansionSpan.start, expansionSpan.end).replace(/\s+/g, ' '),
			acronymSpan,
			expansionSpan,
			form: acronymSpan.start < expansionSpan.start ? 'short-long' : 'long-short',
		};
	});
	return { text, expected, ...(regionStart >= 0 && { region: { start: regionStart, end: regionEnd } }) };
}

interface DefinitionCase {
	readonly name: string;
	readonly marked: string;
}

function runDefinitionCases(cases: readonly DefinitionCase[]): void {
	for (const { name, marked } of cases) {
		test(name, () => {
			const { text, expected, region } = readMarkedText(marked);
			const found = region === undefined ? findAcronymDefinitions(text) : findAcronymDefinitions(text, region.start, region.end);
			assert.deepEqual(found, expected);
		});
	}
}

// ---------------------------------------------------------------------------------------------
// English, long form before the acronym
// ---------------------------------------------------------------------------------------------

runDefinitionCases([
	{ name: 'a plain agency name', marked: 'Both sides welcomed the work of the {{Japan Aerospace Exploration Agency}} ([[JAXA]]) and others.' },
	{ name: 'a plural acronym with a lower-case s', marked: 'They discussed future {{Commercial LEO Destinations}} ([[CLDs]]) in low orbit.' },
	{ name: 'letters matched inside words, whatever their case', marked: 'The {{Martian Moons eXploration}} ([[MMX]]) mission will return samples.' },
	{
		name: 'a hyphenated acronym whose last letter names no word',
		// The long form starts at the word that gives the first letter, so "Next-generation" is left out.
		marked: 'The Next-generation {{Solar- observing Satellite}} ([[SOLAR-C]]) will observe the sun.',
	},
	{
		name: 'commas and "and" inside the long form, and one letter (X) that names no word',
		marked: 'Officials of the {{Ministry of Education, Culture, Sports, Science and Technology}} ([[MEXT]]) attended.',
	},
	{ name: 'a long form broken by bad line-wrapping, without its article', marked: 'Cooperation in the {{Asia- Pacific Regional Space Agency Forum}} ([[APRSAF]]) continues.' },
	{ name: 'a mixed-case acronym followed by more words', marked: 'Japan joined the {{Combined Space Operations}} ([[CSpO]]) Initiative this year.' },
	{ name: 'the long form starts at a part of a hyphenated word', marked: 'The Ninth Japan-China-{{Republic of Korea}} ([[ROK]]) Trilateral Summit was held.' },
	{ name: 'connecting words inside a conference name', marked: 'The {{Tokyo International Conference on African Development}} ([[TICAD]]) opened today.' },
	{ name: 'a lower-case long form', marked: 'Activities in {{low Earth orbit}} ([[LEO]]) will grow.' },
	{ name: 'a capitalized long form with a lower-case word', marked: 'Satellites in {{Low Earth orbit}} ([[LEO]]) move fast.' },
	{ name: 'digits of the acronym matched in the long form', marked: 'Measures against the {{coronavirus disease 2019}} ([[COVID-19]]) were extended.' },
	// Regression: a repeated digit was matched at the first digit of the number, leaving nothing for the other.
	{ name: 'a number with a repeated digit, 998', marked: 'The {{Harbor Office 998}} ([[HO998]]) met in Kobe.' },
	{ name: 'a number with a repeated digit, 999', marked: 'The {{Harbor Office 999}} ([[HO999]]) met in Kobe.' },
	{ name: 'a number whose repeated digits are not its first', marked: 'The {{Harbor Office 1000}} ([[HO1000]]) and {{Harbor Office 1100}} ([[HO1100]]) met.' },
	{
		name: 'inner letters prefer the first letters of the next words',
		marked: 'Funding for {{Prevention, Preparedness, and Response}} ([[PPR]]) was increased.',
	},
	{ name: 'a lower-case long form with a hyphenated word', marked: 'We thank the {{non-governmental organizations}} ([[NGOs]]) for their help.' },
	{ name: 'a long form that spans a line break', marked: 'Experts of the {{Japan Aerospace\nExploration Agency}} ([[JAXA]]) joined.' },
	{ name: 'only the acronym before a semicolon', marked: 'Rules of the {{World Trade Organization}} ([[WTO]]; based in Geneva) apply.' },
	{ name: 'only the acronym before a comma', marked: 'Rules of the {{World Trade Organization}} ([[WTO]], in Geneva) apply.' },
	{ name: 'no space before the parenthesis', marked: 'The {{Nuclear Regulation Authority}}([[NRA]]) inspected the site.' },
	{ name: 'full-width parentheses after an English name', marked: 'The {{Asia Zero Emission Community}}（[[AZEC]]） met.' },
	{ name: 'a long form right after an opening quotation mark', marked: 'the vision of a “{{Free and Open Indo-Pacific}} ([[FOIP]])”' },
	{
		name: 'two definitions in one sentence, in order',
		marked: 'The {{National Aeronautics and Space Administration}} ([[NASA]]) and the {{European Space Agency}} ([[ESA]]) agreed.',
	},
	{
		name: 'a semicolon ends the search for the long form',
		marked: 'the Ministry of Defense; the {{National Institute of Information and Communications Technology}} ([[NICT]]); and others',
	},
]);

// ---------------------------------------------------------------------------------------------
// English, acronym before the long form
// ---------------------------------------------------------------------------------------------

runDefinitionCases([
	{ name: 'short-long with a hyphenated long form', marked: 'I attended the [[APEC]] ({{Asia-Pacific Economic Cooperation}}) Leaders\' Meeting.' },
	{ name: 'short-long with connecting words', marked: 'We work with [[ASEAN]] ({{Association of Southeast Asian Nations}}) members.' },
	{ name: 'short-long without the article', marked: 'We work with [[ASEAN]] (the {{Association of Southeast Asian Nations}}) members.' },
	{ name: 'short-long followed by a hyphenated word', marked: 'An [[ICBM]] ({{Intercontinental Ballistic Missile}})-class launch was reported.' },
	{ name: 'short-long does not accept a parenthesis that is no long form', marked: 'The APEC (see above) meeting was held.' },
]);

// ---------------------------------------------------------------------------------------------
// Japanese
// ---------------------------------------------------------------------------------------------

runDefinitionCases([
	{ name: 'Japanese name before half-width parentheses', marked: '{{宇宙航空研究開発機構}}([[JAXA]])は、計画を発表した。' },
	{ name: 'Japanese name before full-width parentheses', marked: '{{宇宙航空研究開発機構}}（[[JAXA]]）は、計画を発表した。' },
	{ name: 'Japanese name of kanji and katakana', marked: '日本は{{東南アジア諸国連合}}（[[ASEAN]]）との協力を進める。' },
	{ name: 'Japanese name stops at a particle', marked: '日本と{{東南アジア諸国連合}}（[[ASEAN]]）' },
	{ name: 'Japanese name stops at punctuation', marked: '両国は、{{海洋状況把握}}(MDA)でも協力する。'.replace('(MDA)', '([[MDA]])') },
	{ name: 'Japanese name stops at the middle dot', marked: '日米・{{国際宇宙ステーション}}（[[ISS]]）' },
	{ name: 'Japanese name after the acronym', marked: '[[JAXA]]（{{宇宙航空研究開発機構}}）は、計画を発表した。' },
	{ name: 'a single kanji is no long form', marked: '米(US)と協議した。' },
	{ name: 'a file format after Japanese link text is no acronym', marked: '共同声明（PDF）を参照。' },
	{ name: 'a Japanese parenthesis with hiragana is no long form', marked: 'JAXA（うちゅうきかん）' },
]);

// ---------------------------------------------------------------------------------------------
// Parentheses that define nothing
// ---------------------------------------------------------------------------------------------

runDefinitionCases([
	{ name: 'a file format after a document title', marked: 'Both sides issued a Japan-U.S. Joint Statement (PDF).' },
	{ name: 'an acronym after an unrelated phrase', marked: 'Press Conference by the Prime Minister (COVID-19)' },
	{ name: 'a number', marked: 'The first measure (1) is simple.' },
	{ name: 'a small Roman numeral', marked: 'The first measure (i) is simple.' },
	{ name: 'a capital Roman numeral', marked: 'Implementation Volume (IV) of the plan.' },
	{ name: 'a short remark', marked: 'The agreement (see above) stands.' },
	{ name: 'a place name', marked: 'The meeting was held in the capital (Tokyo).' },
	{ name: 'a year', marked: 'The report of last year (2024) was adopted.' },
	{ name: 'a translation note', marked: 'Joint Statement by the Leaders (tentative translation)' },
	{ name: 'a photo credit', marked: 'The Prime Minister greets the guests (Photo: Cabinet Public Affairs Office)' },
	{ name: 'a number-like acronym needs its digits in the long form', marked: 'Leaders of the Group of Seven (G7) met.' },
	{ name: 'a two-word acronym', marked: 'The Ninth Tokyo International Conference on African Development (TICAD 9) ended.' },
	{ name: 'a three-letter acronym must match every letter', marked: 'Both sides issued a Joint Press Statement (JPX).' },
	{ name: 'a token of more than ten characters', marked: 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda (ABCDEFGHIJK)' },
	{ name: 'the long form is not looked for across a sentence end', marked: 'Talks with Japan ended in June. Earth Agency (JEA) staff attended.' },
	{ name: 'the long form is not looked for across a semicolon', marked: 'the Japan side; Exploration Agency (JEA) staff' },
	{ name: 'a time of day', marked: 'The meeting began at 10 a.m. (JST) today.' },
]);

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

runDefinitionCases([
	{
		name: 'from and to restrict the search to a region',
		marked: 'The National Aeronautics and Space Administration (NASA) met.\n\n«The {{European Space Agency}} ([[ESA]]) met.»\n\nThe World Trade Organization (WTO) met.',
	},
	{
		name: 'a definition reaching outside the region is not reported',
		marked: 'The National Aeronautics and «Space Administration (NASA) met.»',
	},
]);

test('finds nothing in empty text and in an empty region', () => {
	assert.deepEqual(findAcronymDefinitions(''), []);
	assert.deepEqual(findAcronymDefinitions('The World Trade Organization (WTO).', 5, 5), []);
});

test('stays fast on text made of parentheses', () => {
	const started = performance.now();
	findAcronymDefinitions('('.repeat(200_000) + 'Word (AB) '.repeat(50_000));
	assert.ok(performance.now() - started < 2000);
});

// ---------------------------------------------------------------------------------------------
// The corpus in ../shared, when a checkout has it
// ---------------------------------------------------------------------------------------------

const corpusDirectory = join(__dirname, '..', '..', '..', 'shared', 'corpus');
const corpusIndexPath = join(corpusDirectory, 'INDEX.tsv');

function listTextFiles(directory: string, prefix = ''): string[] {
	return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
		if (entry.isDirectory()) return listTextFiles(join(directory, entry.name), `${prefix}${entry.name}/`);
		return entry.name.endsWith('.txt') ? [`${prefix}${entry.name}`] : [];
	});
}

test('finds at least 80% of the definitions counted in ../shared/corpus/INDEX.tsv', { skip: existsSync(corpusIndexPath) ? false : 'no ../shared here' }, () => {
	const expectedByFile = new Map<string, number>();
	for (const line of readFileSync(corpusIndexPath, 'utf8').split('\n').slice(1)) {
		const columns = line.split('\t');
		if (columns.length >= 6) expectedByFile.set(columns[0]!, Number(columns[5]));
	}
	let expected = 0;
	let found = 0;
	// Per file, no more than INDEX.tsv expects, so that extra finds in one file cannot hide misses in another.
	let foundUpToExpected = 0;
	for (const file of listTextFiles(corpusDirectory)) {
		const text = readFileSync(join(corpusDirectory, file), 'utf8');
		// The database banner defines GRIPS and IASA in every record; INDEX.tsv counts only the
		// record itself, so the search starts at the body.
		const definitions = findAcronymDefinitions(text, parseStatement(text).bodyStart);
		const expectedHere = expectedByFile.get(file) ?? 0;
		expected += expectedHere;
		found += definitions.length;
		foundUpToExpected += Math.min(expectedHere, definitions.length);
	}
	assert.ok(expected > 0, 'INDEX.tsv counts some definitions');
	assert.ok(found >= 0.8 * expected, `found ${found} of ${expected}`);
	assert.ok(foundUpToExpected >= 0.8 * expected, `found ${foundUpToExpected} of ${expected} when capped per file`);
});
