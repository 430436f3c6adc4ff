/**
 * How the terminal chat shows things: one or more plain lines per chat event, with
 * colours only when asked for (a TTY without NO_COLOR). Pure functions over the SDK's
 * event shapes, so the rendering is tested without a terminal.
 */
import { inspect } from 'node:util'
import type { ChatEvent } from '@rapport/protocol'

export interface Style {
  dim(text: string): string
  bold(text: string): string
  /** Names of others (agents, bots). */
  other(text: string): string
  /** The customer's own name. */
  me(text: string): string
  warn(text: string): string
}

const same = (text: string): string => text

export const plainStyle: Style = { dim: same, bold: same, other: same, me: same, warn: same }

/** Wraps text in the SGR codes of `util.inspect.colors` (the caller decides whether to colour at all). */
const sgr =
  (...names: string[]) =>
  (text: string): string =>
    names.reduceRight((inner, name) => {
      const [open, close] = inspect.colors[name] ?? [0, 0]
      return `\x1b[${open}m${inner}\x1b[${close}m`
    }, text)

export const colourStyle: Style = {
  dim: sgr('dim'),
  bold: sgr('bold'),
  other: sgr('bold', 'cyan'),
  me: sgr('bold', 'green'),
  warn: sgr('yellow'),
}

/** `HH:MM` in local time, or empty when `createdAt` is not a date. */
export const formatTime = (createdAt: string): string => {
  const date = new Date(createdAt)
  if (Number.isNaN(date.getTime())) return '     '
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}

export interface Speaker {
  /** How to call the author of an event. */
  nameOf(authorId: string): string
  isMe(authorId: string): boolean
}

/** Text spread over several lines keeps its later lines under the first one's text. */
const indented = (head: string, text: string, indent: number): string[] => {
  const [first = '', ...rest] = text.split(/\r?\n/)
  return [head + first, ...rest.map((line) => ' '.repeat(indent) + line)]
}

/** Characters a line takes on screen: its length without colour codes. */
export const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length

/** The body of an event, without time and author: what it says or shows. */
const bodyOf = (event: ChatEvent): string => {
  switch (event.type) {
    case 'message':
      return event.text
    case 'file':
      return `[file] ${event.name} ${event.url}`
    case 'rich_message': {
      const lines: string[] = []
      for (const element of event.elements) {
        if (element.title) lines.push(element.title)
        if (element.subtitle) lines.push(element.subtitle)
        if (element.image) lines.push(`[image] ${element.image.url}`)
        if (element.buttons?.length) lines.push(element.buttons.map((b) => `[ ${b.text} ]`).join(' '))
      }
      return lines.length > 0 ? lines.join('\n') : '[rich message]'
    }
    case 'form':
      return '[a form: not shown in the terminal]'
    case 'filled_form':
      return `[form] ${event.fields.map((f) => ('label' in f && typeof f.label === 'string' ? f.label : f.type)).join(', ')}`
    case 'system_message':
      return event.text
    case 'custom':
      return '[custom event]'
  }
}

/**
 * The lines of one chat event: `HH:MM Name: text`, later lines of the text indented under
 * the first; system messages as `HH:MM -- text`. `suffix` follows the first line (the
 * delivery status of one's own messages).
 */
export const formatEvent = (event: ChatEvent, speaker: Speaker, style: Style = plainStyle, suffix = ''): string[] => {
  const time = style.dim(formatTime(event.createdAt))
  if (event.type === 'system_message') return indented(`${time} ${style.dim('--')} `, event.text, 9).map((line, i) => (i === 0 ? line + suffix : line))
  const mine = speaker.isMe(event.authorId)
  const name = mine ? style.me('You') : style.other(speaker.nameOf(event.authorId))
  const head = `${time} ${name}: `
  return indented(head, bodyOf(event), visibleLength(head)).map((line, i) => (i === 0 ? line + suffix : line))
}

/** `A is typing…`, `A and B are typing…`, or `null` when nobody is. */
export const typingText = (names: readonly string[]): string | null => {
  if (names.length === 0) return null
  if (names.length === 1) return `${names[0]} is typing…`
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`
}
