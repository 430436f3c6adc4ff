/** Timestamps of the API: RFC 3339, UTC, microsecond resolution (`2020-05-12T11:42:47.383000Z`). */
export interface Clock {
  /** Epoch milliseconds. */
  nowMs(): number
  /** A timestamp strictly greater than every one this clock returned before. */
  timestamp(): string
}

export const formatMicros = (micros: number): string => {
  const ms = Math.floor(micros / 1000)
  const iso = new Date(ms).toISOString() // …T11:42:47.383Z
  const extra = String(micros % 1000).padStart(3, '0')
  return `${iso.slice(0, -1)}${extra}Z`
}

export const createClock = (nowMs: () => number = Date.now): Clock => {
  let last = 0
  return {
    nowMs,
    timestamp() {
      last = Math.max(nowMs() * 1000, last + 1)
      return formatMicros(last)
    },
  }
}
