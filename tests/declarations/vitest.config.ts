import { defineProject } from 'vitest/config'

// The built packages as users get them (no `@rapport/source` condition): what their
// declarations promise against what their ESM and CJS builds hold. The global setup
// builds the packages whose dist is missing or older than their sources.
export default defineProject({
  test: {
    name: 'declarations',
    globalSetup: ['./src/buildPackages.ts'],
    testTimeout: 60_000,
  },
})
