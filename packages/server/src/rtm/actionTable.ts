import type { z } from 'zod'
import type { ServerContext } from '../context'
import { withFieldLimits } from '../limits'
import type { Connection, ConnectionSide, RequestOrigin, Session } from './connection'
import { RtmError } from './rtmError'
import { describeIssues } from './schemas'

/** What every handler receives besides its payload. */
export interface BaseRequestContext {
  readonly ctx: ServerContext
  readonly action: string
  readonly requestId: string | undefined
  /** Runs after the response was sent: the pushes that follow a request. */
  afterResponse(effect: () => void): void
}

/**
 * What an action of a logged-in client receives: the client (an RTM connection or a Web
 * API request, the same handlers serve both) and its session.
 */
export interface RequestContext<S extends Session> extends BaseRequestContext {
  readonly connection: RequestOrigin
  readonly session: S
}

/** What `login` receives: always an RTM connection, not logged in yet. */
export interface LoginContext extends BaseRequestContext {
  readonly connection: Connection
  readonly session: undefined
}

/** A validated action: parses the raw payload with its schema, then handles it. */
export interface ActionHandler<R extends BaseRequestContext> {
  run(request: R, payload: Record<string, unknown>): unknown
}

export const defineAction = <Schema extends z.ZodType, R extends BaseRequestContext>(
  schema: Schema,
  handle: (request: R, payload: z.output<Schema>) => unknown,
): ActionHandler<R> => ({
  run(request, payload) {
    // the server's own field lengths apply while the (synchronous) schema runs
    const parsed = withFieldLimits(request.ctx.limits.fields, () => schema.safeParse(payload))
    if (!parsed.success) throw new RtmError('validation', describeIssues(parsed.error))
    return handle(request, parsed.data)
  },
})

/** The actions of one side (customer or agent): `login` plus the table of the rest. */
export interface SideProtocol<S extends Session> {
  readonly side: ConnectionSide
  readonly login: ActionHandler<LoginContext>
  readonly actions: Readonly<Record<string, ActionHandler<RequestContext<S>>>>
  isSession(session: Session | undefined): session is S
}
