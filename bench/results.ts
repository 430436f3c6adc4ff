/**
 * The figures a `pnpm bench` run collects, and what it leaves behind: one summary table
 * (Rapport, the official client where it applies, raw `ws`, the ratios and the issue's
 * target), `bench/results/latest.json`, and `bench/results/ratios.svg`, a bar chart of
 * each target ratio against its limit.
 *
 * A section calls `record()` for each figure it measured; `run.ts` prints and writes
 * them at the end. Ratios are always Rapport ÷ a baseline measured in the same run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

export type Baseline = 'official' | 'ws' | 'self'

export interface Figure {
  /** The bench section that measured it (`throughput`, `memory`, …). */
  section: string
  /** What was measured, e.g. `heap per connected idle client`. */
  metric: string
  unit: string
  rapport: number
  /** `@livechat/customer-sdk` 4.0.2 measured the same way, where it applies. */
  official?: number
  /** A raw `ws` client, where it applies. */
  ws?: number
  /**
   * A baseline that is neither (e.g. the same code at 1k events held, JSON.parse alone),
   * with its label.
   */
  other?: { label: string; value: number }
  /** The limit the issues set: Rapport ÷ `against` ≤ `max`. */
  target?: { against: Baseline | 'other'; max: number }
  /** Anything the number needs to be read right (runs, repetitions, spread). */
  note?: string
}

const figures: Figure[] = []

export const record = (figure: Figure): void => {
  figures.push(figure)
}

export const recorded = (): readonly Figure[] => figures

const baselineOf = (figure: Figure, against: Baseline | 'other'): number | undefined =>
  against === 'official' ? figure.official : against === 'ws' ? figure.ws : against === 'other' ? figure.other?.value : figure.rapport

/** Rapport ÷ the target's baseline, or NaN when either side is missing. */
export const targetRatio = (figure: Figure): number => {
  if (!figure.target) return Number.NaN
  const base = baselineOf(figure, figure.target.against)
  return base === undefined || !(base > 0) ? Number.NaN : figure.rapport / base
}

const fmt = (value: number | undefined, unit: string): string => {
  if (value === undefined) return '—'
  if (Number.isNaN(value)) return 'n/a'
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${unit}`
}

const ratioText = (a: number, b: number | undefined): string => (b === undefined || !(b > 0) || Number.isNaN(a) ? '—' : (a / b).toFixed(2))

/** The summary table, in Markdown (the README's Performance section is a copy of it). */
export const summaryTable = (): string => {
  const lines = [
    '| metric | Rapport | official 4.0.2 | raw ws | other baseline | ÷ official | ÷ ws | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const f of figures) {
    const ratio = targetRatio(f)
    const target = f.target ? `≤ ${f.target.max} × ${f.target.against === 'other' ? (f.other?.label ?? 'baseline') : f.target.against}` : ''
    const met = f.target ? (Number.isNaN(ratio) ? '?' : ratio <= f.target.max ? 'yes' : 'no') : ''
    lines.push(
      `| ${f.metric} | ${fmt(f.rapport, f.unit)} | ${fmt(f.official, f.unit)} | ${fmt(f.ws, f.unit)} | ${f.other ? `${f.other.label}: ${fmt(f.other.value, f.unit)}` : '—'} | ${ratioText(f.rapport, f.official)} | ${ratioText(f.rapport, f.ws)} | ${target} | ${met} |`,
    )
  }
  return lines.join('\n')
}

export const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
})

/** At most `max` characters, with an ellipsis when cut (a label must not run into its bar). */
const shorten = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

const escapeXml = (text: string): string => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c)

/**
 * A horizontal bar per figure with a target: its ratio, a tick at the target's limit,
 * green when met. The scale is logarithmic so 0.5× and 50× both read.
 */
export const ratiosSvg = (list: readonly Figure[] = figures): string => {
  const rows = list.filter((f) => f.target && !Number.isNaN(targetRatio(f)))
  const width = 860
  const label = 400
  const barArea = width - label - 70
  const rowHeight = 26
  const height = 40 + rows.length * rowHeight + 30
  const lo = Math.log10(0.1)
  const hi = Math.log10(Math.max(10, ...rows.map((f) => targetRatio(f) * 1.2)))
  const x = (ratio: number) => label + ((Math.log10(Math.max(0.1, ratio)) - lo) / (hi - lo)) * barArea
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-weight="bold">Rapport ÷ baseline (log scale); tick = target, green = met</text>`,
  ]
  rows.forEach((f, i) => {
    const y = 36 + i * rowHeight
    const ratio = targetRatio(f)
    const max = f.target?.max ?? 1
    const met = ratio <= max
    const against = f.target?.against === 'other' ? (f.other?.label ?? 'baseline') : f.target?.against
    parts.push(
      `<text x="10" y="${y + 13}">${escapeXml(shorten(`${f.metric} (÷ ${against})`, 62))}</text>`,
      `<rect x="${label}" y="${y + 2}" width="${Math.max(1, x(ratio) - label).toFixed(1)}" height="14" fill="${met ? '#3a9d5d' : '#d0543b'}"/>`,
      `<line x1="${x(max).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="${y - 1}" y2="${y + 19}" stroke="#222" stroke-width="2"/>`,
      `<text x="${(x(ratio) + 4).toFixed(1)}" y="${y + 13}">${ratio.toFixed(2)}×</text>`,
    )
  })
  const axisY = 36 + rows.length * rowHeight + 6
  for (const tick of [0.1, 0.5, 1, 2, 5, 10, 100, 1000].filter((t) => Math.log10(t) <= hi)) {
    parts.push(
      `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${axisY - 4}" y2="${axisY}" stroke="#888"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${axisY + 14}" text-anchor="middle" fill="#555">${tick}×</text>`,
    )
  }
  parts.push('</svg>')
  return parts.join('\n')
}

interface StoredFigure extends Figure {
  /** When the run that measured it started (figures of sections not run this time are kept from earlier runs). */
  measuredAt?: string
}

/** The figures of an earlier `latest.json` whose sections this run did not measure. */
const earlierFigures = (file: URL, sections: readonly string[]): StoredFigure[] => {
  if (!existsSync(file)) return []
  try {
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as { startedAt?: string; figures?: StoredFigure[] }
    return (earlier.figures ?? []).filter((f) => !sections.includes(f.section)).map((f) => ({ ...f, measuredAt: f.measuredAt ?? earlier.startedAt }))
  } catch {
    return []
  }
}

/**
 * Writes `bench/results/latest.json` and `bench/results/ratios.svg`; returns the folder.
 * A run of some sections only (`BENCH_ONLY`) replaces those sections' figures and keeps
 * the others from the previous file, each with the time it was measured.
 */
export const writeResults = (run: { full: boolean; startedAt: string; sections: string[] }): string => {
  const folder = new URL('./results/', import.meta.url)
  mkdirSync(folder, { recursive: true })
  const file = new URL('latest.json', folder)
  const kept = earlierFigures(file, run.sections)
  const json = {
    ...run,
    machine: machine(),
    figures: [
      ...figures.map((f) => ({ ...f, measuredAt: run.startedAt, targetRatio: f.target ? targetRatio(f) : undefined, met: f.target ? targetRatio(f) <= f.target.max : undefined })),
      ...kept,
    ],
  }
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
  writeFileSync(new URL('ratios.svg', folder), `${ratiosSvg(json.figures)}\n`)
  return folder.pathname
}
