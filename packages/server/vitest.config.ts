import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: {
    name: 'server',
    // type-level tests (*.test-d.ts) are checked by tsc as part of the run
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: '../../tsconfig.json' },
  },
})
