import { describe, expect, it } from 'vitest'
import { createEmitter } from '../events'

interface TestMap {
  a: number
  b: string
}

describe('createEmitter', () => {
  it('dispatches by name to on() listeners and to events$, in order', () => {
    const emitter = createEmitter<TestMap>()
    const seen: string[] = []
    emitter.events$.subscribe((e) => seen.push(`$${e.type}`))
    emitter.on('a', (n) => seen.push(`a${n}`))
    emitter.on('b', (s) => seen.push(`b${s}`))
    emitter.emit({ type: 'a', payload: 1 })
    emitter.emit({ type: 'b', payload: 'x' })
    expect(seen).toEqual(['$a', 'a1', '$b', 'bx'])
  })

  it('the same function added twice is called twice; each unsubscribe is idempotent and removes one', () => {
    const emitter = createEmitter<TestMap>()
    let calls = 0
    const listener = () => void calls++
    const first = emitter.on('a', listener)
    emitter.on('a', listener)
    emitter.emit({ type: 'a', payload: 1 })
    expect(calls).toBe(2)
    first()
    first()
    emitter.emit({ type: 'a', payload: 1 })
    expect(calls).toBe(3)
  })

  it('a listener removed or added while an event is dispatched does not change that dispatch; complete() ends everything', () => {
    const emitter = createEmitter<TestMap>()
    const seen: string[] = []
    let off = () => {}
    emitter.on('a', () => {
      seen.push('first')
      off()
      emitter.on('a', () => seen.push('late'))
    })
    off = emitter.on('a', () => seen.push('second'))
    emitter.emit({ type: 'a', payload: 1 })
    expect(seen).toEqual(['first', 'second'])
    emitter.complete()
    emitter.emit({ type: 'a', payload: 1 })
    expect(emitter.on('a', () => seen.push('after'))).toBeTypeOf('function')
    expect(seen).toEqual(['first', 'second'])
  })
})
