// The `policy-lens` command (dist/cli.js): starts the Markdown worker thread when the command line
// names a long Markdown file, then loads and runs the CLI (dist/cli-main.js, bundled from
// main.ts). It is kept small so that the thread starts before the CLI's bundle, over a megabyte,
// is read and compiled.
import { startEarlyMarkdownThread } from './earlyMarkdownThread';

startEarlyMarkdownThread(process.argv.slice(2));
// A separate bundle beside this one (external to this bundle in scripts/build.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./cli-main.js') as typeof import('./main')).main();
