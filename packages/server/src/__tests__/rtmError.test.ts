import { describe, expect, it } from 'vitest'
import { DomainError, notFound } from '../domain/errors'
import { RtmError, toRtmError } from '../rtm/rtmError'

describe('toRtmError: where domain errors meet the wire', () => {
  it('answers a DomainError with its documented type, message and data', () => {
    const wire = toRtmError(new DomainError('group_offline', 'Group 1 is offline', { group_id: 1 }))
    expect(wire).toBeInstanceOf(RtmError)
    expect(wire?.toWire()).toEqual({ type: 'group_offline', message: 'Group 1 is offline', data: { group_id: 1 } })
    expect(toRtmError(notFound('Chat'))?.toWire()).toEqual({ type: 'not_found', message: 'Chat not found' })
  })

  it('keeps an RtmError and leaves anything else (a bug, answered as internal) unmapped', () => {
    const error = new RtmError('chat_inactive', 'Chat is inactive')
    expect(toRtmError(error)).toBe(error)
    expect(error.name).toBe('RtmError')
    expect(new DomainError('validation', 'x').name).toBe('DomainError')
    expect(toRtmError(new Error('boom'))).toBeUndefined()
    expect(toRtmError('boom')).toBeUndefined()
  })
})
