import type { IncomingMessage, ServerResponse } from 'node:http'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
}

export type RouteHandler = (route: RouteContext) => void | Promise<void>

interface Route {
  method: string
  segments: string[]
  handler: RouteHandler
}

const decodeParam = (part: string): string | undefined => {
  try {
    return decodeURIComponent(part)
  } catch {
    return undefined
  }
}

/** A minimal method + path router; `:name` segments capture parameters. */
export class Router {
  private readonly routes: Route[] = []

  on(method: string, path: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: path.split('/').filter(Boolean), handler })
    return this
  }

  /**
   * The handler and parameters for a request, or `undefined`; `methodMismatch` when only
   * the method differs. A parameter that is not valid percent-encoding matches nothing.
   */
  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string> } | { methodMismatch: true } | undefined {
    const parts = pathname.split('/').filter(Boolean)
    let mismatch = false
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue
      const params: Record<string, string> = {}
      const matches = route.segments.every((segment, i) => {
        const part = parts[i] ?? ''
        if (segment.startsWith(':')) {
          const value = decodeParam(part)
          if (value === undefined) return false
          params[segment.slice(1)] = value
          return true
        }
        return segment === part
      })
      if (!matches) continue
      if (route.method !== method) {
        mismatch = true
        continue
      }
      return { handler: route.handler, params }
    }
    return mismatch ? { methodMismatch: true } : undefined
  }
}
