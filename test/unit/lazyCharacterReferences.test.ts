// The bundles' decodeNamedCharacterReference (scripts/build.mjs aliases the package to it): the
// package's answers, with the table of entities made when first needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { characterEntities } from 'character-entities';
import { decodeNamedCharacterReference as original } from 'decode-named-character-reference';
import { decodeNamedCharacterReference } from '../../server/src/node/lazyCharacterReferences';

test('named character references decode as the package decodes them', () => {
	const names = [...Object.keys(characterEntities), 'notanentity', '', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'AMP', 'amp', 'copy', 'Copy', '#169', '#x26'];
	assert.ok(names.length > 2000);
	for (const name of names) assert.equal(decodeNamedCharacterReference(name), original(name), name);
	assert.equal(decodeNamedCharacterReference('copy'), '\u00a9');
});
