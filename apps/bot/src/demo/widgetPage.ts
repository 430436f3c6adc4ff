/**
 * The widget as a site ships it: its script-tag build (`rapport-widget.js`, built in
 * memory with Vite's build API from apps/widget, so it is never stale) and a plain page
 * that loads it with one `<script>` tag pointed at the local server.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build, type Rollup } from 'vite'

const WIDGET_DIR = fileURLToPath(new URL('../../../widget/', import.meta.url))
const SCRIPT_NAME = 'rapport-widget.js'

/** Builds the widget's script-tag file (one IIFE, CSS included) and returns its code. */
export const buildWidgetScript = async (): Promise<string> => {
  const result = await build({
    root: WIDGET_DIR,
    configFile: `${WIDGET_DIR}vite.config.ts`,
    logLevel: 'warn',
    build: { write: false },
  })
  const outputs: Rollup.RollupOutput[] = Array.isArray(result) ? result : 'output' in result ? [result] : []
  const chunk = outputs.flatMap((output) => output.output).find((file) => file.fileName === SCRIPT_NAME)
  if (chunk?.type !== 'chunk') throw new Error(`the widget build produced no ${SCRIPT_NAME}`)
  return chunk.code
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export const demoPageHtml = (options: { serverUrl: string; organizationId: string }): string => {
  const tag = `<script src="/${SCRIPT_NAME}" data-organization-id="${escapeHtml(options.organizationId)}" data-server-url="${escapeHtml(options.serverUrl)}"></script>`
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Rapport demo</title>
  <style>
    /* left-aligned and narrow: the widget's panel opens on the right */
    body { font: 16px/1.6 system-ui, sans-serif; margin: 0; padding: 32px 48px; max-width: 600px; color: #1d2433; }
    code, pre { font: 14px/1.5 ui-monospace, monospace; background: #f1f3f8; border-radius: 4px; }
    code { padding: 1px 4px; } pre { padding: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
  </style>
</head>
<body>
  <h1>Rapport demo</h1>
  <p>The chat launcher is in the bottom-right corner. Open it, fill in the short pre-chat form, and chat: the demo bot answers,
  typing first. Everything is stored by the local server at <code>${escapeHtml(options.serverUrl)}</code>
  (SQLite under <code>.data/</code>): reload the page, or restart <code>pnpm demo</code>, and the chat is still there.</p>
  <p>The widget's JS API (<code>window.RapportWidget</code>):
    <button type="button" onclick="RapportWidget.open()">open()</button>
    <button type="button" onclick="RapportWidget.close()">close()</button>
    <button type="button" onclick="RapportWidget.hide()">hide()</button>
    <button type="button" onclick="RapportWidget.show()">show()</button>
  </p>
  <p>This page embeds the widget with one tag:</p>
  <pre>${escapeHtml(tag)}</pre>
  <p>See <code>docs/widget.md</code> for its options and <code>docs/getting-started-browser.md</code> for the SDK alone.</p>
  ${tag}
</body>
</html>
`
}

export interface DemoPage {
  url: string
  stop(): Promise<void>
}

/** Serves the demo page at `/` and the widget at `/rapport-widget.js` on 127.0.0.1 (`port` 0: any free port). */
export const serveDemoPage = async (options: { port: number; script: string; serverUrl: string; organizationId: string }): Promise<DemoPage> => {
  const page = demoPageHtml(options)
  const http = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    if (path === '/' || path === '/index.html') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
    else if (path === `/${SCRIPT_NAME}`) response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(options.script)
    else if (path === '/favicon.ico') response.writeHead(204).end()
    else response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
  })
  http.listen(options.port, '127.0.0.1')
  await once(http, 'listening')
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      const closed = once(http, 'close')
      http.close()
      http.closeAllConnections()
      await closed
    },
  }
}
