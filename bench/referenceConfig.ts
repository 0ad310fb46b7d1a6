// The reference tools get the same terms the server knows: the glossary's names, aliases,
// acronyms and Japanese names. This writes them in each tool's own format, outside the
// workspace (the server indexes every .txt under it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { allTerms, type BenchGlossary } from './glossary';

export interface ReferenceConfig {
	readonly directory: string;
	/** One term a line, for `rg -F -f`. */
	readonly termsFile: string;
	readonly termCount: number;
	readonly prhFile: string;
	readonly prhRuleCount: number;
	readonly textlintConfig: string;
	readonly cspellConfig: string;
	readonly cspellWordCount: number;
}

/**
 * prh escapes "-" when it turns a string pattern into a regular expression, which the `u` flag it
 * adds rejects ("Invalid escape"); handing it regular expressions escaped our way avoids that.
 */
function prhPattern(term: string): string {
	return `/${term.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}/`;
}

/**
 * prh rules: the form a draft should use, with the other spellings as patterns. Every term is
 * listed as a pattern (the expected form too, which prh matches and lets pass), so prh searches
 * for exactly the terms the server recognizes.
 */
function prhRules(glossary: BenchGlossary): Array<{ expected: string; patterns: string[] }> {
	const rules: Array<{ expected: string; patterns: string[] }> = [];
	for (const entity of glossary.entities) {
		const expected = entity.preferred ?? entity.name;
		rules.push({ expected, patterns: [...new Set([expected, entity.name, ...entity.aliases])].map(prhPattern) });
		for (const acronym of entity.acronyms) rules.push({ expected: acronym, patterns: [prhPattern(acronym)] });
		if (entity.ja !== undefined) rules.push({ expected: entity.ja, patterns: [...new Set([entity.ja, ...entity.jaAliases])].map(prhPattern) });
	}
	return rules;
}

/** The words of every term, for cspell's dictionary (it checks words, not phrases). */
function cspellWords(terms: readonly string[]): string[] {
	const words = new Set<string>();
	for (const term of terms) for (const word of term.split(/[^\p{L}\p{N}']+/u)) if (word.length > 1) words.add(word);
	return [...words].sort();
}

export function writeReferenceConfig(outDirectory: string, glossary: BenchGlossary): ReferenceConfig {
	const directory = resolve(outDirectory, 'reference');
	mkdirSync(directory, { recursive: true });
	const terms = allTerms(glossary);
	const termsFile = join(directory, 'terms.txt');
	writeFileSync(termsFile, terms.join('\n') + '\n');
	const rules = prhRules(glossary);
	const prhFile = join(directory, 'prh.yml');
	writeFileSync(prhFile, stringify({ version: 1, rules }));
	const textlintConfig = join(directory, 'textlintrc.json');
	writeFileSync(textlintConfig, JSON.stringify({ rules: { prh: { rulePaths: [prhFile] } } }, null, '\t') + '\n');
	const words = cspellWords(terms);
	const cspellConfig = join(directory, 'cspell.json');
	writeFileSync(cspellConfig, JSON.stringify({ version: '0.2', language: 'en', words }, null, '\t') + '\n');
	return { directory, termsFile, termCount: terms.length, prhFile, prhRuleCount: rules.length, textlintConfig, cspellConfig, cspellWordCount: words.length };
}
