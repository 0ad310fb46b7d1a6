// Sentences for the synthetic statements and draft, in our own words. They only need the shapes
// the server meets in real statements: names with and without "the", acronyms defined both ways
// ("Full Name (ACR)" and "ACR (Full Name)"), bare acronyms, aliases, term variants, treaty
// articles, and Japanese passages with full-width parentheses.
import type { BenchEntity, BenchGlossary } from './glossary';
import type { Random } from './random';

export const englishTopics = [
	'space situational awareness', 'maritime domain awareness', 'disaster risk reduction', 'climate change adaptation',
	'the peaceful use of outer space', 'supply chain resilience', 'critical and emerging technologies', 'energy security',
	'regional stability', 'export control cooperation', 'satellite navigation', 'lunar exploration', 'earth observation data',
	'public health preparedness', 'humanitarian assistance', 'capacity building in the region', 'quantum research',
	'semiconductor research', 'people-to-people exchanges', 'cyber incident response', 'rules-based international order',
	'the safety of navigation', 'debris mitigation', 'clean energy transitions', 'food security', 'development finance',
];

export const japaneseTopics = [
	'宇宙状況把握', '海洋状況把握', '防災', '気候変動対策', '経済安全保障', '重要技術', 'エネルギー安全保障', '地域の平和と安定',
	'輸出管理', '衛星測位', '月探査', '地球観測', '保健', '人道支援', '人材育成', '量子技術', '半導体', '人的交流',
];

export const places = ['Tokyo', 'Washington, DC', 'Geneva', 'New York', 'Canberra', 'Brussels', 'Singapore', 'Jakarta', 'Osaka', 'Honolulu', 'Manila', 'Hanoi'];
export const japanesePlaces = ['東京', 'ワシントン', 'ジュネーブ', 'ニューヨーク', 'キャンベラ', 'ブリュッセル', 'シンガポール', '大阪'];

/** Kinds written with "the" in running text ("the Cabinet Office", but "Artemis", "cybersecurity"). */
const kindsWithArticle = new Set([
	'agency', 'ministry', 'department', 'office', 'council', 'legislature', 'court', 'military', 'organization', 'forum',
	'dialogue', 'treaty', 'agreement', 'facility', 'system', 'document', 'strategy', 'initiative',
]);

function withArticle(entity: BenchEntity, text: string): string {
	return kindsWithArticle.has(entity.kind) && !/^the /i.test(text) ? `the ${text}` : text;
}

/** Remembers which acronyms a document has introduced, so later mentions look like real prose. */
export class DocumentWriter {
	readonly introduced = new Set<string>();

	constructor(
		readonly random: Random,
		readonly glossary: BenchGlossary,
		/** Entities this document may mention (current at its date). */
		readonly pool: readonly BenchEntity[],
	) {}

	/** A mention in English: on first use usually a definition, later usually the acronym. */
	english(entity: BenchEntity): string {
		const random = this.random;
		const acronym = entity.acronyms[0];
		const name = entity.aliases.length > 0 && random.chance(0.2) ? random.pick(entity.aliases) : entity.name;
		if (acronym === undefined) return withArticle(entity, name);
		if (!this.introduced.has(acronym)) {
			const roll = random.next();
			if (roll < 0.55) {
				this.introduced.add(acronym);
				return withArticle(entity, `${entity.name} (${acronym})`);
			}
			if (roll < 0.7) {
				this.introduced.add(acronym);
				return `${acronym} (${entity.name})`;
			}
			if (roll < 0.85) return acronym;
			return withArticle(entity, name);
		}
		return random.chance(0.8) ? acronym : withArticle(entity, name);
	}

	/** A mention in Japanese: the Japanese name, its short form, or "日本語名（ACR）" on first use. */
	japanese(entity: BenchEntity): string {
		const random = this.random;
		const acronym = entity.acronyms[0];
		const ja = entity.ja ?? entity.name;
		if (acronym !== undefined && !this.introduced.has(acronym) && random.chance(0.5)) {
			this.introduced.add(acronym);
			return `${ja}（${acronym}）`;
		}
		if (acronym !== undefined && this.introduced.has(acronym) && random.chance(0.5)) return acronym;
		return entity.jaAliases.length > 0 && random.chance(0.3) ? random.pick(entity.jaAliases) : ja;
	}

