import { createServer } from './server'
import { readFileSync } from 'node:fs'
import { DEFAULT_AGENTS, type AgentConfig, type CrmApiKeyConfig, type Logger, type ServerOptions } from './options'
import { storageFromEnv } from './storage/fromEnv'
import { parseOriginList } from './util/origins'

const logger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error),
}

const port = Number.parseInt(process.env.PORT ?? '8080', 10)
const host = process.env.HOST ?? '127.0.0.1'

// Optional JSON config (organizations / clients allow-lists, agents, timeouts): RAPPORT_SERVER_CONFIG=path
const configPath = process.env.RAPPORT_SERVER_CONFIG
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

// RAPPORT_STORAGE=memory|sqlite (default sqlite), RAPPORT_DB=path (default <repo>/.data/rapport.sqlite)
const { storage, description } = storageFromEnv(process.env, logger.info)
const server = await createServer({
  ...fileOptions,
  ...securityFromEnv(process.env, fileOptions),
  port: Number.isNaN(port) ? 8080 : port,
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
