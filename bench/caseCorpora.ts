// Inputs for the heavy and bad cases (bench/cases.ts): the files only, no measuring. Each case
// workspace sits in bench/out/case-<name>/, with a manifest beside it so an unchanged one is
// reused (100,000 files take a while to write).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateStatement, generatorVersion, listFiles, writeStatements } from './corpus';
import type { BenchGlossary } from './glossary';
import { englishTopics } from './prose';
import { createRandom, deriveSeed, type Random } from './random';

export interface CaseWorkspace {
	readonly root: string;
	/** Statement files in the workspace (what a correct index counts, before the built-in corpus). */
	readonly statements: number;
	readonly files: number;
	readonly bytes: number;
	readonly generated: boolean;
}

/**
 * The workspace `root`, built by `build` unless the manifest beside it has the same `key` and
 * the files it promises. `build` returns the number of statement files it wrote.
 */
export function ensureWorkspace(root: string, key: string, build: (root: string) => number, reuse = true): CaseWorkspace {
	const manifestPath = `${root}.manifest.json`;
	const fullKey = `${generatorVersion}:${key}`;
	if (reuse && existsSync(manifestPath)) {
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { key: string; statements: number; files: number; bytes: number };
		if (manifest.key === fullKey) {
			const files = listFiles(root);
			const bytes = files.reduce((sum, file) => sum + file.size, 0);
			if (files.length === manifest.files && bytes === manifest.bytes) return { root, statements: manifest.statements, files: files.length, bytes, generated: false };
		}
	}
	rmSync(root, { recursive: true, force: true });
	rmSync(manifestPath, { force: true });
	mkdirSync(root, { recursive: true });
	const statements = build(root);
	const files = listFiles(root);
	const bytes = files.reduce((sum, file) => sum + file.size, 0);
	writeFileSync(manifestPath, JSON.stringify({ key: fullKey, statements, files: files.length, bytes }, null, '\t') + '\n');
	return { root, statements, files: files.length, bytes, generated: true };
}

function write(path: string, text: string): void {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}

/** 100,000 statements of a few hundred bytes each: the per-file costs, with little text. */
export function buildTinyFiles(glossary: BenchGlossary, seed: number, count: number) {
	return (root: string): number => {
		writeStatements(root, glossary, seed, 0, count, { minBytes: 200, maxBytes: 600 });
		return count;
	};
}

export const hugeFileName = 'SYN_20240101_999999.D1E.txt';

/** A few hundred ordinary statements and one statement of `megabytes` MB, over the server's size limit. */
export function buildHugeFile(glossary: BenchGlossary, seed: number, ordinary: number, megabytes: number) {
	return (root: string): number => {
		writeStatements(root, glossary, seed, 0, ordinary);
		// A real header, then the bodies of other generated statements until the size is reached.
		const first = generateStatement(glossary, seed, 1000000).text;
		const blocks: string[] = [first];
		let bytes = Buffer.byteLength(first);
		for (let index = 1000001; bytes < 1048576; index++) {
			const text = generateStatement(glossary, seed, index).text;
			const body = text.slice(text.indexOf('[Full text]') + '[Full text]'.length);
			blocks.push(body);
			bytes += Buffer.byteLength(body);
		}
		const block = blocks.join('\n');
		const body = block.slice(block.indexOf('[Full text]') + '[Full text]'.length);
		const bodyBytes = Buffer.byteLength(body);
		const repeated = [block];
		for (let total = Buffer.byteLength(block); total < megabytes * 1048576; total += bodyBytes) repeated.push(body);
		write(join(root, 'statements', 'huge', hugeFileName), repeated.join('\n'));
		return ordinary;
	};
}

