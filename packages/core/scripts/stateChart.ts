/** Writes docs/connection-state-chart.md from the connection machine (`pnpm docs:chart`). */
import { writeFileSync } from 'node:fs'
import { STATE_CHART_PATH, stateChartDoc } from './stateChartDoc'

writeFileSync(STATE_CHART_PATH, stateChartDoc())
console.log(`wrote ${STATE_CHART_PATH.pathname}`)
