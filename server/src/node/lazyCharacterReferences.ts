// What `decode-named-character-reference` resolves to in the bundles (scripts/build.mjs): the same
// function, over the same table (`character-entities`), but the table of 2,200 HTML entities is
// made when a named reference (`&copy;`) is first looked up rather than when the bundle loads,
// which took the Markdown thread 6 ms of its start; most drafts have no such reference.
import type { characterEntities as CharacterEntities } from 'character-entities';

let table: typeof CharacterEntities | undefined;

export function decodeNamedCharacterReference(value: string): string | false {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when first needed, in the bundle
	table ??= (require('character-entities') as { characterEntities: typeof CharacterEntities }).characterEntities;
	return Object.prototype.hasOwnProperty.call(table, value) ? table[value]! : false;
}
