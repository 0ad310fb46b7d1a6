// The project configuration file, policy-lens.config.json, shared by the editor and the CLI.
import schema from '../../../data/config.schema.json';
import { compileSchema, parseDataFile, type DataProblem } from './dataFile';
import type { FindingCode, SeveritySetting } from './findings';

export const projectConfigFileName = 'policy-lens.config.json';

export interface ProjectConfig {
	readonly glossaryFiles?: readonly string[];
	readonly include?: readonly string[];
	readonly exclude?: readonly string[];
	readonly checks?: Partial<Record<FindingCode, SeveritySetting>>;
	readonly checkStatements?: boolean;
	readonly documentDate?: string;
}

/** Compiled on first use: most runs of the CLI find no project file, and compiling takes a start tens of milliseconds. */
let validateConfig: ReturnType<typeof compileSchema> | undefined;

export function parseProjectConfig(uri: string, text: string): { config: ProjectConfig | undefined; problems: readonly DataProblem[] } {
	validateConfig ??= compileSchema(schema);
	const parsed = parseDataFile<ProjectConfig>(uri, text, validateConfig);
	return { config: parsed.data, problems: parsed.problems };
}
