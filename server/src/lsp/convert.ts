// The one place where the core's UTF-16 offsets become LSP positions and ranges, and back.
import type { Position, Range } from 'vscode-languageserver';
import { lineAndCharacterAt, lineIndexAt } from '../core/analysis';
import type { Span } from '../core/types';

export { lineIndexAt };

export function positionAt(lineStarts: ArrayLike<number>, offset: number): Position {
	return lineAndCharacterAt(lineStarts, offset);
}

export function rangeOf(lineStarts: ArrayLike<number>, span: Span): Range {
	return { start: positionAt(lineStarts, span.start), end: positionAt(lineStarts, span.end) };
}
