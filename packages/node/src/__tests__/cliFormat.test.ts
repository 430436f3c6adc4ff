import type { ChatEvent } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { colourStyle, formatEvent, formatTime, plainStyle, typingText, visibleLength } from '../cli/format'

const speaker = { isMe: (id: string) => id === 'me', nameOf: (id: string) => (id === 'bot' ? 'Rapport Bot' : id) }
const at = new Date(2026, 0, 1, 9, 5).toISOString()
const base = { id: 'E1', authorId: 'bot', createdAt: at, threadId: 'T1', properties: {} }

describe('terminal chat lines', () => {
  it('shows a message with its time and author, one’s own as You', () => {
    expect(formatEvent({ ...base, type: 'message', text: 'Hello' }, speaker)).toEqual(['09:05 Rapport Bot: Hello'])
    expect(formatEvent({ ...base, authorId: 'me', type: 'message', text: 'Hi' }, speaker, plainStyle, ' ✓')).toEqual(['09:05 You: Hi ✓'])
  })

  it('keeps the later lines of a text under the first', () => {
    expect(formatEvent({ ...base, type: 'message', text: 'one\ntwo' }, speaker)).toEqual(['09:05 Rapport Bot: one', '                   two'])
  })

  it('shows system messages, files and rich messages as text', () => {
    expect(formatEvent({ ...base, type: 'system_message', text: 'Chat closed', systemMessageType: 'manual_archived_customer' }, speaker)).toEqual(['09:05 -- Chat closed'])
    expect(formatEvent({ ...base, type: 'file', name: 'a.png', url: 'https://f/a.png', contentType: 'image/png' }, speaker)).toEqual(['09:05 Rapport Bot: [file] a.png https://f/a.png'])
    const rich: ChatEvent = {
      ...base,
      type: 'rich_message',
      template: 'quick_replies',
      elements: [{ title: 'Pick one', buttons: [{ text: 'Yes', postbackId: 'y', userIds: [], role: 'default' }, { text: 'No', postbackId: 'n', userIds: [], role: 'default' }] }],
    }
    expect(formatEvent(rich, speaker)).toEqual(['09:05 Rapport Bot: Pick one', '                   [ Yes ] [ No ]'])
  })

  it('colours only with the colour style, and the colours take no room', () => {
    const plain = formatEvent({ ...base, type: 'message', text: 'Hello' }, speaker, plainStyle)
    const coloured = formatEvent({ ...base, type: 'message', text: 'Hello' }, speaker, colourStyle)
    expect(plain.join('')).not.toMatch(/\x1b/)
    expect(coloured.join('')).toMatch(/\x1b\[/)
    expect(visibleLength(coloured[0] ?? '')).toBe((plain[0] ?? '').length)
  })

  it('says who is typing', () => {
    expect(typingText([])).toBeNull()
    expect(typingText(['Ann'])).toBe('Ann is typing…')
    expect(typingText(['Ann', 'Bob', 'Cy'])).toBe('Ann, Bob and Cy are typing…')
  })

  it('formats times as HH:MM', () => {
    expect(formatTime(at)).toBe('09:05')
    expect(formatTime('not a date')).toBe('     ')
  })
})
