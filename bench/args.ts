// The command line of `npm run bench`. Hand-parsed: a handful of flags, and the harness should
// not pull a dependency the project does not otherwise have in the bench's path.

export const caseNames = ['tiny-files', 'huge-file', 'mass-change', 'many-definitions', 'bad-cache'] as const;
export type CaseName = (typeof caseNames)[number];

export interface BenchArgs {
	readonly statements: number;
	readonly scaling: boolean;
	readonly cases: readonly CaseName[];
	readonly out?: string;
	readonly skipReferences: boolean;
	readonly positions: number;
	readonly seed?: number;
	/** Profile the server processes (node --cpu-prof) into bench/out/profiles. */
	readonly cpuProfile: boolean;
	/** Run the measured processes in the harness's environment as it is (see `measuredEnvironment`). */
	readonly keepEnvironment: boolean;
	readonly help: boolean;
}

export const usage = `Usage: npm run bench -- [options]   (or: node --import tsx bench/run.ts [options])

Generates a synthetic corpus (bench/out/corpus-N), starts dist/server.js over stdio as an editor
would, and prints the figures of the issue's targets; writes them as JSON too.

Options:
  --statements N      statements in the corpus (default 10000; 1000 and 50000 are the other sizes)
  --scaling           run 1000, 10000 and 50000 statements and report how time and memory grow
  --case NAME         a heavy or bad input instead of the main run: ${caseNames.join(', ')}, or all
  --out FILE          the JSON result (default bench/out/results-<statements>.json)
  --skip-references   do not time ripgrep, textlint + prh and cspell
  --positions N       positions for the hover/definition/references latencies (default 1000)
  --seed N            seed of the corpus and the positions (default 20240827)
  --cpu-prof          run the server under node --cpu-prof; profiles go to bench/out/profiles
                      (open them in Chrome DevTools; profiling slows the server, so the
                      figures of such a run are not comparable)
  --keep-environment  run the measured processes in this environment as it is; by default
                      NODE_EXTRA_CA_CERTS is left out (Node parses that file at every start)
  -h, --help          print this help

Needs dist/ (npm run build). The reference tools: ripgrep from apt (apt-get install ripgrep),
textlint + textlint-rule-prh and cspell from npm into a cache (bash bench/setup.sh).`;

function positiveInteger(flag: string, value: string | undefined): number {
	const number = Number(value);
	if (value === undefined || !/^\d+$/.test(value) || number <= 0) throw new Error(`${flag} needs a positive whole number, e.g. ${flag} 1000.`);
	return number;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
	let statements = 10000;
	let scaling = false;
	const cases: CaseName[] = [];
	let out: string | undefined;
	let skipReferences = false;
	let positions = 1000;
	let seed: number | undefined;
	let cpuProfile = false;
	let keepEnvironment = false;
	let help = false;
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index]!.split(/=(.*)/s, 2) as [string, string | undefined];
		const value = () => inline ?? argv[++index];
		switch (flag) {
			case '--statements': statements = positiveInteger(flag, value()); break;
			case '--scaling': scaling = true; break;
			case '--case': {
				const name = value();
				if (name === 'all') cases.push(...caseNames);
				else if ((caseNames as readonly string[]).includes(name ?? '')) cases.push(name as CaseName);
				else throw new Error(`--case needs one of ${caseNames.join(', ')} or all${name ? `, not "${name}"` : ''}.`);
				break;
			}
			case '--out': {
				out = value();
				if (!out) throw new Error('--out needs a file name.');
				break;
			}
			case '--skip-references': skipReferences = true; break;
			case '--positions': positions = positiveInteger(flag, value()); break;
			case '--seed': seed = positiveInteger(flag, value()); break;
			case '--cpu-prof': cpuProfile = true; break;
			case '--keep-environment': keepEnvironment = true; break;
			case '-h':
			case '--help': help = true; break;
			default: throw new Error(`Unknown option ${flag}.`);
		}
	}
	if (scaling && cases.length > 0) throw new Error('--scaling and --case are separate runs; give one of them.');
	return { statements, scaling, cases: [...new Set(cases)], ...(out !== undefined && { out }), skipReferences, positions, ...(seed !== undefined && { seed }), cpuProfile, keepEnvironment, help };
}
