/**
 * Browser end-to-end harness: the local server and the echo bot in this process, the
 * script-tag build of the widget (built once per run) served on a plain page, and
 * Debian's Chromium driven by playwright-core. Chromium is required: without it the
 * tests fail with the command that installs it (they never skip).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEchoBot } from '@rapport/bot'
import { DEFAULT_AGENTS, MemoryStorage, type RapportServer, createServer } from '@rapport/server'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { inject } from 'vitest'
import { WIDGET_DIR, buildWidgetInto } from './build'

export { WIDGET_DIR }
export const ORGANIZATION_ID = 'rapport-widget-e2e'
export const ARTIFACTS = join(WIDGET_DIR, 'test-results')
const BOT_ID = DEFAULT_AGENTS[0]?.id ?? 'bot@rapport.local'

export const chromiumPath = (): string => {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p)
  const found = candidates.find((path) => existsSync(path))
  if (!found)
    throw new Error(
      `Chromium is missing (looked for ${candidates.join(', ')}): the widget's browser tests need it. ` +
        'Install it with `apt-get install -y chromium` (as .ci/run does) or set CHROMIUM_PATH.',
    )
  return found
}

let built: Promise<string> | null = null
/**
 * The script-tag build, `rapport-widget.js`: the one the project's global setup built for
 * the run, else (a harness used outside it) built here into a temporary folder, once.
 */
export const buildWidget = (): Promise<string> =>
  (built ??= (async () => {
    const provided = inject('widgetScriptPath')
    const path = provided && existsSync(provided) ? provided : await buildWidgetInto(mkdtempSync(join(tmpdir(), 'rapport-widget-')))
    return readFileSync(path, 'utf8')
  })())

export interface PageOptions {
  /** The whole page instead of the default one (the test writes its own script tag). */
  html?: string
  /** Extra attributes of the script tag (`data-locale="fr"`…). */
  attributes?: Record<string, string>
  /** HTML before the script tag (host-page content and styles). */
  body?: string
}

export interface Stack {
  /** The running server (a new instance after `restartServer()`). */
  readonly server: RapportServer
  /** Stops the server (its sockets dropped, as when it dies); the store is kept. */
  stopServer(): Promise<void>
  /** Starts the server again on the same port with the same store (customers, chats, tokens). */
  startServer(): Promise<void>
  /** The origin of the pages and of the widget's script. */
  pageUrl: (options?: PageOptions) => string
  /** The server's URL (the same across a restart). */
  serverUrl: string
  bot: ReturnType<typeof startEchoBot> | null
  stop(): Promise<void>
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** The server (memory storage), optionally the echo bot, and a page server for the widget. */
export const startStack = async (options: { bot?: boolean; botTypingMs?: number; botName?: string } = {}): Promise<Stack> => {
  const script = await buildWidget()
  const agents = DEFAULT_AGENTS.map((agent) => (agent.id === BOT_ID && options.botName !== undefined ? { ...agent, name: options.botName } : agent))
  // the store outlives a server, so that a stopped server can start again with its data
  const storage = new MemoryStorage()
  let server: RapportServer | null = await createServer({ port: 0, host: '127.0.0.1', agents, storage })
  const { port: serverPort, url: serverUrl } = server
  const bot =
    options.bot === false
      ? null
      : startEchoBot({
          serverUrl,
          organizationId: ORGANIZATION_ID,
          accessToken: server.admin.issueAgentToken(BOT_ID, ORGANIZATION_ID).access_token,
          typingMs: options.botTypingMs ?? 300,
        })
  await bot?.client.whenStatus('connected')
  const pages = new Map<string, PageOptions>()
  const pageServer = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/rapport-widget.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script)
      return
    }
    const page = pages.get(url.searchParams.get('page') ?? '') ?? {}
    if (page.html !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page.html)
      return
    }
    const attributes = Object.entries({ 'data-organization-id': ORGANIZATION_ID, 'data-server-url': serverUrl, ...page.attributes })
      .map(([name, value]) => `${name}="${escapeAttribute(value)}"`)
      .join(' ')
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host page</title></head>
<body>${page.body ?? '<h1>A host page</h1><p>Some content of the site.</p><button id="host-button" type="button">A page button</button>'}
<script src="/rapport-widget.js" ${attributes}></script></body></html>`)
  })
  const port = await listen(pageServer)
  let pageCount = 0
  return {
    get server() {
      if (!server) throw new Error('The server is stopped')
      return server
    },
    stopServer: async () => {
      const stopping = server
      server = null
      await stopping?.close()
    },
    startServer: async () => {
      if (server) return
      server = await createServer({ port: serverPort, host: '127.0.0.1', agents, storage })
    },
    bot,
    serverUrl,
    pageUrl: (pageOptions = {}) => {
      const id = String(++pageCount)
      pages.set(id, pageOptions)
      return `http://127.0.0.1:${port}/?page=${id}`
    },
    stop: async () => {
      bot?.stop()
      await new Promise<void>((resolve) => pageServer.close(() => resolve()))
      pageServer.closeAllConnections()
      await server?.close()
      storage.close()
    },
  }
}

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] })

