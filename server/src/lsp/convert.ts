// The one place where the core's UTF-16 offsets become LSP positions and ranges, and back.
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../core/types';

export function positionAt(lineStarts: readonly number[], offset: number): Position {
	let low = 0;
	let high = lineStarts.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (lineStarts[middle]! <= offset) low = middle;
		else high = middle - 1;
	}
	return { line: low, character: offset - lineStarts[low]! };
}

export function rangeOf(lineStarts: readonly number[], span: Span): Range {
	return { start: positionAt(lineStarts, span.start), end: positionAt(lineStarts, span.end) };
}
