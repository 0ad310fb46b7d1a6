// The CLI's text format: one line per finding and per suppression-comment problem, in the order of their offsets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatText, type FileResult } from '../../server/src/cli/format';
import type { Finding } from '../../server/src/core/findings';

const finding = (start: number, message: string): Finding => ({ code: 'acronym.unknown', span: { start, end: start + 2 }, severity: 'warning', message, fixes: [] });

function lines(findings: Finding[], problems: Array<{ start: number; message: string }>): string[] {
	const file: FileResult = { path: 'draft.md', lineStarts: [0, 10, 20, 30], findings, directiveProblems: problems.map(({ start, message }) => ({ span: { start, end: start + 1 }, message })) };
	return formatText({ files: [file], skippedStatements: [] }).trimEnd().split('\n').slice(0, -1);
}

test('the text format lists findings and problems by offset, findings first at one offset, equals in their order', () => {
	assert.deepEqual(lines([finding(3, 'a'), finding(12, 'b'), finding(12, 'c'), finding(25, 'd')], []), [
		'draft.md:1:4 warning acronym.unknown a',
		'draft.md:2:3 warning acronym.unknown b',
		'draft.md:2:3 warning acronym.unknown c',
		'draft.md:3:6 warning acronym.unknown d',
	]);
	assert.deepEqual(lines([finding(3, 'a'), finding(12, 'b'), finding(25, 'd')], [{ start: 12, message: 'p' }, { start: 1, message: 'q' }]), [
		'draft.md:1:2 note suppression-comment q',
		'draft.md:1:4 warning acronym.unknown a',
		'draft.md:2:3 warning acronym.unknown b',
		'draft.md:2:3 note suppression-comment p',
		'draft.md:3:6 warning acronym.unknown d',
	]);
	// Findings given out of order are put in order too.
	assert.deepEqual(lines([finding(25, 'd'), finding(3, 'a'), finding(12, 'b')], []).map((line) => line.slice(-1)), ['a', 'b', 'd']);
});
