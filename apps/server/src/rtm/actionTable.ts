import type { z } from 'zod'
import type { ServerContext } from '../context'
import { withFieldLimits } from '../limits'
import type { Connection, ConnectionSide, Session } from './connection'
import { RtmError } from './rtmError'
import { describeIssues } from './schemas'

/** What a handler receives besides its payload. */
export interface RequestContext<S extends Session | undefined> {
  readonly ctx: ServerContext
  readonly connection: Connection
  /** The logged-in session (`undefined` only for `login`). */
  readonly session: S
  readonly action: string
  readonly requestId: string | undefined
  /** Runs after the response frame was sent: the pushes that follow a request. */
  afterResponse(effect: () => void): void
}

/** A validated action: parses the raw payload with its schema, then handles it. */
export interface ActionHandler<S extends Session | undefined> {
  run(request: RequestContext<S>, payload: Record<string, unknown>): unknown
}

export const defineAction = <Schema extends z.ZodType, S extends Session | undefined>(
  schema: Schema,
  handle: (request: RequestContext<S>, payload: z.output<Schema>) => unknown,
): ActionHandler<S> => ({
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
  readonly login: ActionHandler<undefined>
  readonly actions: Readonly<Record<string, ActionHandler<S>>>
  isSession(session: Session | undefined): session is S
}
