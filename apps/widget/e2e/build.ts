import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

export const WIDGET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

/** `vite build` of the widget (the script-tag IIFE) into `outDir`; the file's path. */
export const buildWidgetInto = async (outDir: string): Promise<string> => {
  await build({ root: WIDGET_DIR, configFile: join(WIDGET_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  return join(outDir, 'rapport-widget.js')
}
