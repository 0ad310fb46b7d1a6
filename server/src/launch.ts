// The server's command (dist/server.js), which editors start: sets how V8's heap grows, then
// loads the server (dist/server-main.js, bundled from main.ts) with V8's code cache
// (dist/server-main.cache, which the build makes). Compiling the bundle's megabyte of code is a
// large part of a start; the flags are set first because V8 takes a code cache only under the
// flags it was made with. No index worker starts here: at a warm start the server walks the
// folders itself (see `startFirstWalk` in lsp/server.ts), and a worker booting meanwhile only
// took the processor from the start.
import { join } from 'node:path';
import { loadWithCodeCache } from './node/codeCache';
import { useBuildingHeapGrowth } from './node/heapGrowth';

useBuildingHeapGrowth();
loadWithCodeCache(join(__dirname, 'server-main.js'), join(__dirname, 'server-main.cache'), 'loaded');
