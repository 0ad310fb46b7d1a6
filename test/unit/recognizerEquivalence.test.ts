// The recognizer's shortcuts give the same answers as the plain definitions they stand for: the
// character table and the predicates, the URL search by runs and the pattern over the whole text,
// and the cases the fast paths (article phrases, exact comparison, plurals, windows) must get right.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	DIGIT, JAPANESE, LOWER, SOFT_SEPARATOR, UPPER, WORD, charClasses, isDigitCode, isJapaneseCode, isLowerCode,
	isRegExpSpace, isSoftSeparator, isUpperCode, isWordCode, toHalfWidth,
} from '../../server/src/core/characters';
import { findUrlSpans, recognize, type Mention } from '../../server/src/core/recognizer';
import { fixtureLexicon } from '../support/fixtureGlossary';

const lexicon = fixtureLexicon();

describe('character table', () => {
	test('every code unit has the classes of the ranges as comparisons', () => {
		// The classes written a second way, as chains of comparisons (their form before the table was made from a list of ranges).
		const between = (code: number, from: number, to: number) => code >= from && code <= to;
		const oracle = [
			[WORD, (code: number) => between(code, 97, 122) || between(code, 65, 90) || between(code, 48, 57) || (between(code, 0xc0, 0x24f) && code !== 0xd7 && code !== 0xf7) || between(code, 0xff10, 0xff19) || between(code, 0xff21, 0xff3a) || between(code, 0xff41, 0xff5a)],
			[JAPANESE, (code: number) => between(code, 0x3040, 0x30ff) || between(code, 0x3400, 0x4dbf) || between(code, 0x4e00, 0x9fff) || between(code, 0xf900, 0xfaff) || between(code, 0xff66, 0xff9f) || code === 0x3005],
			[SOFT_SEPARATOR, (code: number) => [32, 9, 10, 13, 0xa0, 0x3000, 45, 0x2010, 0x2011, 0x2012, 0x2013].includes(code)],
			[UPPER, (code: number) => between(code, 65, 90) || between(code, 0xff21, 0xff3a)],
			[LOWER, (code: number) => between(code, 97, 122) || between(code, 0xff41, 0xff5a)],
			[DIGIT, (code: number) => between(code, 48, 57) || between(code, 0xff10, 0xff19)],
		] as const;
		const predicates = new Map<number, (code: number) => boolean>([
			[WORD, isWordCode], [JAPANESE, isJapaneseCode], [SOFT_SEPARATOR, isSoftSeparator],
			[UPPER, isUpperCode], [LOWER, isLowerCode], [DIGIT, isDigitCode],
		]);
		for (let code = 0; code < 0x10000; code++) {
			for (const [bit, expected] of oracle) {
				const want = expected(code);
				if (((charClasses[code]! & bit) !== 0) !== want) assert.fail(`code unit ${code.toString(16)}, class ${bit} in the table`);
				if (predicates.get(bit)!(code) !== want) assert.fail(`code unit ${code.toString(16)}, class ${bit} by its predicate`);
			}
		}
	});

	test('named characters have their classes', () => {
		const classesOf = (character: string) => charClasses[character.charCodeAt(0)]!;
		assert.equal(classesOf('A'), WORD | UPPER);
		assert.equal(classesOf('ｚ'), WORD | LOWER);
		assert.equal(classesOf('７'), WORD | DIGIT);
		assert.equal(classesOf('é'), WORD);
		assert.equal(classesOf('×'), 0);
		assert.equal(classesOf('々'), JAPANESE);
		assert.equal(classesOf('ー'), JAPANESE);
		assert.equal(classesOf('–'), SOFT_SEPARATOR);
		assert.equal(classesOf('\u3000'), SOFT_SEPARATOR);
		assert.equal(classesOf('.'), 0);
	});

	test('isRegExpSpace is \\s', () => {
		for (let code = 0; code < 0x10000; code++) {
			if (isRegExpSpace(code) !== /\s/.test(String.fromCharCode(code))) assert.fail(`code unit ${code.toString(16)}`);
		}
	});

	test('toHalfWidth keeps strings without full-width letters and converts the others', () => {
		const text = 'JAXA and NASA';
		assert.equal(toHalfWidth(text), text);
		assert.equal(toHalfWidth('ＪＡＸＡ ｊａｘａ １２'), 'JAXA jaxa 12');
	});
});

