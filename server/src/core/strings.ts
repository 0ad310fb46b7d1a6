// Strings kept beyond the text they were cut from.

/**
 * `text` in storage of its own. V8 keeps a substring of 13 or more characters as a view into
 * the string it was cut from, so a definition's expansion or a Markdown chunk's source, kept
 * from one version of a draft to the next by the incremental analysis, would otherwise keep
 * that whole version's text alive: a megabyte or two per edit, for as long as the piece is
 * reused. Concatenating makes a new string, and slicing it flattens that into fresh storage
 * one character longer than `text`.
 */
export function ownCopy(text: string): string {
	return text.length < 13 ? text : (' ' + text).slice(1);
}
