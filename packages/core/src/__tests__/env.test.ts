import { describe, expect, it } from 'vitest'
import { createDefaultEnv } from '../env'

describe('createDefaultEnv', () => {
  it.skipIf(typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function')(
    'without a global WebSocket (Node before 22), fails at once and points Node programs to @rapport/node',
    () => {
      expect(() => createDefaultEnv()).toThrow(/createNodeEnv\(\) from @rapport\/node/)
    },
  )
})
