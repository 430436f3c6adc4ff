/**
 * The Configuration API actions a bot needs (bots-and-crm §1): `create_bot`,
 * `issue_bot_token` (a 24 h agent token for the bot), `register_webhook`, `list_webhooks`,
 * `unregister_webhook`. They run through the same dispatcher as every agent action (one
 * schema per action, one transaction per request, the documented errors). Bots and
 * webhooks live in memory: a restarted server forgets them.
 */
import { randomBytes } from 'node:crypto'
import { defineAction, type ActionHandler, type LoginContext, type SideProtocol } from '../rtm/actionTable'
import type { AgentRequest } from '../rtm/agent/common'
import type { AgentSession, Session } from '../rtm/connection'
import { RtmError } from '../rtm/rtmError'
import { configurationSchemas as s } from '../rtm/schemas'
import { secret } from '../util/ids'
import { secretsEqual } from '../util/secrets'
import type { z } from 'zod'

const action = <Schema extends z.ZodType>(
  schema: Schema,
  handle: (request: AgentRequest, payload: z.output<Schema>) => unknown,
): ActionHandler<AgentRequest> => defineAction<Schema, AgentRequest>(schema, handle)

/** Configuration belongs to human agents: a bot's token may not change it. */
const requireAgent = (request: AgentRequest): void => {
  if (request.session.agent.type === 'bot') throw new RtmError('authorization', 'A bot token cannot change the configuration')
}

const noLogin: ActionHandler<LoginContext> = {
  run: () => {
    throw new RtmError('validation', 'The Configuration API has no login')
  },
}

export const configurationProtocol: SideProtocol<AgentSession> = {
  side: 'agent',
  login: noLogin,
  actions: {
    create_bot: action(s.create_bot, (request, payload) => {
      requireAgent(request)
      const groups = payload.groups?.map((g) => g.id) ?? []
      for (const id of groups) if (!request.ctx.groups.has(id)) throw new RtmError('group_not_found', `Group ${id} not found`)
      const bot = {
        id: randomBytes(16).toString('hex'),
        name: payload.name,
        type: 'bot' as const,
        groups,
        botSecret: secret(),
        ...(payload.avatar === undefined ? {} : { avatar: payload.avatar }),
        ...(payload.job_title === undefined ? {} : { jobTitle: payload.job_title }),
        ...(payload.owner_client_id === undefined ? {} : { ownerClientId: payload.owner_client_id }),
      }
      request.ctx.agents.add(bot)
      return { id: bot.id, secret: bot.botSecret }
    }),

    issue_bot_token: action(s.issue_bot_token, (request, payload) => {
      const { ctx, connection } = request
      if (payload.organization_id !== connection.organizationId) throw new RtmError('authorization', 'The credential is not valid in that organization')
      const bot = ctx.agents.get(payload.bot_id)
      // one answer for an unknown bot, a wrong secret or client: nothing tells them apart
      const valid =
        bot?.type === 'bot' &&
        bot.botSecret !== undefined &&
        secretsEqual(payload.bot_secret, bot.botSecret) &&
        (bot.ownerClientId === undefined || bot.ownerClientId === payload.client_id)
      if (!valid || !bot) throw new RtmError('authentication', 'Invalid bot_id, client_id or bot_secret')
      return { token: ctx.tokens.issueAgentToken(bot.id, connection.organizationId).access_token }
    }),

    register_webhook: action(s.register_webhook, (request, payload) => {
      requireAgent(request)
      return { id: request.ctx.webhooks.register(request.connection.organizationId, payload).id }
    }),

    list_webhooks: action(s.list_webhooks, (request, payload) => {
      requireAgent(request)
      return request.ctx.webhooks.list(request.connection.organizationId, payload.owner_client_id)
    }),

    unregister_webhook: action(s.unregister_webhook, (request, payload) => {
      requireAgent(request)
      request.ctx.webhooks.unregister(request.connection.organizationId, payload.id, payload.owner_client_id)
      return {}
    }),
  },
  isSession: (session: Session | undefined): session is AgentSession => session?.kind === 'agent',
}

