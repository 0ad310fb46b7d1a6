// The 1 MB Markdown draft: the document a user edits while the corpus is indexed. Besides
// ordinary prose it carries every kind of problem the checks look for (server/src/core/
// findings.ts), and the Markdown constructs the checks must skip (code, link targets, HTML
// comments, front matter), so the check pass does its full work, as on a real messy draft.
import { isCurrentAt, type BenchEntity, type BenchGlossary } from './glossary';
import { DocumentWriter, capitalize, englishTopics, roman } from './prose';
import { createRandom, deriveSeed, type Random } from './random';

export const draftDate = '2024-09-02';

/** Same-initial replacements, so a wrong expansion still passes letter matching and reads as a definition. */
const sameInitialWords: Readonly<Record<string, string>> = {
	A: 'Authority', B: 'Bureau', C: 'Commission', D: 'Directorate', E: 'Executive', F: 'Federation', G: 'Group', H: 'Headquarters',
	I: 'Institute', J: 'Joint', L: 'League', M: 'Mission', N: 'Network', O: 'Organisation', P: 'Partnership', R: 'Registry',
	S: 'Service', T: 'Taskforce', U: 'Union', W: 'Working',
};

/** "Japan Aerospace Exploration Agency" becomes "Japan Aerospace Exploration Authority": same letters, another meaning. */
function conflictingExpansion(name: string, random: Random): string {
	const words = name.split(' ');
	const candidates = words.map((word, index) => ({ word, index })).filter(({ word }) => /^[A-Z][a-z]{3,}$/.test(word) && sameInitialWords[word[0]!] !== undefined && sameInitialWords[word[0]!] !== word);
	if (candidates.length === 0) return `${name} Office`;
	const { word, index } = random.pick(candidates);
	words[index] = sameInitialWords[word[0]!]!;
	return words.join(' ');
}

function unknownAcronym(random: Random): string {
	const letters = 'BCDFGHKLMNPQRTVWXZ';
	let text = 'X';
	for (let i = random.int(2, 3); i > 0; i--) text += letters[random.int(0, letters.length - 1)];
	return text;
}

class DraftWriter extends DocumentWriter {
	constructor(random: Random, glossary: BenchGlossary) {
		super(random, glossary, glossary.entities.filter((entity) => entity.kind !== 'term' && isCurrentAt(entity, draftDate)));
	}

	/** A withAcronyms entity current at the draft's date. */
	acronymEntity(): BenchEntity {
		for (;;) {
			const entity = this.random.pick(this.glossary.withAcronyms);
			if (isCurrentAt(entity, draftDate)) return entity;
		}
	}

	/** One sentence carrying a problem the checks find, chosen at random. */
	problemSentence(): string {
		const random = this.random;
		const topic = random.pick(englishTopics);
		switch (random.int(0, 8)) {
			case 0: {
				// acronym.conflicting-expansion
				const entity = this.acronymEntity();
				return `The ${conflictingExpansion(entity.name, random)} (${entity.acronyms[0]}) will lead the work on ${topic}.`;
			}
			case 1: {
				// acronym.defined-twice (or a first definition, which later sentences may repeat)
				const entity = this.acronymEntity();
				this.introduced.add(entity.acronyms[0]!);
				return `As noted, the ${entity.name} (${entity.acronyms[0]}) coordinates ${topic}.`;
			}
			case 2: {
				// acronym.spelled-out-after-definition
				const entity = this.acronymEntity();
				return `Officials of the ${entity.name} said ${entity.acronyms[0]} would brief the committee on ${topic}.`;
			}
			case 3: {
				// acronym.undefined / used-before-definition: a bare acronym
				return `${this.acronymEntity().acronyms[0]} has not yet commented on ${topic}.`;
			}
			case 4: {
				// term.outdated-name
				const entity = random.pick(this.glossary.outdated);
				const written = entity.acronyms.length > 0 && random.chance(0.5) ? entity.acronyms[0]! : `the ${entity.name}`;
				return `The archive still lists ${written} as responsible for ${topic}.`;
			}
			case 5: {
				// treaty.unknown-article
				const treaty = random.pick(this.glossary.withArticles);
				return `Drafters cited Article ${roman(treaty.articles! + random.int(1, 5))} of the ${treaty.aliases[0] ?? treaty.name} in the section on ${topic}.`;
			}
			case 6: {
				// term.variant-spelling: both spellings of one term
				const term = random.pick(this.glossary.terms);
				return `The ${term.preferred ?? term.name} agenda and the ${random.pick(term.aliases)} agenda are the same thing.`;
			}
			case 7: {
				// acronym.unknown
				return `The ${unknownAcronym(random)} team will report on ${topic}.`;
			}
			default: {
				// acronym.unused-definition: a definition whose acronym may never come back
				const entity = this.acronymEntity();
				return `A note from the ${entity.name} (${entity.acronyms[0]}) was circulated.`;
			}
		}
	}

	paragraph(): string {
		const random = this.random;
		const sentences: string[] = [];
		for (let i = random.int(3, 6); i > 0; i--) sentences.push(random.chance(0.3) ? this.problemSentence() : this.englishSentence());
		return sentences.join(' ');
	}

	section(number: number): string {
		const random = this.random;
		const entity = this.acronymEntity();
		const acronym = entity.acronyms[0]!;
		const parts = [`## ${number}. ${capitalize(random.pick(englishTopics))}`, '', this.paragraph(), ''];
		for (let i = random.int(2, 4); i > 0; i--) parts.push(`- ${capitalize(this.english(this.entity()))} will follow up on ${random.pick(englishTopics)}.`);
		parts.push('', `See [the ${acronym} summary](https://example.org/${acronym.toLowerCase()}/summary-${number}.html) and the \`${acronym}_REVIEW\` flag; ${this.paragraph()}`, '');
		if (random.chance(0.3)) parts.push(`> ${this.englishSentence()}`, '');
		if (random.chance(0.2)) parts.push('| Body | Topic |', '|---|---|', `| ${this.english(this.entity())} | ${random.pick(englishTopics)} |`, `| ${this.english(this.entity())} | ${random.pick(englishTopics)} |`, '');
		if (random.chance(0.15)) parts.push('```text', `${acronym} ${unknownAcronym(random)} ${this.acronymEntity().acronyms[0]!} -- inside a code block, never checked`, '```', '');
		if (random.chance(0.1)) parts.push(`<!-- reviewer: confirm the ${acronym} figures -->`, '');
		if (random.chance(0.05)) parts.push('<!-- policy-lens-disable-next-line acronym.undefined -- quoted from a press release -->', `${this.acronymEntity().acronyms[0]!} said the plan was on track.`, '');
		if (random.chance(0.15)) parts.push(this.japaneseParagraph(random.int(1, 3)), '');
		if (random.chance(0.3)) parts.push(this.paragraph(), '');
		return parts.join('\n');
	}
}

/** The draft, about `targetBytes` of UTF-8, with front matter giving its date. */
export function generateDraft(glossary: BenchGlossary, seed: number, targetBytes: number): string {
	const writer = new DraftWriter(createRandom(deriveSeed(seed, 'draft', 0)), glossary);
	const parts = ['---', 'title: Synthetic policy draft for the Policy Lens benchmark', `date: ${draftDate}`, '---', '', '# Synthetic policy draft', '', writer.paragraph(), ''];
	let bytes = Buffer.byteLength(parts.join('\n'));
	for (let number = 1; bytes < targetBytes; number++) {
		const section = writer.section(number) + '\n';
		parts.push(section);
		bytes += Buffer.byteLength(section) + 1;
	}
	return parts.join('\n');
}
