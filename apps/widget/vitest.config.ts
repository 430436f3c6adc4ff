import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  // compiles the components for the component tests (src/components/__tests__, in happy-dom)
  plugins: [svelte()],
  test: {
    name: 'widget',
    environment: 'node',
    include: ['src/**/__tests__/*.test.ts', 'e2e/**/*.test.ts'],
    // the script-tag build, once for all the browser test files
    globalSetup: ['e2e/globalSetup.ts'],
    // a real browser against a real server, on a busy 2-core machine
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
