// CLI tests: the bundled dist/cli.js as a child process, as CI would run it, on drafts written to
// a fresh temporary folder per test. `npm test` builds before testing; run
// `node scripts/build.mjs` first when running this file alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as Sarif from 'sarif';
import { URI } from 'vscode-uri';
import { analyzeDocument, computeLineStarts, lineAndCharacterAt } from '../../server/src/core/analysis';
import { checkDocument } from '../../server/src/core/checks';
import { CorpusIndex } from '../../server/src/core/corpusIndex';
import { findingCodes } from '../../server/src/core/findings';
import { GlossarySet } from '../../server/src/core/glossarySet';
import { createResolver } from '../../server/src/core/resolver';
import { builtInDataFiles } from '../../server/src/node/files';
import { version } from '../../package.json';
import type { JsonOutput } from '../../server/src/cli/format';
import { cliV8Flags } from '../../server/src/cli/compilerTiering';
import { loadProject } from '../../server/src/cli/project';

const repositoryRoot = join(__dirname, '..', '..');
const cliPath = join(repositoryRoot, 'dist', 'cli.js');

const cleanDraft = [
	'# Lunar cooperation',
	'',
	'The Japan Aerospace Exploration Agency (JAXA) and the National Aeronautics and Space Administration (NASA) signed an agreement on lunar exploration.',
	'',
	'JAXA and NASA will share data from the mission.',
	'',
].join('\n');

const undefinedAcronymDraft = ['# Launch plans', '', 'Officials said JAXA will launch the probe next year.', ''].join('\n');
/** Where "JAXA" stands in the draft above: line 3, column 16 (1-based). */
const undefinedAcronymPosition = { line: 3, column: 'Officials said '.length + 1 };

const datedDraft = ['---', 'date: 2024-05-01', '---', '', '# Launch plans', '', 'The National Space Development Agency of Japan (NASDA) will launch the probe. NASDA said so.', ''].join('\n');

const statementFile = ['[Title] Joint Statement on Space Cooperation', '[Date] May 1, 2024', '[Full text]', '', 'JAXA will launch the probe next year.', ''].join('\n');

