// Custom messages between the Policy Lens client and server, declared once for both sides.
// Plain method names and payload types: neither side's library is imported here.

/** Sent by the server whenever indexing makes progress or finishes. */
export const indexStateNotification = 'policyLens/indexState';

export interface IndexState {
	/** `indexing` while files are being read; `ready` when the index is complete. */
	readonly state: 'indexing' | 'ready';
	/** Statements (documents in the database's format) in the index. */
	readonly statements: number;
	/** All documents in the index, statements and drafts. */
	readonly documents: number;
	/** Entities in the glossary in force. */
	readonly entities: number;
	/** While indexing: files done and files found so far. */
	readonly done: number;
	readonly total: number;
	/**
	 * Once ready: whether the corpus-wide tables are built for the index as it is. They are built
	 * a few milliseconds at a time after it becomes ready; questions asked before are answered by
	 * walking the documents, more slowly for the commonest names.
	 */
	readonly tablesReady?: boolean;
}

/** The settings under `policyLens.` that the server reads. */
export interface Settings {
	readonly include: readonly string[];
	readonly exclude: readonly string[];
	readonly glossaryFiles: readonly string[];
	readonly maxFileSizeMB: number;
	readonly useBuiltInCorpus: boolean;
	/** Severity per check code (`off`, `hint`, `information`, `warning`, `error`). */
	readonly checks: Readonly<Record<string, string>>;
	/** Whether statement files are checked too; by default only drafts are. */
	readonly checkStatements: boolean;
	/** The date (ISO 8601) to judge names by in drafts that give none; empty for today. */
	readonly documentDate: string;
}

export const defaultSettings: Settings = {
	include: ['**/*.txt', '**/*.md'],
	exclude: ['**/node_modules/**', '**/.git/**'],
	glossaryFiles: ['policy-lens.glossary.yaml'],
	maxFileSizeMB: 5,
	useBuiltInCorpus: true,
	checks: {},
	checkStatements: false,
	documentDate: '',
};

/** Commands the server executes (`workspace/executeCommand`). */
export const serverCommands = {
	/** Arguments: the acronym, the URI of the document it was found in. Adds it to the workspace glossary. */
	addToGlossary: 'policyLens.addToGlossary',
	/** Arguments: a document URI. Returns the Markdown table of abbreviations of that document. */
	abbreviationTable: 'policyLens.server.abbreviationTable',
	/** No arguments. Checks every draft in the workspace; returns a `CheckWorkspaceResult`. */
	checkWorkspace: 'policyLens.server.checkWorkspace',
} as const;

export interface CheckWorkspaceResult {
	readonly files: number;
	readonly findings: number;
}

/** What the client passes as `initializationOptions`. */
export interface InitializationOptions {
	/** Settings to use before (or instead of) `workspace/configuration`. */
	readonly settings?: Partial<Settings>;
	/**
	 * A folder the server may keep its index cache in (VS Code: the extension's workspace storage).
	 * Without one, every start indexes from scratch.
	 */
	readonly cacheDirectory?: string;
}

/**
 * Request (no params): how long the server spent inside its request handlers since the last call,
 * in milliseconds per method. Used by `npm run bench` to separate the server's own time from the
 * transport's. The server clears its record on each call.
 */
export const serverTimingsRequest = 'policyLens/serverTimings';

export interface ServerTimings {
	readonly [method: string]: readonly number[];
}
