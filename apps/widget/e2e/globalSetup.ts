/**
 * Builds the script-tag file once for the whole run (the browser tests run in several
 * workers, which would otherwise each build it on a 2-core machine) and hands its path to
 * the tests (`inject('widgetScriptPath')`, read by the harness).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildWidgetInto } from './build'

declare module 'vitest' {
  export interface ProvidedContext {
    widgetScriptPath: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = mkdtempSync(join(tmpdir(), 'rapport-widget-'))
  project.provide('widgetScriptPath', await buildWidgetInto(outDir))
  return () => rmSync(outDir, { recursive: true, force: true })
}
