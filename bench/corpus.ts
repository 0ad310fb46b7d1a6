// The synthetic corpus: N statements in the database's format, spread over folders of 100, plus
// the 1 MB Markdown draft. Every statement is generated from its own seed (see deriveSeed), so
// the same arguments give byte-identical files and statement i is the same in every corpus size.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDraft } from './draft';
import { isCurrentAt, type BenchEntity, type BenchGlossary } from './glossary';
import { DocumentWriter, englishTopics, fullWidthDigits, japaneseTopics, japanesePlaces, places, capitalize } from './prose';
import { createRandom, deriveSeed, type Random } from './random';

/** Bump when the generated text changes, so stale corpora on disk are regenerated. */
export const generatorVersion = 1;
export const defaultSeed = 20240827;
export const statementsPerFolder = 100;
export const draftBytes = 1048576;

export interface GeneratedStatement {
	/** Path relative to the corpus root. */
	readonly path: string;
	readonly text: string;
}

export interface CorpusInfo {
	readonly root: string;
	readonly statements: number;
	/** Statement files plus the draft: every file the server indexes from the workspace. */
	readonly files: number;
	readonly bytes: number;
	readonly draftPath: string;
	readonly draftBytes: number;
	/** Whether this run wrote the corpus (false when a matching one was already on disk). */
	readonly generated: boolean;
	readonly generationMs: number;
}

interface Manifest {
	readonly generatorVersion: number;
	readonly seed: number;
	readonly statements: number;
	readonly files: number;
	readonly bytes: number;
	readonly draftBytes: number;
}

const englishMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const englishSources = ['Ministry of Foreign Affairs of Japan', "Prime Minister's Office of Japan", 'U.S. Department of State', 'The White House', 'Ministry of Defense of Japan'];
const japaneseSources = ['外務省', '首相官邸', '防衛省', '内閣府'];
const kinds = ['D', 'O', 'S'];

interface StatementDate {
	readonly year: number;
	readonly month: number;
	readonly day: number;
	readonly iso: string;
}

