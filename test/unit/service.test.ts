// Language-service cases over a small corpus of our own: a statement in the database's format
// that defines acronyms, a later one that only mentions them, and drafts with a | cursor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../server/src/core/analysis';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { createLanguageService } from '../../server/src/core/service';
import { fixtureLexicon } from '../support/fixtureGlossary';
import { parseCursor } from '../support/markers';

const lexicon = fixtureLexicon();

const earlierStatement = `[Title] Joint Statement on Test Cooperation
[Place] Tokyo
[Date] March 3, 2020
[Source] Test Ministry
[Notes]
[Full text]

The two sides met to discuss space.

Participants included the Japan Aerospace Exploration Agency (JAXA) and the Space Widget Office (SWO).

They welcomed the Artemis program and the Artemis Accords, and cooperation on QZSS.
`;

const laterStatement = `[Title] Second Joint Statement
[Date] June 1, 2022
[Full text]

JAXA and the SWO reported progress. The Japan Aerospace Exploration Agency (JAXA) hosted the meeting.

Both sides recalled Article V of the Japan-U.S. Security Treaty and future Artemis missions.
`;

function setup(draft: string) {
	const index = new CorpusIndex();
	index.set(analyzeDocument('file:///corpus/earlier.txt', earlierStatement, lexicon));
	index.set(analyzeDocument('file:///corpus/later.txt', laterStatement, lexicon));
	const { text, offset } = draft.includes('|') ? parseCursor(draft) : { text: draft, offset: 0 };
	index.set(analyzeDocument('file:///drafts/draft.md', text, lexicon, 1));
	return { index, offset, service: createLanguageService({ getLexicon: () => lexicon, index }) };
}

