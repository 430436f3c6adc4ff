// The test projects of the workspace: one per package and app, each with its own
// vitest.config.ts (defineProject). The root vitest.config.ts passes this list to
// `test.projects`.
export default ['packages/*', 'apps/*']