/** A fresh context (own cookies: a new customer) and page; page errors are collected. */
export const openPage = async (
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; isMobile?: boolean; beforeGoto?: (page: Page) => Promise<void> } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.isMobile && { isMobile: true, hasTouch: true }),
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await options.beforeGoto?.(page)
  await page.goto(url)
  return { context, page, errors }
}

export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path })
  return path
}

/** The launcher button inside the widget's shadow root (playwright's CSS pierces open shadow roots). */
export const launcher = (page: Page) => page.locator('rapport-widget .launcher-slot button')
export const panel = (page: Page) => page.locator('rapport-widget [data-testid="panel"]')
export const composer = (page: Page) => page.locator('rapport-widget textarea[aria-label]').last()

/** The widget's client state, read in the page: the customer and the first chat. */
export const widgetIds = (page: Page) =>
  page.evaluate(() => {
    const snapshot = window.RapportWidget?.client?.state.getSnapshot()
    return { customerId: snapshot?.customerId ?? null, chatId: Object.keys(snapshot?.chats ?? {})[0] ?? null }
  })

/** The id of the widget's chat, once it has one. */
export const chatIdOf = async (page: Page): Promise<string> => {
  let chatId: string | null = null
  await page.waitForFunction(() => Object.keys(window.RapportWidget?.client?.state.getSnapshot().chats ?? {}).length > 0, null, { timeout: 30_000 })
  chatId = (await widgetIds(page)).chatId
  if (!chatId) throw new Error('The widget has no chat')
  return chatId
}

/** The customer id of the widget's client, once it is logged in. */
export const customerIdOf = async (page: Page): Promise<string> => {
  await page.waitForFunction(() => !!window.RapportWidget?.client?.state.getSnapshot().customerId, null, { timeout: 30_000 })
  const { customerId } = await widgetIds(page)
  if (!customerId) throw new Error('The widget has no customer')
  return customerId
}

/** The message list's items (events and day separators) holding this text. */
export const item = (page: Page, text: string | RegExp) => page.locator('rapport-widget li', { hasText: text })

/** Opens the panel and starts a chat through the prechat form (group 0 has one by default). */
export const startChatThroughPrechat = async (page: Page, question: string, submit = 'Start the chat', options: { open?: boolean } = {}): Promise<void> => {
  if (options.open !== false) await launcher(page).click()
  await panel(page).waitFor()
  const form = page.locator('rapport-widget [data-testid="form"]')
  await form.waitFor()
  await form.getByLabel('Name:').fill('Ada')
  await form.getByLabel('Question:', { exact: false }).fill(question)
  await form.getByRole('button', { name: submit }).click()
}
