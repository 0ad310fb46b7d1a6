// The `policy-lens` command (dist/cli.js): sets V8's flags for a short run, starts the Markdown
// worker thread when the command line names a long Markdown file, then loads and runs the CLI
// (dist/cli-main.js, bundled from main.ts). It is kept small so that the thread starts before the
// CLI's bundle, over a megabyte, is read and compiled, and it compiles that bundle with V8's code
// cache when the build made one.
import { join } from 'node:path';
import { loadWithCodeCache } from '../node/codeCache';
import { useCliV8Flags } from './compilerTiering';
import { startEarlyMarkdownThread } from './earlyMarkdownThread';

type Cli = typeof import('./main');

// First: V8 takes the code cache only under the flags it was made with, and the thread takes them as it starts.
useCliV8Flags();
startEarlyMarkdownThread(process.argv.slice(2));
// The cache is written at exit (by the build's check of a sample draft): it then holds the functions a check compiles.
loadWithCodeCache<Cli>(join(__dirname, 'cli-main.js'), join(__dirname, 'cli-main.cache'), 'exit').main();
