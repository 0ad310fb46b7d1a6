// The indexing path's shortcuts give the same answers as the plain formulations they replace:
// the definition miner's character tests and string helpers against the regular expressions they
// stand for, and `mineDefinitions` and `parseStatement` on texts that exercise both directions of
// definitions, full-width and nested parentheses, line breaks inside long forms, Japanese, and the
// database's header, with every derived field checked against a direct computation from the text.
// (scripts/analysis-speed.ts --check-hashes does the same for every record of a whole corpus.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mineDefinitions } from '../../server/src/core/analysis';
import { isLetterOrNumberAt, isLetterOrNumberCode } from '../../server/src/core/characters';
import { collapsedSlice, hasTwoWordParts } from '../../server/src/core/definitions';
import { normalizeAcronym } from '../../server/src/core/recognizer';
import { parseStatement } from '../../server/src/core/statement';

const letterOrNumber = /[\p{L}\p{N}]/u;

/** A small deterministic generator, so that a failure can be reproduced. */
function randomTexts(pieces: readonly string[], rounds: number, visit: (text: string) => void): void {
	let seed = 7;
	const random = (below: number) => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed % below;
	};
	for (let round = 0; round < rounds; round++) {
		let text = '';
		for (let count = random(16); count > 0; count--) text += pieces[random(pieces.length)];
		visit(text);
	}
}

describe('letters and numbers of any script', () => {
	test('isLetterOrNumberCode is the pattern on one code unit, for every code unit', () => {
		for (let code = 0; code < 0x10000; code++) {
			if (isLetterOrNumberCode(code) !== letterOrNumber.test(String.fromCharCode(code))) assert.fail(`code unit ${code.toString(16)}`);
		}
	});

	test('isLetterOrNumberAt reads a surrogate pair as one character, and a lone surrogate as none', () => {
		const text = '𠀋😀\ud840x\udc0b';
		assert.equal(isLetterOrNumberAt(text, 0), true, 'U+2000B is a letter');
		assert.equal(isLetterOrNumberAt(text, 1), false, 'the low half alone');
		assert.equal(isLetterOrNumberAt(text, 2), false, 'U+1F600 is no letter');
		assert.equal(isLetterOrNumberAt(text, 4), false, 'a high surrogate before a letter');
		assert.equal(isLetterOrNumberAt(text, 5), true);
		assert.equal(isLetterOrNumberAt(text, 6), false, 'a low surrogate at the end');
	});
});

describe('the definition miner\'s string helpers', () => {
	const pieces = ['a', 'Z', '9', 'é', '機', '𠀋', '😀', '\ud840', ' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff', '-', '--', '—', '.', '(', '）'];

	test('collapsedSlice is the slice with every run of white space made one space', () => {
		randomTexts(pieces, 20000, (text) => {
			for (let start = 0; start <= text.length; start += 3) {
				const end = start + ((text.length - start) >> 1);
				assert.equal(collapsedSlice(text, start, end), text.slice(start, end).replace(/\s+/g, ' '), JSON.stringify({ text, start, end }));
			}
		});
	});

	test('hasTwoWordParts counts what splitting at spaces and hyphens counts', () => {
		randomTexts(pieces, 20000, (text) => {
			const parts = text.split(/[\s-]+/).filter((part) => letterOrNumber.test(part)).length;
			assert.equal(hasTwoWordParts(text), parts >= 2, JSON.stringify(text));
		});
	});
});

/** A definition as written below: acronym, expansion, form, and the defining phrase as it stands in the text. */
type ExpectedDefinition = readonly [acronym: string, expansion: string, form: 'long-short' | 'short-long', phrase: string];

/**
 * `mineDefinitions(text, from)` has the expected definitions, and each of its fields is what the
 * plain formulation gives: the acronym and expansion are their spans' text (white space collapsed
 * by the regular expression), the key is the normalized acronym, and the phrase ends at the first
 * closing parenthesis within 200 characters of the later of the two spans.
 */
function checkDefinitions(text: string, from: number, expected: readonly ExpectedDefinition[]): void {
	const mined = mineDefinitions(text, from);
	assert.deepEqual(mined.map((definition) => [definition.acronym, definition.expansion, definition.form, text.slice(definition.phraseSpan.start, definition.phraseSpan.end)]), expected);
	for (const definition of mined) {
		assert.equal(definition.acronym, text.slice(definition.acronymSpan.start, definition.acronymSpan.end));
		assert.equal(definition.expansion, text.slice(definition.expansionSpan.start, definition.expansionSpan.end).replace(/\s+/g, ' '));
		assert.equal(definition.key, normalizeAcronym(definition.acronym));
		const inner = Math.max(definition.expansionSpan.end, definition.acronymSpan.end);
		const close = /[)）]/.exec(text.slice(inner, inner + 200));
		assert.deepEqual(definition.phraseSpan, { start: Math.min(definition.expansionSpan.start, definition.acronymSpan.start), end: close ? inner + close.index + 1 : inner });
		assert.deepEqual(Object.keys(definition), ['acronym', 'expansion', 'acronymSpan', 'expansionSpan', 'form', 'key', 'phraseSpan']);
	}
}

