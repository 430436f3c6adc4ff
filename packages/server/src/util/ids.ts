import { randomBytes, randomUUID } from 'node:crypto'

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A LiveChat-style chat or thread id: ten upper-case letters and digits. */
export const shortId = (length = 10): string => {
  const bytes = randomBytes(length)
  let id = ''
  for (const byte of bytes) id += UPPER[byte % UPPER.length]
  return id
}

export const uuid = (): string => randomUUID()

export const secret = (bytes = 24): string => randomBytes(bytes).toString('base64url')
