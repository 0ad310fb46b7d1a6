// Recognition cases, written as data: «…» marks each expected mention, and `expect` lists what
// each one should resolve to (an entity id, or `acronym:X` for an acronym left to resolution).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAcronymShape, normalizeAcronym, recognize } from '../../server/src/core/recognizer';
import { fixtureLexicon } from '../support/fixtureGlossary';
import { parseSpanMarkers } from '../support/markers';

const lexicon = fixtureLexicon();

interface Case {
	readonly name: string;
	readonly text: string;
	readonly expect: readonly string[];
	readonly articles?: readonly (number | undefined)[];
}

const cases: readonly Case[] = [
	{ name: 'a glossary acronym', text: 'Talks with «JAXA» went well.', expect: ['acronym:JAXA'] },
	{ name: 'a full name, case-insensitively', text: 'The «japan aerospace exploration agency» met.', expect: ['jp.jaxa'] },
	{ name: 'a name broken across lines', text: 'The «Japan Aerospace\nExploration Agency» met.', expect: ['jp.jaxa'] },
	{ name: 'a name with commas inside', text: 'the «Ministry of Education, Culture, Sports, Science and Technology» («MEXT»)', expect: ['jp.mext', 'acronym:MEXT'] },
	{ name: 'a possessive acronym', text: "«JAXA»'s «SLIM» lander", expect: ['acronym:JAXA', 'acronym:SLIM'] },
	{ name: 'a typographic possessive', text: '«JAXA»’s mission', expect: ['acronym:JAXA'] },
	{ name: 'a plural acronym not in the glossary', text: 'future «CLDs» and one «CLD»', expect: ['acronym:CLD', 'acronym:CLD'] },
	{ name: 'a plural glossary acronym', text: 'two «QZSSs»', expect: ['acronym:QZSS'] },
	{ name: 'an acronym inside a hyphenated compound', text: 'a «JAXA»-led study', expect: ['acronym:JAXA'] },
	{ name: 'a hyphenated acronym from the glossary', text: 'the «SOLAR-C» satellite', expect: ['acronym:SOLAR-C'] },
	{ name: 'a hyphenated acronym not in the glossary', text: 'the «COVID-19» pandemic', expect: ['acronym:COVID-19'] },
	{ name: 'the longest name wins', text: 'the «Artemis Accords» and the «Artemis program»', expect: ['treaty.artemis-accords', 'us.artemis'] },
	{ name: 'a single capitalized name is case-sensitive', text: 'a gateway to the «Gateway»', expect: ['us.gateway'] },
	{ name: 'hyphen and space variants of a name', text: '«low-earth orbit» and «low Earth orbit» and «low–Earth orbit»', expect: ['int.leo', 'int.leo', 'int.leo'] },
	{ name: 'a treaty with a Roman article number', text: 'invocation of «Article V of the Japan-U.S. Security Treaty».', expect: ['treaty.japan-us-security'], articles: [5] },
	{ name: 'a treaty with an Arabic article number', text: 'under «Article 6 of the Japan-US Security Treaty»', expect: ['treaty.japan-us-security'], articles: [6] },
	{ name: 'a treaty without an article', text: 'the «Japan-U.S. Security Treaty» remains', expect: ['treaty.japan-us-security'], articles: [undefined] },
	{ name: 'a Japanese treaty article', text: '«日米安全保障条約第5条»の適用', expect: ['treaty.japan-us-security'], articles: [5] },
	{ name: 'a Japanese name without word spaces', text: '本日、«宇宙航空研究開発機構»と«文部科学省»は', expect: ['jp.jaxa', 'jp.mext'] },
	{ name: 'a Japanese name with a full-width acronym', text: '«宇宙航空研究開発機構»（«ＪＡＸＡ»）', expect: ['jp.jaxa', 'acronym:JAXA'] },
	{ name: 'nothing inside a URL', text: 'see https://www.jaxa.jp/JAXA/QZSS.html and www.example.org/NASA today', expect: [] },
	{ name: 'nothing inside an e-mail address', text: 'write to JAXA@example.org', expect: [] },
	{ name: 'no mention in ordinary words', text: 'The meeting was held in a gateway city on a quad.', expect: [] },
	{ name: 'dotted abbreviations are not acronyms', text: 'the U.S. and the U.N. agreed', expect: [] },
	{ name: 'Roman numerals are not acronyms', text: 'Part II and Article IV', expect: [] },
	{ name: 'an acronym glued to a word is not the glossary acronym', text: '«JAXAN» and «XJAXA»', expect: ['acronym:JAXAN', 'acronym:XJAXA'] },
];

describe('recognize', () => {
	for (const testCase of cases) {
		test(testCase.name, () => {
			const { text, spans } = parseSpanMarkers(testCase.text);
			const mentions = recognize(text, lexicon);
			assert.deepEqual(
				mentions.map((mention) => ({ text: text.slice(mention.start, mention.end), key: mention.entityId ?? `acronym:${mention.acronym}` })),
				spans.map((span, index) => ({ text: text.slice(span.start, span.end), key: testCase.expect[index] })),
			);
			if (testCase.articles) assert.deepEqual(mentions.map((mention) => mention.article), testCase.articles);
		});
	}
});

describe('acronym shape', () => {
	const shaped = ['JAXA', 'CSpO', 'CLDs', 'G7', 'G20', 'MMX', 'SOLAR-C'];
	const unshaped = ['Japan', 'A', 'eXploration', 'Kishida', 'x7', 'Ltd'];
	for (const word of shaped) test(`${word} looks like an acronym`, () => assert.equal(isAcronymShape(word), true));
	for (const word of unshaped) test(`${word} does not look like an acronym`, () => assert.equal(isAcronymShape(word), false));
	test('plural and full-width forms normalize to one key', () => {
		assert.equal(normalizeAcronym('CLDs'), 'CLD');
		assert.equal(normalizeAcronym('ＪＡＸＡ'), 'JAXA');
		assert.equal(normalizeAcronym('CSpO'), 'CSpO');
	});
});
