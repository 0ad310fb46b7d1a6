// Settings in force: the editor's `policyLens.*` settings, with the project configuration file
// (policy-lens.config.json) taking precedence for the fields it sets, so the editor and the
// CLI check a project alike.
import { isAbsolute, resolve } from 'node:path';
import type { CheckOptions } from '../core/checks';
import type { ProjectConfig } from '../core/config';
import { isFindingCode, type FindingCode, type SeveritySetting } from '../core/findings';
import { defaultSettings, type Settings } from '../protocol';

const severities = new Set(['off', 'hint', 'information', 'warning', 'error']);

/** Reads the editor's settings, dropping values of the wrong type rather than failing. */
export function mergeSettings(value: Partial<Settings> | undefined): Settings {
	if (!value) return defaultSettings;
	const strings = (list: unknown, fallback: readonly string[]): readonly string[] =>
		Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : fallback;
	const checks: Record<string, string> = {};
	if (value.checks && typeof value.checks === 'object') {
		for (const [code, severity] of Object.entries(value.checks)) if (isFindingCode(code) && severities.has(severity)) checks[code] = severity;
	}
	return {
		include: strings(value.include, defaultSettings.include),
		exclude: strings(value.exclude, defaultSettings.exclude),
		glossaryFiles: strings(value.glossaryFiles, defaultSettings.glossaryFiles),
		maxFileSizeMB: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB : defaultSettings.maxFileSizeMB,
		useBuiltInCorpus: typeof value.useBuiltInCorpus === 'boolean' ? value.useBuiltInCorpus : defaultSettings.useBuiltInCorpus,
		checks,
		checkStatements: typeof value.checkStatements === 'boolean' ? value.checkStatements : defaultSettings.checkStatements,
		documentDate: typeof value.documentDate === 'string' ? value.documentDate : defaultSettings.documentDate,
	};
}

/** Applies a project configuration found in `folder`; its paths are relative to that folder. */
export function applyProjectConfig(settings: Settings, config: ProjectConfig | undefined, folder: string): Settings {
	if (!config) return settings;
	const absolute = (path: string) => (isAbsolute(path) ? path : resolve(folder, path));
	return {
		...settings,
		include: config.include ?? settings.include,
		exclude: config.exclude ?? settings.exclude,
		glossaryFiles: config.glossaryFiles ? config.glossaryFiles.map(absolute) : settings.glossaryFiles,
		checks: { ...(config.checks ?? {}), ...settings.checks },
		checkStatements: config.checkStatements ?? settings.checkStatements,
		documentDate: config.documentDate ?? settings.documentDate,
	};
}

export function checkOptionsOf(settings: Settings, today: string): CheckOptions {
	return {
		severities: settings.checks as Partial<Record<FindingCode, SeveritySetting>>,
		documentDate: settings.documentDate || undefined,
		today,
	};
}
