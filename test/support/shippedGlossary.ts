// The shipped glossary and built-in corpus, for tests that check real behaviour on real data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { GlossarySet } from '../../server/src/core/glossarySet';
import type { Lexicon } from '../../server/src/core/recognizer';

export const repositoryRoot = join(__dirname, '..', '..');
export const dataDirectory = join(repositoryRoot, 'data');

let lexicon: Lexicon | undefined;

export function shippedLexicon(): Lexicon {
	if (lexicon) return lexicon;
	const set = new GlossarySet();
	for (const name of readdirSync(join(dataDirectory, 'glossary')).sort()) {
		const problems = set.addBuiltIn(`file:///data/glossary/${name}`, readFileSync(join(dataDirectory, 'glossary', name), 'utf8'));
		if (problems.length) throw new Error(`${name}: ${problems[0]!.message}`);
	}
	return (lexicon = set.lexicon);
}

/** An index holding the built-in statements, analysed with the shipped glossary. */
export function builtInCorpus(): CorpusIndex {
	const index = new CorpusIndex();
	for (const name of readdirSync(join(dataDirectory, 'statements')).sort()) {
		index.set(analyzeDocument(`file:///data/statements/${name}`, readFileSync(join(dataDirectory, 'statements', name), 'utf8'), shippedLexicon()));
	}
	return index;
}
