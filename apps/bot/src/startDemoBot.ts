/**
 * Runs the demo bot against a server the way it would run on the platform:
 *
 * - `webhooks` (default): with an agent's credential, `create_bot`, then a renewing bot
 *   token (`issue_bot_token`), webhooks registered to the bot's own loopback receiver, and
 *   the Agent Chat Web API for everything it does;
 * - `rtm`: the agent WebSocket with the bot's token (the local server allows bots on RTM).
 *
 * The local server learns the demo's credentials from `demoServerEnv()` (a config file
 * with fresh tokens, written once per process): an owner agent for the Configuration API,
 * the default bot's token, and a "Support" group of humans for handoffs.
 */
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Bot, type BotLogger, createBotAccount, createBotTokenSource, createConfigurationClient, createCrmClient } from '@rapport/node'
import { type DemoState, createDemoBot } from './demoBot'

export const DEMO_ORGANIZATION_ID = 'rapport-demo'
/** The local server's public demo key of the CRM endpoint. */
export const DEMO_CRM_API_KEY = 'rapport-demo-crm-key'
export const SUPPORT_GROUP_ID = 1

export interface DemoCredentials {
  organizationId: string
  /** The default bot's token (RTM). */
  botToken: string
  /** A human agent whose token may use the Configuration API (as a personal access token). */
  owner: { id: string; token: string }
  ownerClientId: string
  webhookSecret: string
  humanGroupId: number
}

export const createDemoCredentials = (): DemoCredentials => ({
  organizationId: DEMO_ORGANIZATION_ID,
  botToken: `demo-bot-${randomBytes(16).toString('hex')}`,
  owner: { id: 'sam@rapport.local', token: `demo-owner-${randomBytes(16).toString('hex')}` },
  ownerClientId: 'rapport-demo-bot',
  webhookSecret: randomBytes(24).toString('base64url'),
  humanGroupId: SUPPORT_GROUP_ID,
})

/** The local server's options for the demo: the default bot, a human owner agent in the Support group. */
export const demoServerOptions = (credentials: DemoCredentials) => ({
  agents: [
    { id: 'bot@rapport.local', name: 'Rapport Bot', type: 'bot' as const, jobTitle: 'Assistant', token: credentials.botToken, tokenOrganizationId: credentials.organizationId },
    {
      id: credentials.owner.id,
      name: 'Sam',
      type: 'agent' as const,
      jobTitle: 'Support Agent',
      groups: [0, credentials.humanGroupId],
      token: credentials.owner.token,
      tokenOrganizationId: credentials.organizationId,
    },
  ],
  groups: [{ id: 0 }, { id: credentials.humanGroupId, name: 'Support' }],
})

let processCredentials: DemoCredentials | undefined
let processEnv: Record<string, string> | undefined

/** This process's demo credentials (made once). */
export const demoCredentials = (): DemoCredentials => {
  processCredentials ??= createDemoCredentials()
  return processCredentials
}

/** Environment for `pnpm --filter @rapport/server start` so that it knows the demo's credentials. */
export const demoServerEnv = (): Record<string, string> => {
  if (!processEnv) {
    const file = join(tmpdir(), `rapport-demo-server-${process.pid}-${randomBytes(4).toString('hex')}.json`)
    writeFileSync(file, JSON.stringify(demoServerOptions(demoCredentials())), { mode: 0o600 })
    process.once('exit', () => rmSync(file, { force: true }))
    processEnv = { RAPPORT_SERVER_CONFIG: file }
  }
  return processEnv
}

export interface StartDemoBotOptions {
  serverUrl: string
  transport?: 'webhooks' | 'rtm'
  credentials?: DemoCredentials
  typingMs?: number
  logger?: BotLogger
  /** Stop on SIGINT/SIGTERM. Default `false` here (the demo's script owns the process). */
  handleSignals?: boolean
}

export const startDemoBot = async (options: StartDemoBotOptions): Promise<{ bot: Bot<DemoState>; stop(): Promise<void> }> => {
  const credentials = options.credentials ?? demoCredentials()
  const crm = createCrmClient({ baseUrl: options.serverUrl }, { apiKey: DEMO_CRM_API_KEY, timeoutMs: 5_000 })
  const common = {
    crm,
    humanGroupId: credentials.humanGroupId,
    handleSignals: options.handleSignals ?? false,
    ...(options.typingMs !== undefined && { typingMs: options.typingMs }),
    ...(options.logger && { logger: options.logger }),
  }
  let bot: Bot<DemoState>
  if (options.transport === 'rtm') {
    bot = createDemoBot({
      ...common,
      transport: 'rtm',
      auth: { organizationId: credentials.organizationId, accessToken: credentials.botToken, serverUrl: options.serverUrl },
    })
  } else {
    // as on the platform: an agent's credential sets the bot up
    const config = createConfigurationClient({ basic: { login: credentials.owner.id, password: credentials.owner.token } }, { baseUrl: options.serverUrl })
    const account = await createBotAccount(config, { name: 'Rapport Bot', owner_client_id: credentials.ownerClientId, groups: [{ id: 0, priority: 'first' }] })
    const token = createBotTokenSource(config, { botId: account.id, clientId: credentials.ownerClientId, botSecret: account.secret, organizationId: credentials.organizationId })
    bot = createDemoBot({
      ...common,
      transport: 'webhooks',
      auth: { baseUrl: options.serverUrl, token, botId: account.id },
      webhooks: { secretKey: credentials.webhookSecret, register: { config, ownerClientId: credentials.ownerClientId } },
    })
  }
  await bot.start()
  return { bot, stop: () => bot.stop() }
}