	entity(): BenchEntity {
		return this.random.pick(this.pool);
	}

	/** A spelling of a term entry, now and then one of its variants. */
	term(): string {
		const term = this.random.pick(this.glossary.terms);
		return this.random.chance(0.25) ? this.random.pick(term.aliases) : term.preferred ?? term.name;
	}

	englishSentence(): string {
		const random = this.random;
		const a = () => this.english(this.entity());
		const topic = random.pick(englishTopics);
		switch (random.int(0, 13)) {
			case 0: return `${capitalize(a())} and ${a()} reaffirmed their commitment to ${topic}.`;
			case 1: return `${capitalize(a())} welcomed the progress made by ${a()} in ${topic}.`;
			case 2: return `Both sides noted that ${a()} will keep working closely with ${a()} on ${topic}.`;
			case 3: return `The participants took note of a briefing by ${a()} on ${topic}.`;
			case 4: return `${capitalize(a())} intends to share information with ${a()} on ${topic} during ${random.int(1990, 2030)}.`;
			case 5: return `Representatives of ${a()} described recent steps toward ${topic}, and ${a()} offered its support.`;
			case 6: return `The two governments confirmed the importance of ${a()} for ${topic}.`;
			case 7: return `In this context, ${a()} and ${a()} decided to set up a working group on ${topic}.`;
			case 8: return `Both sides expressed appreciation for the contributions of ${a()}, ${a()} and ${a()}.`;
			case 9: return `${capitalize(a())} will host the next round of consultations in ${random.pick(places)}.`;
			case 10: return `They shared the view that ${this.term()} cooperation involving ${a()} is essential for ${topic}.`;
			case 11: return `The meeting reviewed the implementation of ${a()}, including the activities of ${a()}.`;
			case 12: {
				const treaty = random.pick(this.glossary.withArticles);
				return `Both sides reaffirmed that Article ${roman(random.int(1, treaty.articles!))} of ${this.english(treaty)} applies to ${topic}.`;
			}
			default: return `Ministers discussed ${topic} with ${a()} and agreed to report to leaders by ${random.int(1990, 2030)}.`;
		}
	}

	englishParagraph(sentences: number): string {
		const parts: string[] = [];
		for (let i = 0; i < sentences; i++) parts.push(this.englishSentence());
		return parts.join(' ');
	}

	japaneseSentence(): string {
		const random = this.random;
		const a = () => this.japanese(random.pick(this.glossary.withJapanese));
		const topic = random.pick(japaneseTopics);
		switch (random.int(0, 6)) {
			case 0: return `${a()}と${a()}は、${topic}に関する協力を一層強化することで一致した。`;
			case 1: return `双方は、${a()}による${topic}の取組を歓迎した。`;
			case 2: return `${a()}は、${topic}の分野において引き続き重要な役割を果たす。`;
			case 3: return `日本側は、${a()}及び${a()}との連携の重要性を強調した。`;
			case 4: return `双方は、${random.int(1990, 2030)}年に${random.pick(japanesePlaces)}で次回会合を開催することを確認した。`;
			case 5: return `${a()}の担当者は、${topic}に関する最近の進展について説明した。`;
			default: return `両国は、${a()}を通じた${topic}の協力を今後も継続する。`;
		}
	}

	japaneseParagraph(sentences: number): string {
		const parts: string[] = [];
		for (let i = 0; i < sentences; i++) parts.push(this.japaneseSentence());
		return parts.join('');
	}
}

export function capitalize(text: string): string {
	return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

export function roman(value: number): string {
	const numerals: Array<[number, string]> = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
	let rest = value;
	let text = '';
	for (const [amount, numeral] of numerals) {
		while (rest >= amount) {
			text += numeral;
			rest -= amount;
		}
	}
	return text;
}

/** Digits as full-width digits, for Japanese paragraph numbers ("１２．"). */
export function fullWidthDigits(value: number): string {
	return String(value).replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
}
