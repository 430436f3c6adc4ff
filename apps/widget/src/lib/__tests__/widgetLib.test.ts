import { describe, expect, test } from 'vitest'
import { MESSAGES, translator } from '../../i18n'
import { linkify } from '../linkify'
import { safeUrl } from '../safeUrl'
import { timeline } from '../timeline'
import type { EventEntity } from '@rapport/customer-sdk'

describe('safeUrl', () => {
  test.each(['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>', 'vbscript:x', '/relative', '//host/x', 'not a url', 'file:///etc/passwd', 'blob:http://x/1'])(
    '%s is refused',
    (url) => expect(safeUrl(url)).toBeNull(),
  )
  test('absolute http(s) URLs are kept', () => {
    expect(safeUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1')
    expect(safeUrl('http://127.0.0.1:8080/files/1/x.png')).toBe('http://127.0.0.1:8080/files/1/x.png')
  })
  test('what is not a string gives null', () => expect(safeUrl(42)).toBeNull())
})

describe('linkify', () => {
  test('http(s) URLs become links, trailing punctuation stays text, javascript: stays text', () => {
    expect(linkify('see https://example.com/docs. or javascript:alert(1)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/docs', href: 'https://example.com/docs' },
      { kind: 'text', text: '. or javascript:alert(1)' },
    ])
  })
  test('text without URLs is one part', () => expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]))
})

describe('timeline', () => {
  const event = (id: string, authorId: string, createdAt: string): EventEntity => ({ id, authorId, createdAt, threadId: 't', properties: {}, type: 'message', text: id, status: 'sent' })
  test('a separator before each day, groups by author', () => {
    const items = timeline([event('a', 'x', '2024-05-01T10:00:00Z'), event('b', 'x', '2024-05-01T10:01:00Z'), event('c', 'y', '2024-05-03T10:00:00Z')])
    expect(items.map((item) => (item.kind === 'day' ? 'day' : `${item.event.id}${item.firstOfGroup ? '*' : ''}`))).toEqual(['day', 'a*', 'b', 'day', 'c*'])
  })
})

describe('messages table', () => {
  test('every language has every key of English, none empty', () => {
    for (const table of Object.values(MESSAGES)) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(MESSAGES.en).sort())
      for (const text of Object.values(table)) expect(text.length).toBeGreaterThan(0)
    }
  })
  test('placeholders are filled; an unknown locale falls back to English', () => {
    expect(translator('fr')('queue', { position: 3 })).toBe('Vous êtes numéro 3 dans la file.')
    expect(translator('xx')('typing', { name: 'Ada' })).toBe('Ada is typing…')
  })
})
