// The corpus's packed form of an analysis must lose nothing: a document packed by a worker,
// serialized across threads or into the index cache, and unpacked by the index reads back
// exactly as analysed, and the language service answers the same from either form.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/core/analysis';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { createLanguageService } from '../../server/src/core/service';
import { packAnalysis, packDocument, StoredAnalysis, summaryMentionStride, type PackedRecord } from '../../server/src/core/storedAnalysis';
import { inMemory, storeAnalysis, toStoredAnalysis } from '../../server/src/node/indexing';
import { fixtureLexicon } from '../support/fixtureGlossary';
import { dataDirectory, shippedLexicon } from '../support/shippedGlossary';

const lexicon = fixtureLexicon();

const documents: Array<{ uri: string; text: string }> = [
	{
		uri: 'file:///corpus/first.D1E.txt',
		text: `[Title] Joint Statement on Packing Tests
[Place] Tokyo
[Date] March 3, 2020
[Source] Test Ministry
[Notes]
[Full text]

1. The Japan Aerospace Exploration Agency (JAXA) and the Space Widget Office (SWO) met.

2. SWO (Space Widget Office) staff recalled Article V of the Japan-U.S. Security Treaty.

(3) They welcomed the Artemis program, the Artemis Accords, QZSS and LEO missions.
`,
	},
	{
		uri: 'file:///corpus/second.D1J.txt',
		text: `[文書名] 試験用の共同声明
[年月日] 2021年4月1日
[全文]

１．宇宙航空研究開発機構（JAXA）は日米安全保障条約第五条を確認した。

２．QZSSとSOLAR-Cについて協議した。
`,
	},
	{
		// LEO defined with a meaning of the statement's own, in a later statement that also names
		// JAXA (before its full name) and SWO without defining them: references to low Earth orbit
		// must leave its LEO out, and those to JAXA list the acronym and the name in document order.
		uri: 'file:///corpus/third.D1E.txt',
		text: `[Title] Joint Statement on Lunar Exploration
[Date] May 5, 2022
[Full text]

1. The Lunar Exploration Office (LEO) and JAXA met with SWO staff.

2. LEO will report to the Japan Aerospace Exploration Agency on low Earth orbit debris and QZSS.
`,
	},
	{
		uri: 'file:///drafts/draft.md',
		text: '# Draft\n\nNotes on JAXA, the NASDA era and the Lunar Gateway (LG).\n\nThe SWO and the XQZ team met in LEO.\n',
	},
];

function roundTrip(analysis: DocumentAnalysis): StoredAnalysis {
	return toStoredAnalysis(inMemory(storeAnalysis(deserialize(serialize(packAnalysis(analysis))) as PackedRecord)));
}

function assertSameAnalysis(stored: DocumentAnalysis, analysis: DocumentAnalysis): void {
	assert.equal(stored.uri, analysis.uri);
	assert.equal(stored.title, analysis.title);
	assert.deepEqual(stored.date, analysis.date);
	assert.deepEqual(stored.parsed, analysis.parsed);
	assert.deepEqual(stored.lineStarts, analysis.lineStarts);
	assert.deepEqual(stored.mentions, analysis.mentions);
	assert.deepEqual(stored.definitions, analysis.definitions);
}

