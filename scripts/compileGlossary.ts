// Build step: parse the shipped glossary once into dist/builtin-glossary.json (see
// server/src/node/builtInGlossary.ts). Usage: node <bundle> <data folder> <output folder>.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileGlossary, compiledGlossaryFileName } from '../server/src/node/builtInGlossary';

const [dataFolder, outputFolder] = process.argv.slice(2);
if (!dataFolder || !outputFolder) throw new Error('usage: compileGlossary <data folder> <output folder>');
const folder = join(dataFolder, 'glossary');
const files = readdirSync(folder)
	.filter((name) => /\.(ya?ml|json)$/.test(name))
	.sort()
	.map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
writeFileSync(join(outputFolder, compiledGlossaryFileName), compileGlossary(files));
