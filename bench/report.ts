/** How the benchmarks print: one row per figure, next to its baseline, with the ratio. */

export const row = (name: string, ours: number, baseline: number, unit: string): void =>
  console.log(`${name.padEnd(44)} ours ${ours.toFixed(1).padStart(10)} ${unit}   baseline ${baseline.toFixed(1).padStart(10)} ${unit}   ratio ${(ours / baseline).toFixed(2)}`)

/** A row whose sides are named and already formatted (e.g. "> 60 s"). */
export const pairRow = (name: string, a: [label: string, text: string], b: [label: string, text: string], ratio: string): void =>
  console.log(`${name.padEnd(44)} ${a[0]} ${a[1].padStart(10)}   ${b[0]} ${b[1].padStart(10)}   ratio ${ratio}`)

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length