describe('packed analyses', () => {
	for (const { uri, text } of documents) {
		test(`${uri} reads back exactly as analysed`, () => {
			const analysis = analyzeDocument(uri, text, lexicon);
			assert.ok(analysis.mentions.length > 3, 'the fixture should mention several names');
			assertSameAnalysis(roundTrip(analysis), analysis);
		});
	}

	test('packDocument, the workers\' direct path, packs exactly what packAnalysis packs', () => {
		for (const { uri, text } of documents) assert.deepEqual(packDocument(uri, text, lexicon), packAnalysis(analyzeDocument(uri, text, lexicon)), uri);
		const path = join(dataDirectory, 'statements', 'JPUS_20240827.D1E.txt');
		const text = readFileSync(path, 'utf8');
		assert.deepEqual(packDocument('file:///data/reference.txt', text, shippedLexicon()), packAnalysis(analyzeDocument('file:///data/reference.txt', text, shippedLexicon())));
	});

	test('treaty articles survive packing, with and without an article span', () => {
		const analysis = analyzeDocument(documents[0]!.uri, documents[0]!.text, lexicon);
		const withArticle = analysis.mentions.filter((mention) => mention.article !== undefined);
		assert.equal(withArticle.length, 1);
		assert.deepEqual(roundTrip(analysis).mentions.filter((mention) => mention.article !== undefined), withArticle);
	});

	test('the shipped reference statement reads back exactly as analysed', () => {
		const path = join(dataDirectory, 'statements', 'JPUS_20240827.D1E.txt');
		const analysis = analyzeDocument('file:///data/JPUS_20240827.D1E.txt', readFileSync(path, 'utf8'), shippedLexicon());
		assertSameAnalysis(roundTrip(analysis), analysis);
	});

	test('the summary lists the keys the index files the document under', () => {
		const analysis = analyzeDocument(documents[0]!.uri, documents[0]!.text, lexicon);
		const summary = StoredAnalysis.of(packAnalysis(analysis)).summary;
		assert.equal(summary.isStatement, true);
		assert.deepEqual(summary.date, analysis.date);
		assert.deepEqual(new Set(summary.entityKeys), new Set(analysis.mentions.flatMap((mention) => mention.entityId ?? [])));
		assert.deepEqual(new Set(summary.acronymKeys), new Set(analysis.mentions.flatMap((mention) => mention.acronym ?? [])));
	});

	test('the summary holds every mention, definition and line start, in document order', () => {
		for (const { uri, text } of documents) {
			const analysis = analyzeDocument(uri, text, lexicon);
			const stored = roundTrip(analysis);
			const { summary } = stored;
			const visited: Array<[string, boolean, number]> = [];
			stored.forEachMention((key, isAcronym, paragraph) => visited.push([key, isAcronym, paragraph]));
			assert.deepEqual(visited, analysis.mentions.map((mention) => [mention.entityId ?? mention.acronym!, mention.entityId === undefined, mention.paragraph]));
			const spans: Array<[number, number]> = [];
			for (let base = 0; base < summary.mentions.length; base += summaryMentionStride) spans.push([summary.mentions[base]!, summary.mentions[base + 1]!]);
			assert.deepEqual(spans, analysis.mentions.map((mention) => [mention.start, mention.end]));
			assert.deepEqual(summary.definitionKeys, analysis.definitions.map((definition) => definition.key));
			assert.deepEqual(summary.definitionExpansions, analysis.definitions.map((definition) => definition.expansion));
			assert.deepEqual(stored.lineStarts, analysis.lineStarts);
		}
	});
});

