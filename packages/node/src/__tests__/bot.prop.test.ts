import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createBot, silentLogger } from '../index'
import { botChatFlowProperty, replyText } from '../testing'

describe('bot chat flows (fast-check)', () => {
  it('every message of every chat gets its one answer, in order, and nothing after the chat ends', async () => {
    await fc.assert(
      botChatFlowProperty(
        (transport) =>
          createBot({ transport, logger: silentLogger, handleSignals: false }).message(async (ctx) => {
            // uneven handler times, so chats interleave
            await new Promise((resolve) => setTimeout(resolve, ctx.text.length % 3))
            await ctx.reply(`re: ${ctx.text}`)
          }),
        {
          customers: 3,
          check: (model, { customers, t }) => {
            model.customers.forEach((customer, i) => {
              const real = customers[i]
              if (!real) return
              expect(t.replies(real).map(replyText)).toEqual(customer.said.map((text) => `re: ${text}`))
            })
          },
        },
      ),
      { numRuns: 25 },
    )
  })
})
