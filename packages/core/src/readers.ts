/**
 * Readers of one kind of value, called in order, directly. The per-frame and per-event
 * paths (every decoded frame, every push, the emitter's listeners by name) use this rather
 * than an RxJS `Subject`: a `Subject.next` costs an observer copy, an error-context wrapper
 * and a `Subscriber` hop per reader, which at thousands of frames a second is measurable
 * (bench/, throughput section). Adding or removing a reader replaces the list, so a reader
 * that unsubscribes (or adds one) while a value is being handed out does not disturb that
 * value's round.
 */
export class Readers<T> {
  private list: ReadonlyArray<(value: T) => void> = []

  /** Adds a reader; returns its removal (idempotent). The same function added twice is called twice. */
  add(reader: (value: T) => void): () => void {
    const entry = (value: T): void => reader(value)
    this.list = [...this.list, entry]
    return () => {
      this.list = this.list.filter((r) => r !== entry)
    }
  }

  get size(): number {
    return this.list.length
  }

  emit(value: T): void {
    const list = this.list
    for (let i = 0; i < list.length; i++) (list[i] as (value: T) => void)(value)
  }

  clear(): void {
    this.list = []
  }
}