describe('the language service over stored documents', () => {
	function service(store: boolean, settled = false, tablesInSteps = false) {
		const index = new CorpusIndex();
		for (const { uri, text } of documents) {
			const analysis = analyzeDocument(uri, text, lexicon, uri.endsWith('.md') ? 1 : undefined);
			// Open drafts stay whole analyses in the server; corpus files are stored.
			index.set(store && !uri.endsWith('.md') ? roundTrip(analysis) : analysis);
		}
		return { index, service: createLanguageService({ getLexicon: () => lexicon, index, isCorpusSettled: () => settled, tablesInSteps }) };
	}

	test('tables built step by step: answers before, during and after the steps are the same; a change meanwhile stops them', () => {
		const plain = service(false);
		const stepped = service(true, true, true);
		const compare = (label: string) => {
			let compared = 0;
			for (const { uri, text } of documents) {
				for (const mention of analyzeDocument(uri, text, lexicon).mentions) {
					compared++;
					assert.deepEqual(stepped.service.getHover(uri, mention.start), plain.service.getHover(uri, mention.start), `${label}: hover at ${uri}:${mention.start}`);
					assert.deepEqual(stepped.service.findReferences(uri, mention.start), plain.service.findReferences(uri, mention.start), `${label}: references at ${uri}:${mention.start}`);
				}
			}
			assert.ok(compared > 20, `${label}: only ${compared} positions`);
		};
		// Questions build nothing themselves.
		compare('before the steps');
		assert.equal(stepped.index.hasStoredMentions(), false);
		let steps = 0;
		for (const _ of stepped.service.preparation(1)) if (++steps === 3) compare('between steps');
		assert.ok(steps > documents.length, `only ${steps} steps`);
		assert.equal(stepped.index.hasStoredMentions(), true);
		compare('after the steps');

		// A stored document coming in the middle stops the steps, and the next preparation completes.
		const interrupted = service(true, true, true);
		const preparation = interrupted.service.preparation(1);
		preparation.next();
		const extra = documents.find(({ uri }) => !uri.endsWith('.md'))!;
		interrupted.index.set(roundTrip(analyzeDocument(extra.uri.replace(/\.txt$/, '-copy.txt'), extra.text, lexicon)));
		let after = 0;
		while (!preparation.next().done) after++;
		assert.ok(after <= 1, `${after} steps ran after the change`);
		assert.equal(interrupted.index.hasStoredMentions(), false);
		for (const _ of interrupted.service.preparation(1));
		assert.equal(interrupted.index.hasStoredMentions(), true);
	});

	for (const settled of [false, true]) test(`hover, definition and references answer the same at every mention${settled ? ', with the settled corpus table' : ''}`, () => {
		const plain = service(false);
		const stored = service(true, settled);
		assert.equal(stored.index.statementCount, plain.index.statementCount);
		let positions = 0;
		let answered = 0;
		for (const { uri, text } of documents) {
			for (const mention of analyzeDocument(uri, text, lexicon).mentions) {
				for (const offset of [mention.start, mention.end - 1]) {
					positions++;
					assert.deepEqual(stored.service.getHover(uri, offset), plain.service.getHover(uri, offset), `hover at ${uri}:${offset}`);
					assert.deepEqual(stored.service.getDefinition(uri, offset), plain.service.getDefinition(uri, offset), `definition at ${uri}:${offset}`);
					const references = plain.service.findReferences(uri, offset);
					assert.deepEqual(stored.service.findReferences(uri, offset), references, `references at ${uri}:${offset}`);
					// The line starts handed with each document's mentions are that document's, stored or not.
					stored.service.forEachReference(uri, offset, ({ document, lineStarts, lineFrom, lineTo }) => {
						assert.deepEqual(Array.from(lineStarts.subarray(lineFrom, lineTo)), plain.index.get(document.uri)!.lineStarts, `line starts of ${document.uri}`);
					});
					if (references.length > 1 && plain.service.getHover(uri, offset)) answered++;
				}
			}
		}
		assert.ok(positions > 40, `only ${positions} positions were compared`);
		assert.ok(answered > 20, `only ${answered} positions had a hover and several references`);
	});

	test('opening a stored file shadows it without a rebuild, and the answers are those of an index built with it open', () => {
		const statements = documents.filter(({ uri }) => !uri.endsWith('.md'));
		const opened = statements[0]!;
		// The editor's text of the opened file differs from the file's: one more paragraph naming JAXA.
		const editedText = `${opened.text}\n9. The Japan Aerospace Exploration Agency (JAXA) reported again.\n`;
		const storedOf = new Map(documents.map(({ uri, text }) => [uri, roundTrip(analyzeDocument(uri, text, lexicon, uri.endsWith('.md') ? 1 : undefined))]));
		const build = (open: boolean) => {
			const index = new CorpusIndex();
			for (const { uri, text } of documents) {
				if (uri === opened.uri && open) index.set(analyzeDocument(uri, editedText, lexicon, 2));
				else index.set(uri.endsWith('.md') ? analyzeDocument(uri, text, lexicon, 1) : storedOf.get(uri)!);
			}
			return { index, service: createLanguageService({ getLexicon: () => lexicon, index, isCorpusSettled: () => true }) };
		};
		const subject = build(false);
		const compare = (expected: ReturnType<typeof build>, label: string) => {
			let compared = 0;
			for (const { uri, text } of documents) {
				const source = uri === opened.uri && expected.index.get(uri)?.version !== undefined ? editedText : text;
				for (const mention of analyzeDocument(uri, source, lexicon).mentions) {
					compared++;
					assert.deepEqual(subject.service.getHover(uri, mention.start), expected.service.getHover(uri, mention.start), `${label}: hover at ${uri}:${mention.start}`);
					assert.deepEqual(subject.service.findReferences(uri, mention.start), expected.service.findReferences(uri, mention.start), `${label}: references at ${uri}:${mention.start}`);
				}
			}
			assert.ok(compared > 20, `${label}: only ${compared} positions`);
		};
		compare(build(false), 'before opening');
		const generation = subject.index.storedGeneration;
		subject.index.set(analyzeDocument(opened.uri, editedText, lexicon, 2));
		assert.equal(subject.index.storedGeneration, generation, 'opening changed the stored generation');
		compare(build(true), 'while open');
		subject.index.delete(opened.uri);
		subject.index.set(storedOf.get(opened.uri)!);
		assert.equal(subject.index.storedGeneration, generation, 'closing changed the stored generation');
		compare(build(false), 'after closing');
	});
});

test('a hover while the corpus is still indexing reads no stored record to count mentions', () => {
	const lexicon = shippedLexicon();
	const index = new CorpusIndex();
	let loads = 0;
	for (let number = 0; number < 40; number++) {
		const text = `[Title] Statement ${number}\n[Date] May ${1 + (number % 28)}, 2021\n[Full text]\n\n1. NASA and the Japan Aerospace Exploration Agency met; JAXA reported.\n`;
		const record = packDocument(`file:///corpus/s${number}.txt`, text, lexicon);
		const stored = toStoredAnalysis(inMemory(storeAnalysis(record)));
		index.set(new StoredAnalysis(stored.summary, () => {
			loads++;
			return record;
		}));
	}
	const draft = 'Notes on JAXA today.\n';
	index.set(analyzeDocument('file:///drafts/notes.md', draft, lexicon, 1));
	const service = createLanguageService({ getLexicon: () => lexicon, index, isCorpusSettled: () => false });
	const hover = service.getHover('file:///drafts/notes.md', draft.indexOf('JAXA') + 1);
	assert.match(hover?.markdown ?? '', /40 statements/);
	assert.equal(loads, 0);
});