interface CliRun {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** Runs the bundled CLI (or `command`, a copy of it) in `cwd` and resolves when it exits. */
function runCli(cwd: string, args: readonly string[], command = cliPath): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const environment = { ...process.env };
		delete environment.POLICY_LENS_DATA_DIR;
		const child = spawn(process.execPath, [command, ...args], { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

let temporaryRoot: string;
let folderCount = 0;

/** A fresh folder holding `files`, so no test's drafts become another test's corpus. */
function workspace(files: Record<string, string | Uint8Array>): string {
	const folder = join(temporaryRoot, `workspace-${++folderCount}`);
	mkdirSync(folder);
	for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
	return folder;
}

function assertNoStackTrace(run: CliRun): void {
	assert.doesNotMatch(run.stderr, /^\s+at /m, `stderr has a stack trace:\n${run.stderr}`);
}

function assertExit(run: CliRun, expected: number): void {
	assert.equal(run.code, expected, `expected exit ${expected}, got ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

// Each test runs the CLI in its own folder, so they can run side by side, one per core.
describe('policy-lens check', { concurrency: availableParallelism() }, () => {
	before(() => {
		assert.ok(existsSync(cliPath), `${cliPath} is missing: run "node scripts/build.mjs" first (npm test builds before testing).`);
		temporaryRoot = mkdtempSync(join(tmpdir(), 'policy-lens-cli-'));
	});

	after(() => {
		if (temporaryRoot) rmSync(temporaryRoot, { recursive: true, force: true });
	});

	test('a clean draft: exit 0 and a text report saying there are no findings', async () => {
		const folder = workspace({ 'draft.md': cleanDraft });
		const run = await runCli(folder, ['check', 'draft.md']);
		assertExit(run, 0);
		assert.equal(run.stdout, 'No findings in 1 file\n');
		assert.equal(run.stderr, '');
	});

	test('an undefined acronym: exit 1 and a file:line:col line in the text report', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const run = await runCli(folder, ['check', 'draft.md']);
		assertExit(run, 1);
		const lines = run.stdout.trimEnd().split('\n');
		assert.match(lines[0]!, new RegExp(`^draft\\.md:${undefinedAcronymPosition.line}:${undefinedAcronymPosition.column} warning acronym\\.undefined "JAXA" is used without a definition`));
		assert.equal(lines.at(-1), '1 finding (1 warning) in 1 file');
	});

	test('--fail-on error: warnings alone exit 0, and are still reported', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const run = await runCli(folder, ['check', '--fail-on', 'error', 'draft.md']);
		assertExit(run, 0);
		assert.match(run.stdout, /acronym\.undefined/);
	});

	test('--fail-on none exits 0 and --fail-on hint exits 1 on a warning', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		assertExit(await runCli(folder, ['check', '--fail-on', 'none', 'draft.md']), 0);
		assertExit(await runCli(folder, ['check', '--fail-on', 'hint', 'draft.md']), 1);
	});

	test('--format json: the finding with 1-based line and column, and its fix', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const run = await runCli(folder, ['check', '--format', 'json', 'draft.md']);
		assertExit(run, 1);
		const output = JSON.parse(run.stdout) as JsonOutput;
		assert.equal(output.version, 1);
		assert.equal(output.files.length, 1);
		assert.equal(output.files[0]!.file, 'draft.md');
		const finding = output.files[0]!.findings.find((candidate) => candidate.code === 'acronym.undefined');
		assert.ok(finding, 'no acronym.undefined finding');
		assert.equal(finding.severity, 'warning');
		assert.deepEqual(
			{ line: finding.line, column: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
			{ line: 3, column: undefinedAcronymPosition.column, endLine: 3, endColumn: undefinedAcronymPosition.column + 'JAXA'.length },
		);
		assert.equal(finding.fixes.length, 1);
		assert.deepEqual(finding.fixes[0]!.edits, [{ line: 3, column: 16, endLine: 3, endColumn: 20, newText: 'Japan Aerospace Exploration Agency (JAXA)' }]);
		assert.equal(output.summary.findings, 1);
		assert.equal(output.summary.warnings, 1);
	});

	test('--format sarif: SARIF 2.1.0 with a rule per check code and a located result', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const run = await runCli(folder, ['check', '--format', 'sarif', 'draft.md']);
		assertExit(run, 1);
		const log = JSON.parse(run.stdout) as Sarif.Log;
		assert.equal(log.version, '2.1.0');
		assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
		assert.equal(log.runs.length, 1);
		const sarifRun = log.runs[0]!;
		assert.equal(sarifRun.tool.driver.name, 'Policy Lens');
		assert.equal(sarifRun.tool.driver.version, version);
		const rules = sarifRun.tool.driver.rules ?? [];
		assert.deepEqual(rules.map((rule) => rule.id), [...findingCodes]);
		for (const rule of rules) {
			assert.ok(rule.shortDescription?.text, `rule ${rule.id} has no short description`);
			assert.ok(rule.fullDescription?.text, `rule ${rule.id} has no full description`);
			assert.ok(rule.help?.text, `rule ${rule.id} has no help`);
			assert.ok(rule.defaultConfiguration?.level, `rule ${rule.id} has no default level`);
		}
		const result = sarifRun.results?.find((candidate) => candidate.ruleId === 'acronym.undefined');
		assert.ok(result, 'no acronym.undefined result');
		assert.equal(result.level, 'warning');
		assert.equal(rules[result.ruleIndex!]!.id, 'acronym.undefined');
		const location = result.locations![0]!.physicalLocation!;
		assert.equal(location.artifactLocation!.uri, 'draft.md');
		assert.deepEqual(location.region, { startLine: 3, startColumn: 16, endLine: 3, endColumn: 20 });
		const replacement = result.fixes![0]!.artifactChanges[0]!.replacements[0]!;
		assert.deepEqual(replacement.deletedRegion, { startLine: 3, startColumn: 16, endLine: 3, endColumn: 20 });
		assert.equal(replacement.insertedContent?.text, 'Japan Aerospace Exploration Agency (JAXA)');
	});

	test('--output writes the report to the file, prints nothing and leaves no temporary file', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const run = await runCli(folder, ['check', '--format', 'json', '--output', 'report.json', 'draft.md']);
		assertExit(run, 1);
		assert.equal(run.stdout, '');
		assert.equal(run.stderr, '');
		const output = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as JsonOutput;
		assert.equal(output.files[0]!.findings[0]!.code, 'acronym.undefined');
		assert.deepEqual(readdirSync(folder).sort(), ['draft.md', 'report.json']);
	});

	test('a 2024-dated draft naming NASDA: an outdated name, with JAXA as the fix', async () => {
		const folder = workspace({ 'draft.md': datedDraft });
		const run = await runCli(folder, ['check', '--format', 'json', 'draft.md']);
		assertExit(run, 1);
		const output = JSON.parse(run.stdout) as JsonOutput;
		const outdated = output.files[0]!.findings.filter((finding) => finding.code === 'term.outdated-name');
		assert.ok(outdated.length > 0, `no term.outdated-name finding in ${run.stdout}`);
		assert.ok(outdated.every((finding) => finding.message.includes('2024-05-01')), 'the message does not name the front matter date');
		assert.ok(outdated.some((finding) => finding.fixes[0]?.edits[0]?.newText === 'JAXA'), 'no fix to "JAXA"');
	});

	test('exit 2 for an unknown option, with a clear message and no stack trace', async () => {
		const folder = workspace({ 'draft.md': cleanDraft });
		const run = await runCli(folder, ['check', '--bogus', 'draft.md']);
		assertExit(run, 2);
		assert.match(run.stderr, /unknown option '--bogus'/);
		assert.equal(run.stdout, '');
		assertNoStackTrace(run);
	});

	test('exit 2 with no files, or with a bad --format or --fail-on value', async () => {
		const folder = workspace({ 'draft.md': cleanDraft });
		const noFiles = await runCli(folder, ['check']);
		assertExit(noFiles, 2);
		assert.match(noFiles.stderr, /missing required argument 'files'/);
		const badFormat = await runCli(folder, ['check', '--format', 'xml', 'draft.md']);
		assertExit(badFormat, 2);
		assert.match(badFormat.stderr, /Allowed choices are text, json, sarif/);
		const badFailOn = await runCli(folder, ['check', '--fail-on', 'loud', 'draft.md']);
		assertExit(badFailOn, 2);
		assert.match(badFailOn.stderr, /--fail-on/);
		for (const run of [noFiles, badFormat, badFailOn]) assertNoStackTrace(run);
	});

	test('exit 2 when a glob matches nothing; a glob that matches checks what it matches', async () => {
		const folder = workspace({ 'draft.md': cleanDraft });
		const none = await runCli(folder, ['check', 'drafts/**/*.md']);
		assertExit(none, 2);
		assert.match(none.stderr, /^policy-lens: drafts\/\*\*\/\*\.md: no files match this pattern\.$/m);
		assertNoStackTrace(none);
		const some = await runCli(folder, ['check', '*.md']);
		assertExit(some, 0);
		assert.equal(some.stdout, 'No findings in 1 file\n');
	});

	test('exit 2 for a named file that does not exist', async () => {
		const folder = workspace({});
		const run = await runCli(folder, ['check', 'missing.md']);
		assertExit(run, 2);
		assert.match(run.stderr, /^policy-lens: missing\.md: it could not be read \(ENOENT\)$/m);
		assertNoStackTrace(run);
	});

	test('exit 2 for a binary file', async () => {
		const folder = workspace({ 'binary.md': Buffer.from([0x4a, 0x41, 0x58, 0x41, 0x00, 0x01, 0x02, 0x0a]) });
		const run = await runCli(folder, ['check', 'binary.md']);
		assertExit(run, 2);
		assert.match(run.stderr, /^policy-lens: binary\.md: it looks binary \(a NUL byte at offset 4, line 1\)$/m);
		assertNoStackTrace(run);
	});

	test('exit 2 for a file over --max-file-size, naming the limit', async () => {
		const folder = workspace({ 'draft.md': cleanDraft.repeat(20) });
		const run = await runCli(folder, ['check', '--max-file-size', '0.001', 'draft.md']);
		assertExit(run, 2);
		assert.match(run.stderr, /^policy-lens: draft\.md: it is [\d.]+ KB, over the size limit of 1\.0 KB \(option --max-file-size\)$/m);
		assertNoStackTrace(run);
	});

	test('exit 2 for a config with a schema error, naming file, line and column', async () => {
		const config = '{"checks": {"acronym.undefined": "loud"}}';
		const folder = workspace({ 'draft.md': cleanDraft, 'policy-lens.config.json': config });
		const run = await runCli(folder, ['check', 'draft.md']);
		assertExit(run, 2);
		const column = config.indexOf('"loud"') + 1;
		assert.match(run.stderr, new RegExp(`^policy-lens\\.config\\.json:1:${column}: .*must be one of: off, hint, information, warning, error`, 'm'));
		assertNoStackTrace(run);
	});

	test('exit 2 for a --glossary file that does not exist or does not match the schema', async () => {
		const folder = workspace({ 'draft.md': cleanDraft, 'bad.glossary.yaml': 'entries:\n  - id: x\n    kind: nonsense\n' });
		const missing = await runCli(folder, ['check', '--glossary', 'nowhere.yaml', 'draft.md']);
		assertExit(missing, 2);
		assert.match(missing.stderr, /^policy-lens: nowhere\.yaml: it could not be read \(ENOENT\)$/m);
		const invalid = await runCli(folder, ['check', '--glossary', 'bad.glossary.yaml', 'draft.md']);
		assertExit(invalid, 2);
		assert.match(invalid.stderr, /^bad\.glossary\.yaml:\d+:\d+: /m);
		for (const run of [missing, invalid]) assertNoStackTrace(run);
	});

	test('a config that turns acronym.undefined off makes the draft clean', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft, 'policy-lens.config.json': '{ "checks": { "acronym.undefined": "off" } }\n' });
		const run = await runCli(folder, ['check', 'draft.md']);
		assertExit(run, 0);
		assert.equal(run.stdout, 'No findings in 1 file\n');
	});

	test('--config names a config elsewhere; its glossaryFiles are relative to it', async () => {
		const folder = workspace({ 'draft.md': 'The XQZ team met.\n' });
		mkdirSync(join(folder, 'settings'));
		writeFileSync(join(folder, 'settings', 'lens.json'), '{ "glossaryFiles": ["words.yaml"], "checks": { "acronym.unknown": "error" } }\n');
		writeFileSync(join(folder, 'settings', 'words.yaml'), 'ignore: [XQZ]\n');
		const run = await runCli(folder, ['check', '--config', 'settings/lens.json', 'draft.md']);
		assertExit(run, 0);
		assert.equal(run.stdout, 'No findings in 1 file\n');
		const withoutGlossary = await runCli(folder, ['check', 'draft.md', '--fail-on', 'hint']);
		assertExit(withoutGlossary, 1);
		assert.match(withoutGlossary.stdout, /^draft\.md:1:5 hint acronym\.unknown /m);
	});

	test('statement files are checked only with --statements', async () => {
		const folder = workspace({ 'statement.txt': statementFile });
		const skipped = await runCli(folder, ['check', 'statement.txt']);
		assertExit(skipped, 0);
		assert.match(skipped.stdout, /^No findings in 0 files; skipped 1 statement file/m);
		const checked = await runCli(folder, ['check', '--statements', 'statement.txt']);
		assertExit(checked, 1);
		assert.match(checked.stdout, /^statement\.txt:5:1 warning acronym\.undefined /m);
	});

	test('--version prints the package version and --help the usage', async () => {
		const folder = workspace({});
		const versionRun = await runCli(folder, ['--version']);
		assertExit(versionRun, 0);
		assert.equal(versionRun.stdout.trim(), version);
		const help = await runCli(folder, ['check', '--help']);
		assertExit(help, 0);
		assert.match(help.stdout, /Usage: policy-lens check \[options\] <files\.\.\.>/);
		assert.match(help.stdout, /--fail-on <severity>/);
	});

	test('the code cache of the CLI is used when it fits, and a missing, foreign or damaged one changes nothing', async () => {
		const folder = workspace({ 'draft.md': undefinedAcronymDraft });
		const expected = await runCli(folder, ['check', '--format', 'json', 'draft.md']);
		assertExit(expected, 1);
		const accepted = await new Promise<string>((resolve, reject) => {
			const check = 'const fs = require("fs"), vm = require("vm"), m = require("module"); const path = process.argv[1]; const cache = fs.readFileSync(path.replace(/\\.js$/, ".cache")); process.stdout.write(String(new vm.Script(m.wrap(fs.readFileSync(path, "utf8")), { filename: path, cachedData: cache.subarray(20) }).cachedDataRejected));';
			// Under the flags dist/cli.js sets before it loads the bundle: V8 takes a cache only under the flags it was made with.
			const child = spawn(process.execPath, [...cliV8Flags, '-e', check, join(repositoryRoot, 'dist', 'cli-main.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
			let output = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
			child.on('error', reject);
			child.on('close', () => resolve(output));
		});
		assert.equal(accepted, 'false', 'V8 rejects the code cache the build made');

		const copy = join(temporaryRoot, 'copied-cli');
		mkdirSync(join(copy, 'dist'), { recursive: true });
		for (const file of ['cli.js', 'cli-main.js', 'markdownWorker.js', 'builtin-glossary.json']) writeFileSync(join(copy, 'dist', file), readFileSync(join(repositoryRoot, 'dist', file)));
		cpSync(join(repositoryRoot, 'data'), join(copy, 'data'), { recursive: true });
		const cache = readFileSync(join(repositoryRoot, 'dist', 'cli-main.cache'));
		const foreign = Buffer.from(cache);
		foreign[0] = foreign[0]! ^ 0xff;
		for (const [name, content] of [['missing', undefined], ['foreign', foreign], ['damaged', Buffer.concat([cache.subarray(0, 20), Buffer.from('not a code cache')])]] as const) {
			rmSync(join(copy, 'dist', 'cli-main.cache'), { force: true });
			if (content) writeFileSync(join(copy, 'dist', 'cli-main.cache'), content);
			const run = await runCli(folder, ['check', '--format', 'json', 'draft.md'], join(copy, 'dist', 'cli.js'));
			assert.equal(run.code, 1, `${name} cache: ${run.stderr}`);
			assert.equal(run.stdout, expected.stdout, `${name} cache`);
		}
	});

	test('the CLI reports what the core finds: same codes and spans as checkDocument', async () => {
		const draft = [
			'---',
			'date: 2024-05-01',
			'---',
			'',
			'# Cooperation',
			'',
			'JAXA and the National Aeronautics and Space Administration (NASA) met. NASDA attended.',
			'',
			'The Japan Aerospace Exploration Agency (JAXA) agreed, and the National Aeronautics and Space Administration said so.',
			'',
			'The ZQX unit reported on low Earth orbit and low-earth orbit.',
			'',
		].join('\n');
		const { fromCli, fromCore } = await findingsFromCliAndCore(draft);
		assert.ok(fromCore.length >= 3, `the draft should give several findings, got ${fromCore.join(', ')}`);
		assert.deepEqual(fromCli, fromCore);
	});

	test('the bundles are ASCII, their other characters escaped, and a draft in Japanese gives the findings the core gives', async () => {
		// A single other character would make V8 hold the whole source as a two-byte string.
		for (const file of ['server-main.js', 'indexWorker.js', 'cli-main.js', 'markdownWorker.js']) assert.ok(!/[^\x00-\x7f]/.test(readFileSync(join(repositoryRoot, 'dist', file), 'utf8')), `dist/${file} is ASCII`);
		const draft = '# 宇宙協力\n\n宇宙条約第２０条と宇宙条約第三十条は存在しない。宇宙条約第5条は存在する。\n';
		const { fromCli, fromCore } = await findingsFromCliAndCore(draft);
		assert.equal(fromCore.filter((finding) => finding.startsWith('treaty.unknown-article')).length, 2, fromCore.join('\n'));
		assert.deepEqual(fromCli, fromCore);
	});

	test('the Markdown thread\'s bundle leaves the yaml library out, the CLI\'s has it', () => {
		// A Symbol.for key of the yaml library, kept by any build.
		assert.ok(!readFileSync(join(repositoryRoot, 'dist', 'markdownWorker.js'), 'utf8').includes('yaml.document'));
		assert.ok(readFileSync(join(repositoryRoot, 'dist', 'cli-main.js'), 'utf8').includes('yaml.document'));
	});

	test('a long Markdown draft, parsed on the Markdown worker thread, gives the findings the core gives', async () => {
		const blocks = [
			(index: number) => `## Part ${index}\n\nThe ZQX unit and JAXA met on low Earth orbit and low-earth orbit, see [the page](https://example.org/${index}) and \`NASA_${index}\`.\n\n`,
			(index: number) => `<!-- policy-lens-disable-next-line acronym.undefined -->\nNASDA and ESA reported, number ${index}.\n\n> A quote naming JAXA, and www.example.org/JAXA.\n\n`,
			(index: number) => `\`\`\`\nconfiguration JAXA ${index}\n\`\`\`\n\n- The National Aeronautics and Space Administration (NASA) item\n- A second item with <abbr>ESA</abbr>\n\n`,
			() => 'The Japan Aerospace Exploration Agency (JAXA) and the National Space Development Agency of Japan agreed on the programme with many plain words after the names.\n\n',
		];
		let draft = '---\ndate: 2024-05-01\n---\n\n# Long draft\n\n';
		for (let index = 0; draft.length < 100_000; index++) draft += blocks[index % blocks.length]!(index);
		const { fromCli, fromCore } = await findingsFromCliAndCore(draft);
		assert.ok(fromCore.length >= 100, `the draft should give many findings, got ${fromCore.length}`);
		assert.deepEqual(fromCli, fromCore);
	});

	test('a long Markdown draft with CR and CRLF line ends gives the findings the core gives, suppressions on the lines the core counts', async () => {
		// A lone CR ends a line for suppressions (as in LSP), not for the analysis's line starts.
		const unknown = (index: number) => `QX${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + (Math.floor(index / 26) % 26))}`;
		const blocks = [
			(index: number) => `<!-- policy-lens-disable-next-line acronym.unknown -->\r${unknown(index)} is named after a lone CR, with JAXA.\r\n\r\n`,
			(index: number) => `<!-- policy-lens-disable-next-line acronym.unknown -->\r\n${unknown(index)} is named after a CRLF, see [the page](https://example.org/${index}).\r\n\r\n`,
			(index: number) => `${unknown(index)} is named and reported, with \`NASA_${index}\` and low Earth orbit and low-earth orbit.\n\n`,
		];
		let draft = '# Draft with line ends of every kind\r\n\r\n';
		for (let index = 0; draft.length < 70_000; index++) draft += blocks[index % blocks.length]!(index);
		const { fromCli, fromCore } = await findingsFromCliAndCore(draft);
		const reported = fromCore.filter((finding) => finding.startsWith('acronym.unknown')).length;
		assert.ok(reported > 100, `unknown acronyms reported: ${reported}`);
		assert.ok(reported < 600, `some unknown acronyms are suppressed: ${reported} reported`);
		assert.deepEqual(fromCli, fromCore);
	});

	test('says a run is long before it indexes the project\'s own files as corpus, and only then', async () => {
		const folder = workspace({ 'draft.md': 'The JAXA draft.\n', 'other.md': 'NASA and JAXA.\n' });
		const options = { workingDirectory: folder, dataDirectory: join(repositoryRoot, 'data'), extraGlossaryFiles: [], targets: ['draft.md'], maximumBytes: 5 * 1048576 };
		let calls = 0;
		const withCorpus = await loadProject({ ...options, useCorpus: true, beforeCorpus: () => calls++ });
		assert.equal(calls, 1);
		assert.ok(withCorpus.index.get(URI.file(join(folder, 'other.md')).toString()), 'the other file is indexed');
		await loadProject({ ...options, useCorpus: false, beforeCorpus: () => calls++ });
		assert.equal(calls, 1);
		const empty = workspace({ 'notes.json': '{}' });
		await loadProject({ ...options, workingDirectory: empty, targets: [join(folder, 'draft.md')], useCorpus: true, beforeCorpus: () => calls++ });
		assert.equal(calls, 1, 'no project files, no corpus to index');
	});

	test('several long Markdown drafts, all parsed on the Markdown worker thread, each give the findings the core gives', async () => {
		const block = (index: number, acronym: string) => `## Part ${index}\n\nThe ${acronym} unit and JAXA met, see [the page](https://example.org/${index}) and \`NASA_${index}\`.\n\n<!-- policy-lens-disable-next-line acronym.unknown -->\n${acronym}X is new.\n\n`;
		const drafts = ['ZQA', 'ZQB', 'ZQC'].map((acronym) => {
			let draft = `# Draft ${acronym}\n\n`;
			for (let index = 0; draft.length < 70_000; index++) draft += block(index, acronym);
			return draft;
		});
		const folder = workspace({ 'a.md': drafts[0]!, 'b.md': drafts[1]!, 'c.md': drafts[2]! });
		const run = await runCli(folder, ['check', '--no-corpus', '--format', 'json', '--fail-on', 'none', 'a.md', 'b.md', 'c.md']);
		assertExit(run, 0);
		const files = (JSON.parse(run.stdout) as JsonOutput).files;
		assert.deepEqual(files.map((file) => file.file), ['a.md', 'b.md', 'c.md']);
		for (const [index, draft] of drafts.entries()) {
			const { fromCore } = await findingsFromCliAndCore(draft);
			assert.ok(fromCore.length > 0);
			assert.deepEqual(files[index]!.findings.map((finding) => `${finding.code} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn}`), fromCore, `file ${index}`);
		}
	});

	test('a reader that stops reading a long report early ends the run quietly', async () => {
		let draft = '# Long\n\n';
		for (let index = 0; draft.length < 100_000; index++) draft += `QX${index} is new, and so is ZQ${index}.\n\n`;
		const folder = workspace({ 'draft.md': draft });
		const result = await new Promise<{ code: number | null; stderr: string; read: number }>((resolve, reject) => {
			const child = spawn(process.execPath, [cliPath, 'check', '--no-corpus', 'draft.md'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
			let stderr = '';
			let read = 0;
			child.stdout.once('data', (chunk: Buffer) => {
				read = chunk.length;
				child.stdout.destroy();
			});
			child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
			child.on('error', reject);
			child.on('close', (code) => resolve({ code, stderr, read }));
		});
		assert.ok(result.read > 0);
		assert.ok(result.code === 0 || result.code === 1, `exit code ${result.code}: ${result.stderr}`);
		assert.equal(result.stderr, '');
	});
});

/** The findings of `policy-lens check --no-corpus` on `draft`, and those the core gives for the same inputs, as code and range. */
async function findingsFromCliAndCore(draft: string): Promise<{ fromCli: string[]; fromCore: string[] }> {
	const folder = workspace({ 'draft.md': draft });
	const run = await runCli(folder, ['check', '--no-corpus', '--format', 'json', '--fail-on', 'none', 'draft.md']);
	assertExit(run, 0);
	const fromCli = (JSON.parse(run.stdout) as JsonOutput).files[0]!.findings.map((finding) => `${finding.code} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn}`);

	// The same inputs, assembled from the core: the built-in glossary and statements plus the draft.
	const dataDirectory = join(repositoryRoot, 'data');
	const builtIn = await builtInDataFiles(dataDirectory);
	const glossaries = new GlossarySet();
	for (const path of builtIn.glossaries) glossaries.addBuiltIn(URI.file(path).toString(), readFileSync(path, 'utf8'));
	const lexicon = glossaries.lexicon;
	const index = new CorpusIndex();
	for (const path of builtIn.statements) index.set(analyzeDocument(URI.file(path).toString(), readFileSync(path, 'utf8'), lexicon));
	const analysis = analyzeDocument(URI.file(join(folder, 'draft.md')).toString(), draft, lexicon);
	index.set(analysis);
	const result = checkDocument(draft, analysis, 'markdown', { lexicon, resolver: createResolver(() => lexicon, index), options: { today: '2099-01-01' } });
	const lineStarts = computeLineStarts(draft);
	const position = (offset: number) => {
		const { line, character } = lineAndCharacterAt(lineStarts, offset);
		return `${line + 1}:${character + 1}`;
	};
	return { fromCli, fromCore: result.findings.map((finding) => `${finding.code} ${position(finding.span.start)}-${position(finding.span.end)}`) };
}