describe('hover', () => {
	test('a glossary acronym shows the entity and the earliest statement defining it', () => {
		const { service, offset } = setup('Notes on J|AXA plans.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /\*\*Japan Aerospace Exploration Agency\*\* \(JAXA\) · 宇宙航空研究開発機構/);
		assert.match(hover.markdown, /\*Agency\* · Japan · part of Ministry of Education, Culture, Sports, Science and Technology/);
		assert.match(hover.markdown, /Defined in \*Joint Statement on Test Cooperation\* \(March 3, 2020\), paragraph 2\./);
		assert.match(hover.markdown, /Mentioned in 2 statements and 1 other document, 3 paragraphs in all\./);
		assert.deepEqual({ start: hover.span.start, end: hover.span.end }, { start: 9, end: 13 });
	});

	test('the earliest statement defining an acronym follows the corpus as statements defining it come and go', () => {
		const { index, service, offset } = setup('Notes on J|AXA plans.');
		// Enough other documents that those defining JAXA, three at most here, are few (under one in sixteen): their sorted list is kept.
		for (let number = 0; number < 80; number++) index.set(analyzeDocument(`file:///corpus/other-${number}.txt`, `[Title] Note ${number}\n[Date] May 1, 2021\n[Full text]\n\nThe meeting discussed trade.\n`, lexicon));
		const definedIn = () => /Defined in \*([^*]+)\*/.exec(service.getHover('file:///drafts/draft.md', offset)?.markdown ?? '')?.[1];
		// The index's own walk, which the hover takes before the corpus table exists.
		const definers = () => [...new Set([...index.definitionsInOrder('JAXA')].map((reference) => reference.document.uri))];
		assert.equal(definedIn(), 'Joint Statement on Test Cooperation');
		assert.deepEqual(definers(), ['file:///corpus/earlier.txt', 'file:///corpus/later.txt']);
		index.set(analyzeDocument('file:///corpus/earliest.txt', '[Title] First Statement\n[Date] April 2, 2018\n[Full text]\n\nThe Japan Aerospace Exploration Agency (JAXA) was welcomed.\n', lexicon));
		assert.equal(definedIn(), 'First Statement');
		assert.deepEqual(definers(), ['file:///corpus/earliest.txt', 'file:///corpus/earlier.txt', 'file:///corpus/later.txt']);
		index.delete('file:///corpus/earliest.txt');
		assert.equal(definedIn(), 'Joint Statement on Test Cooperation');
		assert.deepEqual(definers(), ['file:///corpus/earlier.txt', 'file:///corpus/later.txt']);
		// Its definition edited away, the first statement no longer counts.
		index.set(analyzeDocument('file:///corpus/earliest.txt', '[Title] First Statement\n[Date] April 2, 2018\n[Full text]\n\nJAXA was welcomed.\n', lexicon));
		assert.equal(definedIn(), 'Joint Statement on Test Cooperation');
		assert.deepEqual(definers(), ['file:///corpus/earlier.txt', 'file:///corpus/later.txt']);
	});

	test('an acronym defined only in the corpus resolves with its mined expansion', () => {
		const { service, offset } = setup('The S|WO budget.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /\*\*Space Widget Office\*\* \(SWO\)/);
		assert.match(hover.markdown, /Defined in \*Joint Statement on Test Cooperation\*/);
	});

	test("the document's own definition is shown alongside the corpus's", () => {
		const { service, offset } = setup('The Japan Aerospace Exploration Agency (JAXA) said.\n\nLater, JA|XA agreed.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /Defined in this document: paragraph 1 as "Japan Aerospace Exploration Agency"\./);
		assert.match(hover.markdown, /Defined in \*Joint Statement on Test Cooperation\*/);
	});

	test("a document's own unrelated expansion wins over the glossary's entity", () => {
		const { service, offset } = setup('The Legal Education Office (LEO) plan.\n\nThe L|EO budget.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /\*\*Legal Education Office\*\* \(LEO\)/);
	});

	test('a variant of the official expansion still means the entity', () => {
		const { service, offset } = setup('The Japan Space Agency (JAXA) said.\n\nJA|XA agreed.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /\*\*Japan Aerospace Exploration Agency\*\*/);
		assert.match(hover.markdown, /Defined in this document: paragraph 1 as "Japan Space Agency"\./);
	});

	test('a treaty article is shown with the treaty', () => {
		const { service, offset } = setup('Under Article V of the Japan-U.S. Security Tre|aty, both sides act.');
		const hover = service.getHover('file:///drafts/draft.md', offset);
		assert.ok(hover);
		assert.match(hover.markdown, /Article 5 of 10\./);
	});

	test('an article the treaty does not have is pointed out', () => {
		const { service, offset } = setup('Article XII of the Japan-U.S. Security Tre|aty.');
		assert.match(service.getHover('file:///drafts/draft.md', offset)!.markdown, /Article 12 of 10 \(the treaty has no such article\)/);
	});

	test('ordinary words get no hover', () => {
		const { service, offset } = setup('a gate|way to the sea');
		assert.equal(service.getHover('file:///drafts/draft.md', offset), undefined);
	});

	test('an unknown acronym gets no hover', () => {
		const { service, offset } = setup('the XY|ZQ plan');
		assert.equal(service.getHover('file:///drafts/draft.md', offset), undefined);
	});

	test('text from documents is escaped in the hover', () => {
		const index = new CorpusIndex();
		index.set(analyzeDocument('file:///corpus/odd.txt', '[Title] A *starred* [link](x) <b>title</b>\n[Date] 2021\n[Full text]\n\nThe Odd Widget Board (OWB) met.\n', lexicon));
		index.set(analyzeDocument('file:///drafts/d.md', 'OWB', lexicon, 1));
		const hover = createLanguageService({ getLexicon: () => lexicon, index }).getHover('file:///drafts/d.md', 1);
		assert.ok(hover);
		assert.match(hover.markdown, /\\\*starred\\\* \\\[link\\\]\\\(x\\\) &lt;b&gt;title&lt;\/b&gt;/);
	});
});

describe('definition', () => {
	test('an acronym goes to the earliest defining paragraph', () => {
		const { service, offset } = setup('J|AXA');
		const targets = service.getDefinition('file:///drafts/draft.md', offset);
		assert.equal(targets.length, 1);
		const target = targets[0]!;
		assert.equal(target.uri, 'file:///corpus/earlier.txt');
		assert.equal(target.reason, 'corpus-definition');
		assert.equal(earlierStatement.slice(target.selectionSpan.start, target.selectionSpan.end), 'Japan Aerospace Exploration Agency (JAXA)');
		assert.match(earlierStatement.slice(target.span.start, target.span.end), /^Participants included/);
	});

	test("the document's own definition is offered with the corpus's", () => {
		const { service, offset } = setup('Japan Aerospace Exploration Agency (JAXA).\n\nJ|AXA again.');
		const targets = service.getDefinition('file:///drafts/draft.md', offset);
		assert.deepEqual(targets.map((target) => target.reason), ['document-definition', 'corpus-definition']);
	});

	test('a name no statement defines goes to the paragraphs mentioning it', () => {
		const { service, offset } = setup('Q|ZSS signals');
		const targets = service.getDefinition('file:///drafts/draft.md', offset);
		assert.deepEqual(targets.map((target) => [target.uri, target.reason]), [['file:///corpus/earlier.txt', 'mention']]);
		assert.equal(earlierStatement.slice(targets[0]!.selectionSpan.start, targets[0]!.selectionSpan.end), 'QZSS');
	});

	test('a name no statement mentions goes to its glossary entry', () => {
		const { service, offset } = setup('NAS|DA');
		const targets = service.getDefinition('file:///drafts/draft.md', offset);
		assert.deepEqual(targets.map((target) => [target.uri, target.reason]), [['file:///fixture/glossary.yaml', 'glossary']]);
	});
});

describe('references', () => {
	test('the program and the accords are separate entities', () => {
		const { service, offset } = setup('The Arte|mis program.');
		const references = service.findReferences('file:///drafts/draft.md', offset);
		assert.deepEqual(references.map((reference) => reference.uri), ['file:///corpus/earlier.txt', 'file:///corpus/later.txt', 'file:///drafts/draft.md']);
	});

	test('names and acronyms of one entity are all references', () => {
		const { service, offset } = setup('J|AXA');
		const references = service.findReferences('file:///drafts/draft.md', offset);
		assert.equal(references.length, 6);
	});
});

describe('symbols', () => {
	test('a statement lists its header fields and numbered paragraphs', () => {
		const { service } = setup('');
		const symbols = service.getDocumentSymbols('file:///corpus/earlier.txt');
		assert.deepEqual(symbols.map((symbol) => symbol.name), ['[Title]', '[Place]', '[Date]', '[Source]', '[Notes]', '[Full text]', '¶1', '¶2', '¶3']);
	});

	test('a draft has no statement symbols', () => {
		const { service } = setup('# Heading\n\nText.');
		assert.deepEqual(service.getDocumentSymbols('file:///drafts/draft.md'), []);
	});

	test('workspace symbols find entities by acronym and name', () => {
		const { service } = setup('');
		assert.equal(service.getWorkspaceSymbols('JAXA')[0]!.name, 'JAXA — Japan Aerospace Exploration Agency');
		assert.ok(service.getWorkspaceSymbols('artemis').length >= 2);
		assert.deepEqual(service.getWorkspaceSymbols('zzzz'), []);
	});
});

describe('semantic tokens', () => {
	test('mentions are typed by their entity kind, with modifiers for acronyms, definitions and outdated names', () => {
		const { service } = setup('The Japan Aerospace Exploration Agency (JAXA), NASDA, the Artemis Accords, the SWO and the XYZQ.');
		const text = 'The Japan Aerospace Exploration Agency (JAXA), NASDA, the Artemis Accords, the SWO and the XYZQ.';
		assert.deepEqual(service.getSemanticTokens('file:///drafts/draft.md').map((token) => [text.slice(token.span.start, token.span.end), token.type, token.modifiers.join(' ')]), [
			['Japan Aerospace Exploration Agency', 'agency', ''],
			['JAXA', 'agency', 'abbreviation definition'],
			['NASDA', 'agency', 'abbreviation outdated'],
			['Artemis Accords', 'treaty', ''],
			['SWO', 'acronym', 'abbreviation'],
		]);
	});
});
