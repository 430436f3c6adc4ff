import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  // compiles the test components (.svelte) and rune modules (.svelte.ts)
  plugins: [svelte()],
  test: {
    name: 'svelte',
    include: ['test/**/*.test.ts'],
    // a DOM for the mounted components; Svelte's browser build (its `mount`) under vitest
    environment: 'happy-dom',
    // type-level tests (*.test-d.ts) are checked by tsc as part of the run
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
