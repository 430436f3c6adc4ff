// The test projects of the workspace: one per package, app and private test project
// (tests/e2e), each with its own vitest.config.ts (defineProject). The root
// vitest.config.ts passes this list to `test.projects`.
export default ['packages/*', 'apps/*', 'tests/*']