/** Words by initial, to spell out synthetic acronyms so letter matching accepts the definitions. */
const wordsByInitial: Readonly<Record<string, readonly string[]>> = {
	A: ['Advanced', 'Allied'], B: ['Bilateral', 'Border'], C: ['Coastal', 'Civil'], D: ['Digital', 'Defense'], E: ['Energy', 'Emergency'],
	F: ['Federal', 'Fisheries'], G: ['Global', 'Grid'], H: ['Harbor', 'Health'], I: ['Integrated', 'Island'], J: ['Joint', 'Judicial'],
	K: ['Key', 'Kinetic'], L: ['Logistics', 'Lunar'], M: ['Maritime', 'Monitoring'], N: ['National', 'Naval'], O: ['Ocean', 'Orbital'],
	P: ['Pacific', 'Planning'], Q: ['Quality', 'Quantum'], R: ['Regional', 'Research'], S: ['Strategic', 'Satellite'], T: ['Technical', 'Trade'],
	U: ['Unified', 'Urban'], V: ['Vessel', 'Verification'], W: ['Water', 'Weather'], Y: ['Youth', 'Yield'], Z: ['Zonal', 'Zone'],
};
const initials = Object.keys(wordsByInitial);

export interface SyntheticDefinition {
	readonly acronym: string;
	readonly expansion: string;
}

/** `count` acronyms none of which is in the glossary, each with an expansion whose words start with its letters. */
export function syntheticDefinitions(random: Random, count: number, taken: ReadonlySet<string>): SyntheticDefinition[] {
	const seen = new Set(taken);
	const definitions: SyntheticDefinition[] = [];
	while (definitions.length < count) {
		const letters: string[] = [];
		for (let i = random.int(3, 5); i > 0; i--) letters.push(random.pick(initials));
		const acronym = letters.join('');
		if (seen.has(acronym)) continue;
		seen.add(acronym);
		definitions.push({ acronym, expansion: letters.map((letter) => random.pick(wordsByInitial[letter]!)).join(' ') });
	}
	return definitions;
}

export const definitionsFileName = 'SYN_20240101_900000.D1E.txt';
export const usesFileName = 'SYN_20240102_900001.D1E.txt';

/**
 * Ordinary statements, one statement with `count` acronym definitions, and one that uses some of
 * those acronyms without defining them (they must resolve through the corpus's definitions).
 */
export function buildManyDefinitions(glossary: BenchGlossary, seed: number, ordinary: number, count: number) {
	const taken = new Set(glossary.entities.flatMap((entity) => entity.acronyms));
	const definitions = syntheticDefinitions(createRandom(deriveSeed(seed, 'definitions', 0)), count, taken);
	return {
		definitions,
		build: (root: string): number => {
			writeStatements(root, glossary, seed, 0, ordinary);
			const random = createRandom(deriveSeed(seed, 'definitions', 1));
			const header = (title: string, date: string) => [`[Title] ${title}`, '', '[Place] Tokyo', `[Date] ${date}`, '[Source] Synthetic', '[Notes]', '[Full text]', ''];
			const lines = header(`Statement with ${count.toLocaleString('en-US')} acronym definitions`, 'January 1, 2024');
			for (let start = 0, number = 1; start < definitions.length; start += 10, number++) {
				const sentences = definitions.slice(start, start + 10).map(({ acronym, expansion }) => `The ${expansion} (${acronym}) will report on ${random.pick(englishTopics)}.`);
				lines.push(`${number}. ${sentences.join(' ')}`, '');
			}
			// Uses after the definitions, so hovers land on acronyms as well as on definitions.
			lines.push(`${Math.ceil(count / 10) + 1}. Participants: ${definitions.slice(0, 1000).map(({ acronym }) => acronym).join(', ')}.`, '');
			write(join(root, 'statements', 'definitions', definitionsFileName), lines.join('\n'));
			const uses = header('Statement using acronyms defined elsewhere', 'January 2, 2024');
			for (let index = 0; index < 100; index += 5) {
				uses.push(`${index / 5 + 1}. ${definitions.slice(index, index + 5).map(({ acronym }) => `${acronym} will brief partners on ${random.pick(englishTopics)}.`).join(' ')}`, '');
			}
			write(join(root, 'statements', 'definitions', usesFileName), uses.join('\n'));
			return ordinary + 2;
		},
	};
}
