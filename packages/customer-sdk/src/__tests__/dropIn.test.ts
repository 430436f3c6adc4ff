import { readFileSync } from 'node:fs'
import type { WireEvent, WireForm, WireGreeting } from '@rapport/protocol'
import { FakeEnv } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import * as CustomerSDK from '../index'

/**
 * @livechat/customer-sdk 4.0.2's exports (names, kinds, the constants objects whole) and
 * what its parse helpers make of typical wire objects, as
 * `scripts/extractLivechatExports.mjs` recorded them from the package once.
 */
interface Sample {
  input: unknown
  output: unknown
}
const recorded = JSON.parse(readFileSync(new URL('./fixtures/livechat402Exports.json', import.meta.url), 'utf8')) as {
  version: string
  exports: Record<string, string>
  constants: Record<string, Record<string, string>>
  parsed: Record<string, Sample | Record<string, Sample>>
}
const sample = (name: string, key?: string): Sample => {
  const entry = recorded.parsed[name]
  const found = key === undefined ? entry : (entry as Record<string, Sample>)[key]
  if (!found || !('input' in found)) throw new Error(`no sample ${name} ${key ?? ''}`)
  return found as Sample
}
const exported: Record<string, unknown> = CustomerSDK

describe('drop-in for @livechat/customer-sdk 4.0.2', () => {
  it('the record is of 4.0.2 and lists its 18 exports', () => {
    expect(recorded.version).toBe('4.0.2')
    expect(Object.keys(recorded.exports)).toHaveLength(18)
  })

  it('exports every name 4.0.2 exports, each of the same kind', () => {
    const kinds = Object.fromEntries(Object.keys(recorded.exports).map((name) => [name, typeof exported[name]]))
    expect(kinds).toEqual(recorded.exports)
  })

  it('each constants object holds every key of 4.0.2 with the same value, and is frozen', () => {
    for (const [name, values] of Object.entries(recorded.constants)) {
      expect(exported[name], name).toMatchObject(values)
      expect(Object.isFrozen(exported[name]), name).toBe(true)
    }
  })

  it('connectionStatuses names every status Rapport reports', () => {
    const values: string[] = Object.values(CustomerSDK.connectionStatuses)
    for (const status of ['idle', 'connecting', 'connected', 'reconnecting', 'paused', 'destroyed']) expect(values).toContain(status)
  })

  describe('the parse helpers give what 4.0.2 gives (at least its fields, with its values)', () => {
    const events = recorded.parsed.parseEvent as Record<string, Sample>
    it.each(Object.keys(events))('parseEvent(threadId, %s)', (key) => {
      const { input, output } = sample('parseEvent', key)
      const parsed = CustomerSDK.parseEvent('t1', input as WireEvent)
      if (output === null) expect(parsed).toBeNull()
      else expect(parsed).toMatchObject(output as object)
    })

    it.each(['parseMessage', 'parseFile', 'parseFilledForm', 'parseRichMessage', 'parseSystemMessage', 'parseCustomEvent'] as const)('%s(threadId, event)', (name) => {
      const { input, output } = sample(name)
      const parse: (threadId: string | null, event: WireEvent) => unknown = CustomerSDK[name] as never
      expect(parse('t1', input as WireEvent)).toMatchObject(output as object)
    })

    it('parseRichMessage: null for a template it does not know, as in 4.0.2', () => {
      const { input } = sample('parseEvent', 'unknownTemplate')
      expect(CustomerSDK.parseRichMessage('t1', input as never)).toBeNull()
    })

    it('parseGreeting(greeting)', () => {
      const { input, output } = sample('parseGreeting')
      expect(CustomerSDK.parseGreeting(input as WireGreeting)).toMatchObject(output as object)
    })

    it.each(['prechat', 'ticket'])('parseForm(form): a %s form', (key) => {
      const { input, output } = sample('parseForm', key)
      expect(CustomerSDK.parseForm(input as WireForm)).toEqual(output)
    })

    it('a typed helper given an event of another type throws instead of mislabelling it', () => {
      const { input } = sample('parseEvent', 'custom')
      expect(() => CustomerSDK.parseMessage('t1', input as never)).toThrow(TypeError)
    })
  })
})

describe('init(config, env, licenseId)', () => {
  it('takes the license id as 4.0.2 does: the token and side storage kept under the license move to the organization', () => {
    const env = new FakeEnv()
    const token = JSON.stringify({ accessToken: 'dal:old', entityId: 'customer-old', expiresIn: 28_800_000, tokenType: 'Bearer', creationDate: env.now(), organizationId: 'org' })
    env.storage.setItem('@@lc_auth_token:12345', token)
    env.storage.setItem('side_storage_12345', JSON.stringify({ visit: '1' }))
    const sdk = CustomerSDK.init({ organizationId: 'org', clientId: 'client', autoConnect: false, environment: env }, 'production', 12345)
    expect(env.storage.getItem('@@lc_auth_token:org')).toBe(token)
    expect(env.storage.getItem('side_storage_org')).toBe(JSON.stringify({ visit: '1' }))
    expect(env.storage.getItem('@@lc_auth_token:12345')).toBeNull()
    expect(env.storage.getItem('side_storage_12345')).toBeNull()
    sdk.destroy()
  })

  it('with unique groups, the keys carry the group', () => {
    const env = new FakeEnv()
    env.storage.setItem('side_storage_12345:3', '{}')
    CustomerSDK.init({ organizationId: 'org', clientId: 'client', autoConnect: false, uniqueGroups: true, groupId: 3, environment: env }, undefined, 12345).destroy()
    expect(env.storage.getItem('side_storage_org:3')).toBe('{}')
  })

  it('without a license id nothing moves', () => {
    const env = new FakeEnv()
    env.storage.setItem('side_storage_12345', '{}')
    CustomerSDK.init({ organizationId: 'org', clientId: 'client', autoConnect: false, environment: env }, 'production').destroy()
    expect(env.storage.getItem('side_storage_12345')).toBe('{}')
    expect(env.storage.getItem('side_storage_org')).toBeNull()
  })
})
