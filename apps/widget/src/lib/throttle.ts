/**
 * Calls `send` with the latest value at most once per `ms`: the first value starts the
 * wait, later ones replace it, and the latest goes out when the wait ends (nothing goes
 * out when nothing came). For the sneak peek: the agent sees what is typed, a few times
 * a second at most, never a stale text last.
 */
export const throttleLatest = <T>(send: (value: T) => void, ms: number): { push(value: T): void; cancel(): void } => {
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest: T
  return {
    push(value) {
      latest = value
      if (timer !== undefined) return
      timer = setTimeout(() => {
        timer = undefined
        send(latest)
      }, ms)
    },
    cancel() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
