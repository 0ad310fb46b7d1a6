// The build's precompiled built-in glossary (server/src/node/builtInGlossary.ts): its trie is the
// one the shipped files build, it is used only when every file is the one it was compiled from,
// and a workspace glossary file puts it out of use.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GlossarySet } from '../../server/src/core/glossarySet';
import { buildLexicon, recognize, trieFromJson, trieToJson } from '../../server/src/core/recognizer';
import { compileGlossary, loadBuiltInGlossaryFiles } from '../../server/src/node/builtInGlossary';
import { glossaryFingerprint } from '../../server/src/node/indexCache';
import { dataDirectory, shippedLexicon } from '../support/shippedGlossary';

const folder = mkdtempSync(join(tmpdir(), 'policy-lens-compiled-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const sample = 'JAXA, NASA and the Japan Aerospace Exploration Agency cited Article V of the Japan-U.S. Security Treaty, the Outer Space Treaty, QZSS, MEXT and 宇宙航空研究開発機構.';

/** The shipped glossary files copied to a folder of their own, compiled as the build compiles them. */
function compiledCopy(name: string): { paths: string[]; compiledPath: string } {
	const glossaryFolder = join(folder, name);
	mkdirSync(glossaryFolder, { recursive: true });
	const names = readdirSync(join(dataDirectory, 'glossary')).filter((file) => /\.ya?ml$/.test(file)).sort();
	for (const file of names) copyFileSync(join(dataDirectory, 'glossary', file), join(glossaryFolder, file));
	const compiledPath = join(glossaryFolder, 'compiled.json');
	writeFileSync(compiledPath, compileGlossary(names.map((file) => ({ name: file, text: readFileSync(join(glossaryFolder, file), 'utf8') }))));
	return { paths: names.map((file) => join(glossaryFolder, file)), compiledPath };
}

test('a trie written as JSON and read back recognizes what the built one does', () => {
	const built = shippedLexicon();
	const read = buildLexicon(built.glossary, trieFromJson(JSON.parse(JSON.stringify(trieToJson(built.trie)))));
	assert.deepEqual(Array.from(read.trie.cells), Array.from(built.trie.cells));
	assert.deepEqual(Array.from(read.trie.symbols), Array.from(built.trie.symbols));
	assert.deepEqual(recognize(sample, read), recognize(sample, built));
	assert.ok(recognize(sample, built).length >= 8);
});

test('the compiled trie is used for the built-in files, and recognizes what building does', async () => {
	const { paths, compiledPath } = compiledCopy('current');
	const { files, trie, fingerprint } = loadBuiltInGlossaryFiles(paths, compiledPath);
	assert.ok(trie, 'every file matched its compiled copy');
	// The cells travel as base64 of their bytes, and read back as built.
	assert.deepEqual(Array.from(trie.cells), Array.from(shippedLexicon().trie.cells));
	// The build's fingerprint is the one the glossary these files give has, wherever they are.
	assert.equal(fingerprint, glossaryFingerprint(shippedLexicon().glossary));
	const withTrie = new GlossarySet();
	const without = new GlossarySet();
	for (const { file } of files) {
		withTrie.addBuiltInFile(file);
		without.addBuiltInFile(file);
	}
	withTrie.useBuiltInTrie(trie);
	assert.equal(withTrie.lexicon.trie, trie);
	assert.deepEqual(recognize(sample, withTrie.lexicon), recognize(sample, without.lexicon));
	// A workspace file changes the glossary in force: the trie is built for it instead.
	const update = withTrie.updateWorkspaceFile('file:///workspace/glossary.yaml', 'entries:\n  - id: x.xqz\n    kind: agency\n    name: Xenon Quartz Zone\n    acronyms: [XQZ]\n    country: Japan\n    description: A test agency.\n');
	assert.deepEqual(update, { problems: [], changed: true });
	assert.notEqual(withTrie.lexicon.trie, trie);
	assert.equal(recognize('The XQZ met.', withTrie.lexicon).length, 1);
});

test('a built-in file changed since the build is parsed, and the compiled trie is not used', async () => {
	const { paths, compiledPath } = compiledCopy('changed');
	writeFileSync(paths[0]!, `${readFileSync(paths[0]!, 'utf8')}\n`);
	const { files, trie, fingerprint } = loadBuiltInGlossaryFiles(paths, compiledPath);
	assert.equal(trie, undefined);
	assert.equal(fingerprint, undefined);
	assert.equal(files.length, paths.length);
	assert.deepEqual(files.flatMap(({ file }) => file.problems), []);
});

test('compiled cells that are not whole cells leave the compiled trie out of use', () => {
	const { paths, compiledPath } = compiledCopy('cut-cells');
	const compiled = JSON.parse(readFileSync(compiledPath, 'utf8')) as { trie: { cells: string } };
	const bytes = Buffer.from(compiled.trie.cells, 'base64');
	compiled.trie.cells = bytes.subarray(0, bytes.length - 1).toString('base64');
	writeFileSync(compiledPath, JSON.stringify(compiled));
	const { files, trie, fingerprint } = loadBuiltInGlossaryFiles(paths, compiledPath);
	assert.equal(trie, undefined);
	assert.equal(fingerprint, undefined);
	// The files' entries still come from the compiled copy, which matched them.
	assert.deepEqual(files.flatMap(({ file }) => file.problems), []);
	assert.ok(files.every(({ file }) => file.entities.length > 0));
});