describe('findUrlSpans', () => {
	// The pattern as it stands in recognizer.ts, run over the whole window: what the search by runs
	// of non-space characters must give. If the pattern changes, check that every match still holds
	// "http", "www." or "@" and no white space.
	const pattern = /\b(?:https?:\/\/|www\.)[^\s<>"'`)\]）」]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
	const reference = (text: string, from: number, to: number) =>
		[...text.slice(from, to).matchAll(pattern)].map((match) => ({ start: from + match.index, end: from + match.index + match[0].length }));

	test('finds what the pattern finds over the whole window', () => {
		const pieces = ['a', 'B', '1', '_', '.', '+', '-', '@', 'http', 'https://', 'www.', 'w', ':', '/', ' ', '\n', '\u00a0', '\u3000', '\u2028', '\ufeff', '<', '"', ')', '）', 'é', 'ａ', 'x@y.z', 'http://x.y', ','];
		let seed = 1;
		const random = (below: number) => {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			return seed % below;
		};
		for (let round = 0; round < 20000; round++) {
			let text = '';
			for (let count = random(25); count > 0; count--) text += pieces[random(pieces.length)];
			const from = random(text.length + 1);
			const to = from + random(text.length - from + 1);
			assert.deepEqual(findUrlSpans(text), reference(text, 0, text.length), JSON.stringify(text));
			assert.deepEqual(findUrlSpans(text, from, to), reference(text, from, to), JSON.stringify({ text, from, to }));
		}
	});
});

describe('recognize, the cases of its fast paths', () => {
	const treaty = 'treaty.japan-us-security';
	const cases: readonly { text: string; from?: number; to?: number; expect: readonly Mention[] }[] = [
		{ text: 'under Article 6 of the Japan-US Security Treaty', expect: [{ start: 6, end: 47, entityId: treaty, article: 6, articleSpan: { start: 6, end: 22 } }] },
		{ text: 'Art. 12 (a)(2) of Japan-US Security Treaty', expect: [{ start: 0, end: 42, entityId: treaty, article: 12, articleSpan: { start: 0, end: 17 } }] },
		{ text: 'Article 5 ofthe Japan-US Security Treaty', expect: [{ start: 16, end: 40, entityId: treaty }] },
		{
			text: 'Article 5 (a)(b)(c)(d)(e)(f)(g)(h)(i)(j) of the Japan-US Security Treaty',
			expect: [{ start: 0, end: 72, entityId: treaty, article: 5, articleSpan: { start: 0, end: 47 } }],
		},
		{ text: 'the Japan-US Security Treaty, Article 3 applies', expect: [{ start: 4, end: 39, entityId: treaty, article: 3, articleSpan: { start: 28, end: 39 } }] },
		{ text: '日米安全保障条約　第十二条の適用', expect: [{ start: 0, end: 13, entityId: treaty, article: 12, articleSpan: { start: 9, end: 13 } }] },
		{
			text: 'QZSSs, ＱＺＳＳ, QZSSes and qzss',
			expect: [{ start: 0, end: 5, acronym: 'QZSS' }, { start: 7, end: 11, acronym: 'QZSS' }, { start: 13, end: 19, acronym: 'QZSSes' }],
		},
		{
			text: 'SOLAR - C, SOLAR–C, SOLAR--C and solar-c',
			expect: [{ start: 0, end: 9, acronym: 'SOLAR-C' }, { start: 11, end: 18, acronym: 'SOLAR-C' }, { start: 20, end: 28, acronym: 'SOLAR-C' }],
		},
		{
			text: 'the Gateway, a gateway, the Ｇａｔｅｗａｙ and GATEWAY',
			expect: [{ start: 4, end: 11, entityId: 'us.gateway' }, { start: 28, end: 35, entityId: 'us.gateway' }, { start: 40, end: 47, acronym: 'GATEWAY' }],
		},
		{ text: 'see https://x.org/JAXA, JAXA@jaxa.jp and JAXA', expect: [{ start: 41, end: 45, acronym: 'JAXA' }] },
		{ text: 'xJAXA JAXA', from: 1, expect: [{ start: 6, end: 10, acronym: 'JAXA' }] },
		{ text: 'JAXAs', from: 0, to: 4, expect: [{ start: 0, end: 4, acronym: 'JAXA' }] },
		{ text: 'the Artemis Accords', from: 4, to: 11, expect: [{ start: 4, end: 11, entityId: 'us.artemis' }] },
	];
	for (const { text, from, to, expect } of cases) {
		test(JSON.stringify(from === undefined ? text : { text, from, to }), () => assert.deepEqual(recognize(text, lexicon, from, to), expect));
	}
});
