/**
 * Core's client factories with the Node Env by default. The clients themselves are
 * core's: the same customer and agent clients run in browsers and in Node.
 */
import {
  type AgentClient,
  type AgentClientConfig,
  type CustomerClient,
  type CustomerClientConfig,
  createAgentClient as createCoreAgentClient,
  createCustomerClient as createCoreCustomerClient,
} from '@rapport/core'
import { createNodeEnv } from './nodeEnv'

/** `createCustomerClient` from `@rapport/core`, on `createNodeEnv()` unless `config.environment` is given. */
export const createCustomerClient = (config: CustomerClientConfig): CustomerClient =>
  createCoreCustomerClient({ ...config, environment: config.environment ?? createNodeEnv() })

/** `createAgentClient` from `@rapport/core`, on `createNodeEnv()` unless `config.environment` is given. */
export const createAgentClient = (config: AgentClientConfig): AgentClient =>
  createCoreAgentClient({ ...config, environment: config.environment ?? createNodeEnv() })
