// The glossary in force: the built-in files plus the workspace's own, merged in that order.
// A workspace file with problems keeps its last good version in force, so a typo in the
// glossary never takes recognition away while the user is fixing it.
import { mergeGlossaries, parseGlossaryFile, type GlossaryFile, type GlossaryProblem } from './glossary';
import { buildLexicon, type Lexicon, type Trie } from './recognizer';

export class GlossarySet {
	private readonly builtIn: GlossaryFile[] = [];
	private readonly workspace = new Map<string, GlossaryFile>();
	private cachedLexicon: Lexicon | undefined;
	/** The trie the built-in files build, made ahead (by the build); used while no workspace file is in force. */
	private builtInTrie: Trie | undefined;

	/** Adds a built-in file; its problems are returned for logging (shipped data is tested, so there should be none). */
	addBuiltIn(uri: string, text: string): readonly GlossaryProblem[] {
		return this.addBuiltInFile(parseGlossaryFile(uri, text));
	}

	/** Adds a built-in file parsed elsewhere (the build's precompiled copy). */
	addBuiltInFile(file: GlossaryFile): readonly GlossaryProblem[] {
		if (file.problems.length === 0) {
			this.builtIn.push(file);
			this.cachedLexicon = undefined;
			this.builtInTrie = undefined;
		}
		return file.problems;
	}

	/**
	 * Reads a workspace glossary file's new text. Returns its problems and whether the glossary
	 * in force changed (it does not when the file has problems: the last good version stays).
	 */
	updateWorkspaceFile(uri: string, text: string): { problems: readonly GlossaryProblem[]; changed: boolean } {
		const file = parseGlossaryFile(uri, text);
		if (file.problems.length) return { problems: file.problems, changed: false };
		this.workspace.set(uri, file);
		this.cachedLexicon = undefined;
		return { problems: [], changed: true };
	}

	removeWorkspaceFile(uri: string): boolean {
		const removed = this.workspace.delete(uri);
		if (removed) this.cachedLexicon = undefined;
		return removed;
	}

	workspaceFiles(): string[] {
		return [...this.workspace.keys()];
	}

	/** The trie the built-in files added so far build, made ahead; forgotten when another built-in file is added. */
	useBuiltInTrie(trie: Trie | undefined): void {
		this.builtInTrie = trie;
		this.cachedLexicon = undefined;
	}

	get lexicon(): Lexicon {
		this.cachedLexicon ??= buildLexicon(mergeGlossaries([...this.builtIn, ...this.workspace.values()]), this.workspace.size === 0 ? this.builtInTrie : undefined);
		return this.cachedLexicon;
	}
}