const jaxa = 'Japan Aerospace Exploration Agency';

describe('mineDefinitions', () => {
	const cases: ReadonlyArray<readonly [name: string, text: string, expected: readonly ExpectedDefinition[]]> = [
		['the long form before the acronym', 'Both sides welcomed the Japan Aerospace Exploration Agency (JAXA) and the partners.', [['JAXA', jaxa, 'long-short', `${jaxa} (JAXA)`]]],
		['the acronym before the long form', 'JAXA (Japan Aerospace Exploration Agency) signed the arrangement.', [['JAXA', jaxa, 'short-long', `JAXA (${jaxa})`]]],
		['full-width parentheses, both directions', 'The Asia Zero Emission Community（AZEC） met, as did AZEC（Asia Zero Emission Community）.', [
			['AZEC', 'Asia Zero Emission Community', 'long-short', 'Asia Zero Emission Community（AZEC）'],
			['AZEC', 'Asia Zero Emission Community', 'short-long', 'AZEC（Asia Zero Emission Community）'],
		]],
		['Japanese names, both directions and both widths', '宇宙航空研究開発機構（JAXA）と国際協力機構(JICA)は、JAXA（宇宙航空研究開発機構）の計画を発表した。', [
			['JAXA', '宇宙航空研究開発機構', 'long-short', '宇宙航空研究開発機構（JAXA）'],
			['JICA', '国際協力機構', 'long-short', '国際協力機構(JICA)'],
			['JAXA', '宇宙航空研究開発機構', 'short-long', 'JAXA（宇宙航空研究開発機構）'],
		]],
		['a file format after Japanese link text', '共同声明（PDF）を公表した。', []],
		['a parenthesis nested in the acronym\'s', 'The National Space Policy Secretariat (NSPS (Cabinet Office)) and the Ministry of Foreign Affairs (MOFA) met.', [
			['MOFA', 'Ministry of Foreign Affairs', 'long-short', 'Ministry of Foreign Affairs (MOFA)'],
		]],
		['a definition inside an aside', 'The International Space Station (ISS) programme (see the Japan Experiment Module (JEM)) continues.', [
			['ISS', 'International Space Station', 'long-short', 'International Space Station (ISS)'],
			['JEM', 'Japan Experiment Module', 'long-short', 'Japan Experiment Module (JEM)'],
		]],
		['line breaks and doubled spaces inside long forms', 'Experts of the Japan Aerospace\nExploration Agency (JAXA) and the Japan\r\nCoast  Guard (JCG) joined.', [
			['JAXA', jaxa, 'long-short', 'Japan Aerospace\nExploration Agency (JAXA)'],
			['JCG', 'Japan Coast Guard', 'long-short', 'Japan\r\nCoast  Guard (JCG)'],
		]],
		['no-break and ideographic spaces, hyphenated words', 'Officials of the Quasi-Zenith\u00a0Satellite\u3000System (QZSS) and the Next-generation Launch Vehicle (NLV) spoke.', [
			['QZSS', 'Quasi-Zenith Satellite System', 'long-short', 'Quasi-Zenith\u00a0Satellite\u3000System (QZSS)'],
			['NLV', 'Next-generation Launch Vehicle', 'long-short', 'Next-generation Launch Vehicle (NLV)'],
		]],
		['more after the acronym inside its parenthesis', 'The Global Precipitation Measurement (GPM; a joint mission) and the Greenhouse Gases Observing Satellite (GOSAT, launched in 2009) flew.', [
			['GPM', 'Global Precipitation Measurement', 'long-short', 'Global Precipitation Measurement (GPM; a joint mission)'],
			['GOSAT', 'Gases Observing Satellite', 'long-short', 'Gases Observing Satellite (GOSAT, launched in 2009)'],
		]],
		['a parenthesis that is no long form', 'The APEC (see above) meeting and the IMF (International Monetary Fund) report.', [
			['IMF', 'International Monetary Fund', 'short-long', 'IMF (International Monetary Fund)'],
		]],
		['digits matched in the long form', 'Harbor Office 700 (HO700), Harbor Office 901 (HO901) and Harbor Office 1000 (HO1000) met.', [
			['HO700', 'Harbor Office 700', 'long-short', 'Harbor Office 700 (HO700)'],
			['HO901', 'Harbor Office 901', 'long-short', 'Harbor Office 901 (HO901)'],
			['HO1000', 'Harbor Office 1000', 'long-short', 'Harbor Office 1000 (HO1000)'],
		]],
		['a phrase that closes on a later line', 'Rules of the World Trade Organization (WTO; based in\nGeneva) apply. The Tokyo International Conference on African Development (TICAD) opened.', [
			['WTO', 'World Trade Organization', 'long-short', 'World Trade Organization (WTO; based in\nGeneva)'],
			['TICAD', 'Tokyo International Conference on African Development', 'long-short', 'Tokyo International Conference on African Development (TICAD)'],
		]],
		['parentheses that hold no acronym', 'A (B) C (DE) and (Tokyo) or (IV) and ( JAXA ) and () and (', []],
		['accented letters inside words', 'The Lourenço Marques Development Corridor (LMDC) and the Société Générale Group (SGG).', [
			['LMDC', 'Lourenço Marques Development Corridor', 'long-short', 'Lourenço Marques Development Corridor (LMDC)'],
			['SGG', 'Société Générale Group', 'long-short', 'Société Générale Group (SGG)'],
		]],
		['a blank line inside a parenthesis, and a leading article', 'An ICBM (Intercontinental Ballistic\n\nMissile) was reported; the ICBM (the Intercontinental Ballistic Missile) too.', [
			['ICBM', 'Intercontinental Ballistic Missile', 'short-long', 'ICBM (the Intercontinental Ballistic Missile)'],
		]],
		['characters outside the Basic Multilingual Plane', 'The 𠀋𠀋 Office (XO) and 𠀋 Agency (AA) or the 😀 Agency (A1).', [['AA', 'and 𠀋 Agency', 'long-short', 'and 𠀋 Agency (AA)']]],
	];
	for (const [name, text, expected] of cases) test(name, () => checkDefinitions(text, 0, expected));
});

