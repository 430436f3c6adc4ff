import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

/**
 * Compares a presented secret with the expected one in constant time (both are hashed
 * first, so neither their contents nor their lengths show in the timing).
 */
export const secretsEqual = (presented: string, expected: string): boolean => timingSafeEqual(digest(presented), digest(expected))
