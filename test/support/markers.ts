// Fixture markers shared by the data-driven tests: «…» around an expected span, | for a cursor.
import type { Span } from '../../server/src/core/types';

/** Strips «…» markers and returns the plain text with the spans they enclosed, in order. */
export function parseSpanMarkers(marked: string): { text: string; spans: Span[] } {
	const spans: Span[] = [];
	let text = '';
	let open = -1;
	for (const character of marked) {
		if (character === '«') open = text.length;
		else if (character === '»') {
			spans.push({ start: open, end: text.length });
			open = -1;
		} else text += character;
	}
	return { text, spans };
}

/** Strips a single | cursor marker and returns the text and the cursor's offset. */
export function parseCursor(marked: string): { text: string; offset: number } {
	const offset = marked.indexOf('|');
	if (offset === -1) throw new Error(`The fixture has no | cursor: ${marked}`);
	return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
