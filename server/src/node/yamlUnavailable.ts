// What `yaml` resolves to in the Markdown thread's bundle (scripts/build.mjs): the thread leaves
// the front matter's YAML to the calling thread (`analyzeMarkdownLeavingFrontMatter`), and without
// the library, 260 KB of its half-megabyte bundle, it loads 8 ms sooner.
throw new Error('The yaml library is not in the Markdown thread: the front matter is read by the thread that asked (withFrontMatter).');
