// Lint rules that keep the architecture honest: the core stays pure (no protocol, no file
// system), so it runs alike in the server, the CLI, a worker thread and unit tests.
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'dist-test/**', 'node_modules/**', '.vscode-test/**', 'bench/out/**'] },
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['server/src/core/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', {
				paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'],
				patterns: [{ group: ['vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'], message: 'The core is pure: convert to protocol types in server/src/lsp.' }],
			}],
		},
	},
);
