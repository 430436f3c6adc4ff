#!/usr/bin/env node
/**
 * `rapport-server` (`npx @rapport/server`): the local server from the command line. Flags win
 * over the environment, which wins over the `--config` / `RAPPORT_SERVER_CONFIG` file.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createServer } from './server'
import { DEFAULT_AGENTS, type AgentConfig, type CrmApiKeyConfig, type Logger, type ServerOptions } from './options'
import { storageFromEnv } from './storage/fromEnv'
import { parseOriginList } from './util/origins'

const logger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error),
}

const HELP = `Usage: rapport-server [options]

A local emulator of the LiveChat Customer Chat API v3.6 (customer and agent RTM, the Agent
Web API, webhooks, the CRM customer endpoint) for development and tests.

Options:
  -p, --port <port>        port to listen on (env PORT; default 8080; 0 picks a free one)
      --host <host>        address to listen on (env HOST; default 127.0.0.1)
      --storage <kind>     sqlite | memory (env RAPPORT_STORAGE; default sqlite)
      --db <path>          SQLite file (env RAPPORT_DB; default .data/rapport.sqlite)
      --config <path>      JSON file of server options (env RAPPORT_SERVER_CONFIG)
  -h, --help               this text
  -v, --version            the version

Other settings come from the environment (RAPPORT_ADMIN_SECRET, RAPPORT_CORS_ORIGINS,
RAPPORT_BOT_TOKEN + RAPPORT_BOT_ORGANIZATION, RAPPORT_CRM_API_KEYS, RAPPORT_LIMIT_*, …):
see the package's README.
`

/** A usage error: the message and a pointer to --help, exit code 2. */
const usageError = (message: string): never => {
  process.stderr.write(`rapport-server: ${message}\nTry rapport-server --help\n`)
  process.exit(2)
}

const parseFlags = () =>
  parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      storage: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
  }).values

let flags: ReturnType<typeof parseFlags> = {}
try {
  flags = parseFlags()
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error))
}
if (flags.help) {
  process.stdout.write(HELP)
  process.exit(0)
}
if (flags.version) {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }
  console.log(String(manifest.version))
  process.exit(0)
}

const portText = flags.port ?? process.env.PORT ?? '8080'
const port = Number.parseInt(portText, 10)
if (!/^\d+$/.test(portText.trim()) || port > 65_535) usageError(`the port must be a number from 0 to 65535, not "${portText}"`)
const host = flags.host ?? process.env.HOST ?? '127.0.0.1'

// Optional JSON config (organizations / clients allow-lists, agents, timeouts): --config / RAPPORT_SERVER_CONFIG=path
const configPath = flags.config ?? process.env.RAPPORT_SERVER_CONFIG
const fileOptions: ServerOptions = configPath ? (JSON.parse(readFileSync(configPath, 'utf8')) as ServerOptions) : {}

/** `key@organization,…` → CRM keys with the read permission. */
const parseCrmKeys = (list: string): CrmApiKeyConfig[] =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.lastIndexOf('@')
      if (at <= 0 || at === entry.length - 1) throw new Error('RAPPORT_CRM_API_KEYS: each entry is key@organization')
      return { key: entry.slice(0, at), organizationId: entry.slice(at + 1) }
    })

/**
 * Security settings from the environment (each wins over the config file; see the README's
 * "Security" section):
 * - RAPPORT_ADMIN_SECRET: turns the admin HTTP API on, behind `Authorization: Bearer <secret>`;
 * - RAPPORT_CORS_ORIGINS: comma-separated origins allowed credentialed CORS (empty: none);
 * - RAPPORT_BOT_TOKEN + RAPPORT_BOT_ORGANIZATION: a fixed token for the default bot, valid in that organization only;
 * - RAPPORT_MAX_JSON_DEPTH: the deepest JSON nesting accepted in a request;
 * - RAPPORT_CRM_API_KEYS: comma-separated `key@organization` keys of `GET /v1/customers/{id}`
 *   (each with the read permission), replacing the demo key; empty: none.
 */
const securityFromEnv = (env: NodeJS.ProcessEnv, base: ServerOptions): ServerOptions => {
  const options: ServerOptions = {}
  if (env.RAPPORT_ADMIN_SECRET) options.adminSecret = env.RAPPORT_ADMIN_SECRET
  if (env.RAPPORT_CORS_ORIGINS !== undefined) options.corsOrigins = parseOriginList(env.RAPPORT_CORS_ORIGINS)
  if (env.RAPPORT_MAX_JSON_DEPTH) options.maxJsonDepth = Number(env.RAPPORT_MAX_JSON_DEPTH)
  if (env.RAPPORT_CRM_API_KEYS !== undefined) options.crmApiKeys = parseCrmKeys(env.RAPPORT_CRM_API_KEYS)
  const botToken = env.RAPPORT_BOT_TOKEN
  if (botToken) {
    const organization = env.RAPPORT_BOT_ORGANIZATION
    if (!organization) throw new Error('RAPPORT_BOT_TOKEN needs RAPPORT_BOT_ORGANIZATION: a token is valid in one organization')
    const agents: AgentConfig[] = base.agents ?? DEFAULT_AGENTS
    const botId = DEFAULT_AGENTS[0]?.id
    if (!agents.some((agent) => agent.id === botId)) throw new Error(`RAPPORT_BOT_TOKEN: no agent ${botId} is configured`)
    options.agents = agents.map((agent) => (agent.id === botId ? { ...agent, token: botToken, tokenOrganizationId: organization } : agent))
  }
  return options
}

// --storage / RAPPORT_STORAGE=memory|sqlite (default sqlite), --db / RAPPORT_DB=path (default .data/rapport.sqlite)
const { storage, description } = storageFromEnv(
  {
    ...process.env,
    ...(flags.storage !== undefined && { RAPPORT_STORAGE: flags.storage }),
    ...(flags.db !== undefined && { RAPPORT_DB: flags.db }),
  },
  logger.info,
)
const server = await createServer({
  ...fileOptions,
  ...securityFromEnv(process.env, fileOptions),
  port,
  host,
  logger,
  storage,
})
console.log(`Rapport server listening on ${server.url} (${description})`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  server.close().then(
    () => {
      // createServer leaves a store it was given open: close it (checkpoints the WAL).
      storage.close()
      process.exit(0)
    },
    (error: unknown) => {
      console.error('Failed to close the server', error)
      process.exit(1)
    },
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
