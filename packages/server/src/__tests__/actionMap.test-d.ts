/**
 * The server's validation schemas (rtm/schemas.ts) against the client's action maps
 * (@rapport/protocol): every request a client can type must pass the server's schema.
 * The checks run over all keys of each schema table, so an action added to the server
 * without its map entry (or with a diverging shape) fails here.
 */
import type { AgentActionMap, ConfigurationActionMap, CustomerActionMap } from '@rapport/protocol'
import { describe, expectTypeOf, test } from 'vitest'
import type { z } from 'zod'
import type { agentSchemas, configurationSchemas, customerSchemas } from '../rtm/schemas'

type CustomerSchemas = typeof customerSchemas
type AgentSchemas = typeof agentSchemas

type RequestOf<M, K> = K extends keyof M ? (M[K] extends { request: infer R } ? R : never) : never
type InputOf<S, K extends keyof S> = S[K] extends z.ZodType ? z.input<S[K]> : never

/**
 * Per validated action: `true` when the map's request type is assignable to what the
 * schema accepts; otherwise a record naming the action and both types, so the failure
 * message says which one drifted.
 */
type ClientFitsServer<S, M> = {
  [K in keyof S]: K extends keyof M
    ? [RequestOf<M, K>] extends [InputOf<S, K>]
      ? true
      : { notAccepted: K; request: RequestOf<M, K>; schemaInput: InputOf<S, K> }
    : { missingFromActionMap: K }
}
type AllTrue<S> = { [K in keyof S]: true }

/** The validated actions whose schema accepts more than the map types (the rest agree both ways). */
type ServerAcceptsMore<S, M> = {
  [K in keyof S & keyof M]: [InputOf<S, K>] extends [RequestOf<M, K>] ? never : K
}[keyof S & keyof M]

describe('customer schemas', () => {
  test('every validated action is in the map, and every typed request passes its schema', () => {
    expectTypeOf<ClientFitsServer<CustomerSchemas, CustomerActionMap>>().toEqualTypeOf<AllTrue<CustomerSchemas>>()
  })

  test('schema input and map request agree both ways, except where the server is deliberately lenient', () => {
    // list_group_statuses: the schema takes `{all?, group_ids?}` and enforces "one of them" in a refinement;
    // the map types the documented alternatives `{all: true} | {group_ids}`.
    // send_event, start_chat, resume_chat: a rich-message button's `text`, `postback_id` and `user_ids`
    // are optional (the map requires them).
    expectTypeOf<ServerAcceptsMore<CustomerSchemas, CustomerActionMap>>().toEqualTypeOf<
      'list_group_statuses' | 'send_event' | 'start_chat' | 'resume_chat'
    >()
  })

  test('the only mapped action without a schema is ping, which the dispatcher answers itself', () => {
    expectTypeOf<Exclude<keyof CustomerActionMap, keyof CustomerSchemas>>().toEqualTypeOf<'ping'>()
  })
})

describe('agent schemas', () => {
  test('every validated action is in the map, and every typed request passes its schema', () => {
    expectTypeOf<ClientFitsServer<AgentSchemas, AgentActionMap>>().toEqualTypeOf<AllTrue<AgentSchemas>>()
  })

  test('schema input and map request agree both ways, except where the server is deliberately lenient', () => {
    expectTypeOf<ServerAcceptsMore<AgentSchemas, AgentActionMap>>().toEqualTypeOf<
      // any string as customer_monitoring_level (the map lists the documented levels)
      | 'login'
      // target ids of either kind (the map: group ids are numbers, agent ids strings)
      | 'transfer_chat'
      // visibility optional, defaulting to `all` (documented as required)
      | 'add_user_to_chat'
      // user_type `customer`, refused by the handler (the map allows `agent` only)
      | 'remove_user_from_chat'
      // visibility `agents` (the map allows `all` only, as documented)
      | 'send_event_preview'
      // a rich-message button's `text`, `postback_id` and `user_ids` optional (the map requires them)
      | 'send_event'
    >()
  })

  test('mapped actions without a schema: ping (answered by the dispatcher), and update_session and logout, not served', () => {
    expectTypeOf<Exclude<keyof AgentActionMap, keyof AgentSchemas>>().toEqualTypeOf<'ping' | 'update_session' | 'logout'>()
  })
})

describe('configuration schemas', () => {
  type ConfigurationSchemas = typeof configurationSchemas
  test('every configuration action is in the map, and every typed request passes its schema', () => {
    expectTypeOf<ClientFitsServer<ConfigurationSchemas, ConfigurationActionMap>>().toEqualTypeOf<AllTrue<ConfigurationSchemas>>()
  })
  test('and the map has no action the server does not validate', () => {
    expectTypeOf<Exclude<keyof ConfigurationActionMap, keyof ConfigurationSchemas>>().toEqualTypeOf<never>()
  })
})
