import { readFileSync } from 'node:fs'
import { CUSTOMER_EVENT_NAMES } from '@rapport/protocol'
import { FakeEnv } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import { init } from '../index'

/**
 * The surface the Customer SDK documentation names (methods, events, disconnection
 * reasons, error codes), extracted from it by `scripts/extractDocumentedSurface.ts`.
 */
const surface = JSON.parse(readFileSync(new URL('./fixtures/documentedSurface.json', import.meta.url), 'utf8')) as {
  methods: string[]
  events: string[]
  disconnectionReasons: string[]
  errors: string[]
}
const documentedMethods = surface.methods
const documentedEvents = surface.events
const documentedReasons = surface.disconnectionReasons
const documentedErrors = surface.errors

describe('parity with the documentation', () => {
  it('has the full lists the documentation names', () => {
    expect(documentedMethods).toHaveLength(37)
    expect(documentedEvents.length).toBeGreaterThanOrEqual(31)
    expect(documentedReasons.length).toBeGreaterThanOrEqual(14)
    expect(documentedErrors.length).toBeGreaterThanOrEqual(8)
  })

  it('every documented method is a function of the instance', () => {
    const sdk = init({ organizationId: 'org', clientId: 'client', autoConnect: false, environment: new FakeEnv() })
    const missing = documentedMethods.filter((name) => typeof (sdk as unknown as Record<string, unknown>)[name] !== 'function')
    expect(missing).toEqual([])
    sdk.destroy()
  })

  it('every documented event is in the typed event map', () => {
    const known: readonly string[] = CUSTOMER_EVENT_NAMES
    expect(documentedEvents.filter((name) => !known.includes(name))).toEqual([])
  })

  it('every documented disconnection reason has a policy', async () => {
    const { DISCONNECT_REASON_POLICY } = await import('@rapport/protocol')
    expect(documentedReasons.filter((reason) => !(reason in DISCONNECT_REASON_POLICY))).toEqual([])
  })

  it('every documented standard error code is a code the SDK can reject with', async () => {
    const { WIRE_ERROR_TYPES, CLIENT_ERROR_CODES } = await import('@rapport/protocol')
    const codes = new Set<string>([...WIRE_ERROR_TYPES.map((t) => t.toUpperCase()), ...CLIENT_ERROR_CODES])
    expect(documentedErrors.filter((code) => !codes.has(code))).toEqual([])
  })
})
