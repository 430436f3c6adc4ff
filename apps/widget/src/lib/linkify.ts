import { safeUrl } from './safeUrl'

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi

/** Splits message text into plain parts and http(s) links (trailing punctuation stays text). */
export const linkify = (text: string): TextPart[] => {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    let raw = match[0]
    const trailing = /[.,;:!?)\]]+$/.exec(raw)?.[0] ?? ''
    raw = raw.slice(0, raw.length - trailing.length)
    const href = safeUrl(raw)
    if (!href) continue
    const start = match.index ?? 0
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) })
    parts.push({ kind: 'link', text: raw, href })
    last = start + raw.length
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) })
  return parts
}
