import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { STATE_CHART_PATH, stateChartDoc } from '../../scripts/stateChartDoc'

describe('docs/connection-state-chart.md', () => {
  it('is the chart drawn from the connection machine as it is (run `pnpm docs:chart` when this fails)', () => {
    expect(readFileSync(STATE_CHART_PATH, 'utf8')).toBe(stateChartDoc())
  })
})
