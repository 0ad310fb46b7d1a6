// Regression cases for the checks engine that the golden drafts do not cover, named after what broke.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDocument } from '../../server/src/core/analysis';
import { checkDocument } from '../../server/src/core/checks';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { createResolver } from '../../server/src/core/resolver';
import { fixtureLexicon } from '../support/fixtureGlossary';

const lexicon = fixtureLexicon();

function findings(text: string) {
	const index = new CorpusIndex();
	const analysis = analyzeDocument('file:///draft.md', text, lexicon, 1);
	index.set(analysis);
	return checkDocument(text, analysis, 'markdown', { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } }).findings
		.map((finding) => ({ code: finding.code, text: text.slice(finding.span.start, finding.span.end) }));
}

test('a spelled-out expansion is found at true offsets after characters that change length when lower-cased', () => {
	assert.deepEqual(findings('The Widget Office (WOF) met. WOF said. İİİİ the widget office spoke.'), [
		{ code: 'acronym.spelled-out-after-definition', text: 'widget office' },
	]);
});

test('a spelled-out expansion must stand as whole words', () => {
	assert.deepEqual(findings('The Space Office (SPO) met. SPO said. The Outer Space Officers spoke.'), []);
});

test('a redefinition with another expansion offers one fix, not two that collide', () => {
	const result = findings('The Harbor Patrol Network (HPN) met. HPN said. The Harbor Response Network (HPN) spoke.');
	assert.deepEqual(result.map((finding) => finding.code), ['acronym.conflicting-expansion', 'acronym.defined-twice']);
	const index = new CorpusIndex();
	const text = 'The Harbor Patrol Network (HPN) met. HPN said. The Harbor Response Network (HPN) spoke.';
	const analysis = analyzeDocument('file:///d.md', text, lexicon, 1);
	index.set(analysis);
	const full = checkDocument(text, analysis, 'markdown', { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2025-01-01' } }).findings;
	assert.equal(full.flatMap((finding) => finding.fixes).length, 1);
});

test("a definition's own acronym is not reported again as an outdated name", () => {
	assert.deepEqual(findings('The National Space Development Agency of Japan (NASDA) and NASDA.').filter((finding) => finding.code === 'term.outdated-name').map((finding) => finding.text), [
		'National Space Development Agency of Japan',
		'NASDA',
	]);
});

test('a serial comma does not make a conflicting expansion', () => {
	assert.deepEqual(findings('Prevention, Preparedness, and Response (PPR) matters. PPR is key. Prevention, Preparedness and Response (PPR) again.').map((finding) => finding.code), ['acronym.defined-twice']);
});

test('a name in title case is not a variant of the same name in running text', () => {
	assert.deepEqual(findings('# Low Earth Orbit Plans\n\nA low Earth orbit station is planned; low Earth orbit is busy.'), []);
});
