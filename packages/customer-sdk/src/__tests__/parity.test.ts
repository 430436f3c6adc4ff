import { readFileSync } from 'node:fs'
import { CUSTOMER_EVENT_NAMES } from '@rapport/protocol'
import { FakeEnv } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import { init } from '../index'

/** The Customer SDK documentation this package must match, read as text. */
const docs = readFileSync(new URL('../../../../../shared/seeds/003_a7582d73a593fed2.txt', import.meta.url), 'utf8')

const section = (from: string, to: string): string => {
  const start = docs.indexOf(`\n# ${from}\n`)
  const end = docs.indexOf(`\n# ${to}\n`, start)
  expect(start, `the documentation has a "# ${from}" section`).toBeGreaterThan(-1)
  return docs.slice(start, end)
}

const documentedMethods = [...section('Methods', 'Events').matchAll(/^## (\w+)$/gm)].map((m) => m[1] as string)
const documentedEvents = [...new Set([...section('Events', 'Disconnection reasons').matchAll(/\.on\('([a-z_]+)'/g)].map((m) => m[1] as string))]
const documentedReasons = [...section('Disconnection reasons', 'Errors').matchAll(/^## (.+)$/gm)].map((m) => (m[1] as string).toLowerCase().replace(/ /g, '_'))
const documentedErrors = [...section('Errors', 'Recipes').matchAll(/^## (.+)$/gm)].map((m) => (m[1] as string).toUpperCase().replace(/ /g, '_'))

describe('parity with the documentation', () => {
  it('reads the full lists from the documentation', () => {
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
