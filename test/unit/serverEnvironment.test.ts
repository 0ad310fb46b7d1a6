import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { serverEnvironment } from '../../client/src/serverEnvironment';

test('the server environment leaves out NODE_EXTRA_CA_CERTS and keeps the rest', () => {
	const given = { PATH: '/usr/bin', LANG: 'ja_JP.UTF-8', HTTPS_PROXY: 'http://proxy:8080', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/corporate.pem' };
	const environment = serverEnvironment(given);
	assert.deepEqual(environment, { PATH: '/usr/bin', LANG: 'ja_JP.UTF-8', HTTPS_PROXY: 'http://proxy:8080' });
	// The extension host's own environment is not changed.
	assert.equal(given.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/corporate.pem');
});

test('Node acts on NODE_EXTRA_CA_CERTS at start, and not when started with the server environment', () => {
	// A file that does not exist: Node warns as it starts, before any of the program's code runs.
	const given = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/extra-certificates.pem' };
	const start = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['-e', ''], { env, encoding: 'utf8' });
	const plain = start(given);
	assert.match(plain.stderr, /extra-certificates\.pem/);
	const filtered = start(serverEnvironment(given));
	assert.equal(filtered.status, 0);
	assert.doesNotMatch(filtered.stderr, /extra-certificates\.pem/);
});
