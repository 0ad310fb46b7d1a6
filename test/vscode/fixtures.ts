// Workspace fixtures shared by the protocol tests and the in-editor tests: our own text.
export const workspaceStatement = `[Title] Joint Press Release on Ocean Science
[Date] May 12, 2023
[Source] Test Ministry of Our Own Making
[Full text]

The two governments launched the Coastal Drift Observation Network (CDON) this spring.

Both sides will share CDON data openly.
`;

/** A workspace glossary with one schema error: `widget` is not a kind. */
export const brokenGlossary = `entries:
  - id: ws.widget
    kind: widget
    name: Widget Council
    description: A body of our own making for this test.
`;