/** A paragraph as written below: number, label (or undefined), and its text. */
type ExpectedParagraph = readonly [number: number, label: string | undefined, text: string];

describe('parseStatement with mineDefinitions from the body', () => {
	const cases: ReadonlyArray<readonly [name: string, text: string, isStatement: boolean, paragraphs: readonly ExpectedParagraph[], definitions: readonly ExpectedDefinition[]]> = [
		[
			'an English statement with a banner; the title\'s acronym is not searched',
			'"The World and Japan" Database\n\n[Title] Joint Statement on Space (JAXA)\n[Place] Tokyo\n[Date] August 27, 2024\n[Source] MOFA\n[Notes] \n[Full text]\n\n' +
				'1. The Japan Aerospace Exploration Agency (JAXA) will cooperate.\n\n(2) JAXA (Japan Aerospace Exploration Agency) agreed.\n\nIV. Closing.\n',
			true,
			[[1, '1.', '1. The Japan Aerospace Exploration Agency (JAXA) will cooperate.'], [2, '(2)', '(2) JAXA (Japan Aerospace Exploration Agency) agreed.'], [3, 'IV.', 'IV. Closing.']],
			[['JAXA', jaxa, 'long-short', `${jaxa} (JAXA)`], ['JAXA', jaxa, 'short-long', `JAXA (${jaxa})`]],
		],
		[
			'a Japanese statement with a byte-order mark and CRLF, a paragraph over two lines',
			'\ufeff[文書名] 日米首脳共同声明\r\n[場所] 東京\r\n[年月日] 令和6年4月10日\r\n[出典] 外務省\r\n[備考] \r\n[全文]\r\n（１）宇宙航空研究開発機構（JAXA）は、\r\n月面探査を進める。\r\n\r\n２．国際協力機構(JICA)と協力する。\r\n',
			true,
			[[1, '（１）', '（１）宇宙航空研究開発機構（JAXA）は、\r\n月面探査を進める。'], [2, '２．', '２．国際協力機構(JICA)と協力する。']],
			[['JAXA', '宇宙航空研究開発機構', 'long-short', '宇宙航空研究開発機構（JAXA）'], ['JICA', '国際協力機構', 'long-short', '国際協力機構(JICA)']],
		],
		[
			'a header without a full-text line, and a misspelt date',
			'[Title] No full text line\n[Date] Agust 2, 2020\nThe body starts here (BSH).\nA second line.\n',
			true,
			[[1, undefined, 'The body starts here (BSH).'], [2, undefined, 'A second line.']],
			[['BSH', 'body starts here', 'long-short', 'body starts here (BSH)']],
		],
		[
			'Markdown headings are paragraphs of their own',
			'# A Markdown heading\n\nSome text with the Japan Coast Guard (JCG).\n\n## Another\n(a) item\n',
			false,
			[[1, undefined, '# A Markdown heading'], [2, undefined, 'Some text with the Japan Coast Guard (JCG).'], [3, undefined, '## Another'], [4, '(a)', '(a) item']],
			[['JCG', 'Japan Coast Guard', 'long-short', 'Japan Coast Guard (JCG)']],
		],
		['plain text, one paragraph per line', 'Plain text without a header.\n1.5 percent growth.\n', false, [[1, undefined, 'Plain text without a header.'], [2, undefined, '1.5 percent growth.']], []],
	];
	for (const [name, text, isStatement, paragraphs, definitions] of cases) {
		test(name, () => {
			const parsed = parseStatement(text);
			assert.equal(parsed.isStatement, isStatement);
			assert.deepEqual(parsed.paragraphs.map((paragraph) => [paragraph.number, paragraph.label, text.slice(paragraph.span.start, paragraph.span.end)]), paragraphs);
			// The keys in the order the packed record and the index cache keep them: a label only when there is one.
			for (const paragraph of parsed.paragraphs) assert.deepEqual(Object.keys(paragraph), paragraph.label === undefined ? ['number', 'span'] : ['number', 'label', 'span']);
			checkDefinitions(text, parsed.bodyStart, definitions);
		});
	}
});
