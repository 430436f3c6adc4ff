/** An error with a machine-readable type and optional data (`{type, message, data?}`, as on the wire). */
export class TypedError<Type extends string> extends Error {
  constructor(
    readonly type: Type,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message)
    this.name = new.target.name
  }
}
