import { FakeEnv, type FakeSocket } from '@rapport/testing'
import { type CustomerClientConfig, createCustomerClient } from '../customerClient'

export const loginResponse = (customerId = 'customer-1', online = true) => ({
  customer: {
    id: customerId,
    type: 'customer',
    statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 },
  },
  has_active_thread: false,
  chats: [],
  __priv_dynamic_config: { ...(online && { online_groups_ids: [0] }), customer_groups: { monitoring: { id: 0 } } },
})

/** Lets promise chains (token fetch, actor steps) run. */
export const flush = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => queueMicrotask(resolve))
}

export const setup = (config: Partial<CustomerClientConfig> = {}, env = new FakeEnv()) => {
  const client = createCustomerClient({ organizationId: 'org', clientId: 'client', environment: env, ...config })
  return { env, client }
}

/** Opens the current socket and answers its login. */
export const completeLogin = async (env: FakeEnv, customerId = 'customer-1'): Promise<FakeSocket> => {
  await flush()
  const socket = env.socket
  socket.open()
  await flush()
  socket.respond('login', loginResponse(customerId))
  await flush()
  return socket
}
