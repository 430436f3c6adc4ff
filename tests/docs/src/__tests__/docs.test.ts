/**
 * The docs against the code: nothing the protocol package defines may be missing from
 * docs/errors.md or docs/events.md, what they say each disconnection reason does must be
 * what the policy tables say, every init() option is in docs/configuration.md, and every
 * relative link of the README and the docs resolves.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { InitConfig } from '@rapport/customer-sdk'
import {
  AGENT_DISCONNECT_REASON_POLICY,
  CLIENT_ERROR_CODES,
  CUSTOMER_EVENT_NAMES,
  DISCONNECT_REASON_POLICY,
  type ReasonPolicy,
  WIRE_ERROR_TYPES,
  policyForLoginError,
} from '@rapport/protocol'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const DOCS = join(ROOT, 'docs')
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

/** The text under a heading, up to the next heading of the same or a higher level. */
const section = (markdown: string, heading: string): string => {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '') === heading)
  if (start < 0) throw new Error(`no heading "${heading}"`)
  const level = (lines[start] ?? '').indexOf(' ')
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level)
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n')
}

/** The rows of the tables in `text` whose first cell is a code span, keyed by that code. */
const rows = (text: string): Map<string, string[]> => {
  const table = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    if (!line.startsWith('| `')) continue
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim())
    const key = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1]
    if (key) table.set(key, cells)
  }
  return table
}

/** `action` is the first code span of the cell; `emit` is yes/no. */
const expectPolicy = (cells: string[] | undefined, policy: ReasonPolicy, actionCell: number, emitCell: number) => {
  expect(cells, 'a row').toBeDefined()
  expect(/`(\w+)`/.exec(cells?.[actionCell] ?? '')?.[1]).toBe(policy.action)
  expect(cells?.[emitCell]).toBe(policy.emit ? 'yes' : 'no')
}

describe('docs/errors.md', () => {
  const errors = read('docs/errors.md')
  const codes = rows(section(errors, 'Error codes'))

  it('has a row for every error code the protocol defines: the server types upper-cased and the client codes', () => {
    const wire = WIRE_ERROR_TYPES.map((type) => type.toUpperCase())
    const agentOnly = section(errors, 'Per-method errors from the server')
    const missing = [...wire, ...CLIENT_ERROR_CODES].filter((code) => !codes.has(code) && !agentOnly.includes(`\`${code}\``))
    expect(missing).toEqual([])
  })

  it('lists no code the protocol does not define', () => {
    const known = new Set<string>([...WIRE_ERROR_TYPES.map((type) => type.toUpperCase()), ...CLIENT_ERROR_CODES])
    expect([...codes.keys()].filter((code) => !known.has(code))).toEqual([])
  })

  it('says for every customer disconnection reason what DISCONNECT_REASON_POLICY does, and whether it is emitted', () => {
    const table = rows(section(errors, 'Pushed by the server (`customer_disconnected`) or produced by the SDK'))
    for (const [reason, policy] of Object.entries(DISCONNECT_REASON_POLICY)) expectPolicy(table.get(reason), policy, 2, 3)
    expect([...table.keys()].filter((reason) => !(reason in DISCONNECT_REASON_POLICY))).toEqual([])
  })

  it('says for every agent disconnection reason what AGENT_DISCONNECT_REASON_POLICY does', () => {
    const table = rows(section(errors, 'Agent clients and bots (`agent_disconnected`)'))
    for (const [reason, policy] of Object.entries(AGENT_DISCONNECT_REASON_POLICY)) expectPolicy(table.get(reason), policy, 1, 2)
    expect([...table.keys()].filter((reason) => !(reason in AGENT_DISCONNECT_REASON_POLICY))).toEqual([])
  })

  it('says what a refused login does as policyForLoginError does', () => {
    const table = rows(section(errors, 'From a refused login'))
    expect(table.size).toBeGreaterThan(0)
    for (const [type, cells] of table) {
      const policy = policyForLoginError(type)
      expect(cells[1], type).toBe(`\`${policy.reason}\``)
      expectPolicy(cells, policy, 2, 3)
    }
    // the table covers every login error that does more than a silent reconnect
    const special = WIRE_ERROR_TYPES.filter((type) => {
      const policy = policyForLoginError(type)
      return policy.action !== 'reconnect' || policy.emit || policy.backoff !== undefined
    })
    expect(special.filter((type) => !table.has(type))).toEqual([])
  })
})

describe('docs/events.md', () => {
  it('has a row for every event of CustomerEventMap, and none other', () => {
    const table = rows(read('docs/events.md'))
    expect(CUSTOMER_EVENT_NAMES.filter((name) => !table.has(name))).toEqual([])
    expect([...table.keys()].filter((name) => !(CUSTOMER_EVENT_NAMES as readonly string[]).includes(name))).toEqual([])
  })
})

describe('docs/configuration.md', () => {
  it('has a row for every init() option', () => {
    // a new option of InitConfig fails to compile here until it is added (and documented)
    const options: Record<keyof InitConfig, true> = {
      organizationId: true,
      clientId: true,
      autoConnect: true,
      groupId: true,
      uniqueGroups: true,
      region: true,
      serverUrl: true,
      redirectUri: true,
      customerDataProvider: true,
      identityProvider: true,
      page: true,
      referrer: true,
      tabId: true,
      connection: true,
      environment: true,
    }
    const table = rows(read('docs/configuration.md'))
    expect(Object.keys(options).filter((option) => !table.has(option))).toEqual([])
  })
})

describe('links', () => {
  const files = ['README.md', ...readdirSync(DOCS).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
  // the generated API reference (docs/api), linked from the README through its index
  const apiFiles = readdirSync(join(DOCS, 'api'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/api/${name}`)

  it('every relative link of the README, the docs and the API reference points to a file that exists', () => {
    const broken: string[] = []
    for (const file of [...files, ...apiFiles]) {
      for (const [, target = ''] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue
        const path = resolve(dirname(join(ROOT, file)), target.split('#')[0] ?? '')
        if (!existsSync(path)) broken.push(`${file} → ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('the README links every page of docs/', () => {
    const readme = read('README.md')
    expect(files.filter((file) => file.startsWith('docs/') && !readme.includes(`(${file})`))).toEqual([])
  })
})
