// A compact form of a document's analysis for the corpus: mentions packed into one Int32Array
// with a per-document table of keys, everything else as plain data. It is what index workers
// send to the server (the array's buffer is transferred, not copied), what the index cache
// stores on disk, and what the index keeps for files that are not open, so the memory of a
// large corpus is a few typed arrays per document rather than an object per mention.
import type { DocumentAnalysis, LocatedMention, MinedDefinition } from './analysis';
import type { ParsedDocument, StatementDate } from './types';

/** Plain, structured-clone-safe data: the same shape in a worker message and in the cache file. */
export interface AnalysisRecord {
	readonly uri: string;
	readonly title: string;
	readonly date: StatementDate | undefined;
	readonly parsed: ParsedDocument;
	readonly lineStarts: readonly number[];
	/** Entity ids and acronyms the mentions name; a mention's key column indexes this table. */
	readonly keys: readonly string[];
	/** `stride` integers per mention, in the order of the `column` constants. */
	readonly mentions: Int32Array;
	readonly definitions: readonly MinedDefinition[];
}

const column = { start: 0, end: 1, kind: 2, key: 3, paragraph: 4, article: 5, articleStart: 6, articleEnd: 7 } as const;
const stride = 8;
const entityKind = 0;
const acronymKind = 1;
/** In the article column: the mention has no article. */
const noArticle = -1;

export function toRecord(analysis: DocumentAnalysis): AnalysisRecord {
	const keys: string[] = [];
	const keyIndex = new Map<string, number>();
	const indexOf = (key: string) => {
		let found = keyIndex.get(key);
		if (found === undefined) {
			found = keys.length;
			keys.push(key);
			keyIndex.set(key, found);
		}
		return found;
	};
	const mentions = new Int32Array(analysis.mentions.length * stride);
	analysis.mentions.forEach((mention, index) => {
		const base = index * stride;
		mentions[base + column.start] = mention.start;
		mentions[base + column.end] = mention.end;
		mentions[base + column.kind] = mention.entityId !== undefined ? entityKind : acronymKind;
		mentions[base + column.key] = indexOf(mention.entityId ?? mention.acronym!);
		mentions[base + column.paragraph] = mention.paragraph;
		mentions[base + column.article] = mention.article ?? noArticle;
		mentions[base + column.articleStart] = mention.articleSpan?.start ?? 0;
		mentions[base + column.articleEnd] = mention.articleSpan?.end ?? 0;
	});
	return {
		uri: analysis.uri,
		title: analysis.title,
		date: analysis.date,
		parsed: analysis.parsed,
		lineStarts: analysis.lineStarts,
		keys,
		mentions,
		definitions: analysis.definitions,
	};
}

function decodeMention(record: AnalysisRecord, index: number): LocatedMention {
	const data = record.mentions;
	const base = index * stride;
	const start = data[base + column.start]!;
	const end = data[base + column.end]!;
	const key = record.keys[data[base + column.key]!]!;
	const article = data[base + column.article]!;
	const named = data[base + column.kind] === entityKind ? { start, end, entityId: key } : { start, end, acronym: key };
	const withArticle = article === noArticle ? named : { ...named, article, articleSpan: { start: data[base + column.articleStart]!, end: data[base + column.articleEnd]! } };
	return { ...withArticle, paragraph: data[base + column.paragraph]! };
}

/**
 * A document of the corpus as the index keeps it: a `DocumentAnalysis` whose mentions are
 * decoded from the packed array when asked for, and not kept.
 */
export class StoredAnalysis implements DocumentAnalysis {
	readonly version = undefined;

	constructor(readonly record: AnalysisRecord) {}

	get uri(): string {
		return this.record.uri;
	}

	get title(): string {
		return this.record.title;
	}

	get date(): StatementDate | undefined {
		return this.record.date;
	}

	get parsed(): ParsedDocument {
		return this.record.parsed;
	}

	get lineStarts(): readonly number[] {
		return this.record.lineStarts;
	}

	get definitions(): readonly MinedDefinition[] {
		return this.record.definitions;
	}

	get mentionCount(): number {
		return this.record.mentions.length / stride;
	}

	get mentions(): readonly LocatedMention[] {
		const result: LocatedMention[] = new Array(this.mentionCount);
		for (let index = 0; index < result.length; index++) result[index] = decodeMention(this.record, index);
		return result;
	}

	/** The mentions whose key (entity id or acronym) is in `keys`, decoded; the rest are skipped unread. */
	mentionsWithKeys(keys: ReadonlySet<string>): LocatedMention[] {
		const wanted = new Set<number>();
		this.record.keys.forEach((key, index) => {
			if (keys.has(key)) wanted.add(index);
		});
		const result: LocatedMention[] = [];
		if (wanted.size === 0) return result;
		const data = this.record.mentions;
		for (let index = 0, base = 0; base < data.length; index++, base += stride) {
			if (wanted.has(data[base + column.key]!)) result.push(decodeMention(this.record, index));
		}
		return result;
	}

	/** The distinct entity ids and acronyms the document mentions, without decoding a mention. */
	mentionKeys(): { entities: Set<string>; acronyms: Set<string> } {
		const entities = new Set<string>();
		const acronyms = new Set<string>();
		const data = this.record.mentions;
		for (let base = 0; base < data.length; base += stride) {
			const key = this.record.keys[data[base + column.key]!]!;
			(data[base + column.kind] === entityKind ? entities : acronyms).add(key);
		}
		return { entities, acronyms };
	}

	/** The same record under another URI (a file renamed or copied with the same content). */
	withUri(uri: string): StoredAnalysis {
		return new StoredAnalysis({ ...this.record, uri });
	}
}