function randomDate(random: Random): StatementDate {
	const year = random.int(1972, 2024);
	const month = random.int(1, 12);
	const day = random.int(1, 28);
	return { year, month, day, iso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** Entities a statement of this date may name: current then, and not spelling terms. */
function poolAt(glossary: BenchGlossary, date: string): BenchEntity[] {
	return glossary.entities.filter((entity) => entity.kind !== 'term' && isCurrentAt(entity, date));
}

export function statementPath(index: number, date: StatementDate, kind: string, digit: number, japanese: boolean): string {
	const folder = String(Math.floor(index / statementsPerFolder)).padStart(4, '0');
	const compact = date.iso.replaceAll('-', '');
	return join('statements', folder, `SYN_${compact}_${String(index).padStart(6, '0')}.${kind}${digit}${japanese ? 'J' : 'E'}.txt`);
}

export interface StatementSize {
	readonly minBytes: number;
	readonly maxBytes: number;
}

/** About 7 KB on average, as in the database. */
export const normalSize: StatementSize = { minBytes: 3000, maxBytes: 11000 };

/** Statement `index` of the corpus with `seed`: a header and at least one paragraph, about `size` long. */
export function generateStatement(glossary: BenchGlossary, seed: number, index: number, size: StatementSize = normalSize): GeneratedStatement {
	const random = createRandom(deriveSeed(seed, 'statement', index));
	const japanese = random.chance(0.1);
	const date = randomDate(random);
	const writer = new DocumentWriter(random, glossary, poolAt(glossary, date.iso));
	const targetBytes = random.int(size.minBytes, size.maxBytes);
	const numbered = random.chance(0.8);
	const lines: string[] = [];
	if (random.chance(0.7)) {
		lines.push(...(japanese
			? ['データベース「世界と日本」（ベンチマーク用の合成コーパス）', 'Policy Lens の性能測定のために生成した文書', '実在の文書ではない', '']
			: ['"The World and Japan" Database (synthetic benchmark corpus)', 'Generated for the Policy Lens benchmark', 'Not a real document', '']));
	}
	if (japanese) {
		const a = random.pick(glossary.withJapanese);
		const b = random.pick(glossary.withJapanese);
		lines.push(`[文書名] ${a.ja}と${b.ja}による${random.pick(japaneseTopics)}に関する共同声明`, '');
		lines.push(`[場所] ${random.chance(0.7) ? random.pick(japanesePlaces) : ''}`);
		lines.push(`[年月日] ${date.year}年${date.month}月${date.day}日`);
		lines.push(`[出典] ${random.pick(japaneseSources)}`);
		lines.push(`[備考] ${random.chance(0.2) ? '仮訳' : ''}`);
		lines.push('[全文]', '');
	} else {
		const subject = writer.entity();
		lines.push(`[Title] ${random.chance(0.5) ? 'Joint Statement' : 'Press Release'} on ${capitalize(random.pick(englishTopics))} by ${subject.name}`, '');
		lines.push(`[Place] ${random.chance(0.7) ? random.pick(places) : ''}`);
		lines.push(`[Date] ${englishMonths[date.month - 1]} ${date.day}, ${date.year}`);
		lines.push(`[Source] ${random.pick(englishSources)}`);
		lines.push(`[Notes] ${random.chance(0.2) ? 'Provisional translation' : ''}`);
		lines.push('[Full text]', '');
	}
	let bytes = Buffer.byteLength(lines.join('\n'));
	for (let number = 1; number === 1 || bytes < targetBytes; number++) {
		const body = japanese ? writer.japaneseParagraph(random.int(2, 5)) : writer.englishParagraph(random.int(2, 5));
		const label = numbered ? (japanese ? `${fullWidthDigits(number)}．` : `${number}. `) : '';
		const paragraph = label + body;
		lines.push(paragraph, '');
		bytes += Buffer.byteLength(paragraph) + 2;
	}
	// Some real records come with Windows line endings or a byte-order mark; the parser must cope.
	let text = lines.join('\n');
	if (random.chance(0.04)) text = text.replaceAll('\n', '\r\n');
	if (random.chance(0.01)) text = '\ufeff' + text;
	return { path: statementPath(index, date, random.pick(kinds), random.int(1, 9), japanese), text };
}

export function corpusRoot(outDirectory: string, statements: number): string {
	return join(outDirectory, `corpus-${statements}`);
}

/** Writes the statements [from, to) of the corpus under `root`; returns the bytes written. */
export function writeStatements(root: string, glossary: BenchGlossary, seed: number, from: number, to: number, size: StatementSize = normalSize): number {
	let bytes = 0;
	let lastFolder = '';
	for (let index = from; index < to; index++) {
		const statement = generateStatement(glossary, seed, index, size);
		const path = join(root, statement.path);
		const folder = dirname(path);
		if (folder !== lastFolder) {
			mkdirSync(folder, { recursive: true });
			lastFolder = folder;
		}
		writeFileSync(path, statement.text);
		bytes += Buffer.byteLength(statement.text);
	}
	return bytes;
}

/** Files (path, size) under a folder, recursively. */
export function listFiles(root: string): Array<{ path: string; size: number }> {
	const files: Array<{ path: string; size: number }> = [];
	const walk = (folder: string): void => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) files.push({ path, size: statSync(path).size });
		}
	};
	if (existsSync(root)) walk(root);
	return files;
}

/**
 * The corpus of `statements` statements under `outDirectory`, generated unless a matching one is
 * on disk already (same generator version, seed and size, and the files the manifest promises).
 */
export function ensureCorpus(outDirectory: string, glossary: BenchGlossary, statements: number, seed = defaultSeed): CorpusInfo {
	const root = corpusRoot(outDirectory, statements);
	const manifestPath = `${root}.manifest.json`;
	const draftPath = join(root, 'drafts', 'draft.md');
	if (existsSync(manifestPath)) {
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
		if (manifest.generatorVersion === generatorVersion && manifest.seed === seed && manifest.statements === statements) {
			const files = listFiles(root);
			const bytes = files.reduce((sum, file) => sum + file.size, 0);
			if (files.length === manifest.files && bytes === manifest.bytes) {
				return { root, statements, files: files.length, bytes, draftPath, draftBytes: manifest.draftBytes, generated: false, generationMs: 0 };
			}
		}
	}
	const started = performance.now();
	rmSync(root, { recursive: true, force: true });
	rmSync(manifestPath, { force: true });
	let bytes = writeStatements(root, glossary, seed, 0, statements);
	const draft = generateDraft(glossary, seed, draftBytes);
	mkdirSync(dirname(draftPath), { recursive: true });
	writeFileSync(draftPath, draft);
	const draftSize = Buffer.byteLength(draft);
	bytes += draftSize;
	const manifest: Manifest = { generatorVersion, seed, statements, files: statements + 1, bytes, draftBytes: draftSize };
	writeFileSync(manifestPath, JSON.stringify(manifest, null, '\t') + '\n');
	return { root, statements, files: statements + 1, bytes, draftPath, draftBytes: draftSize, generated: true, generationMs: performance.now() - started };
}
