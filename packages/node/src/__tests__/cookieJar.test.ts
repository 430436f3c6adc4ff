import { createMemoryStorage } from '@rapport/core'
import { describe, expect, it } from 'vitest'
import { COOKIE_STORAGE_KEY, createCookieJar } from '../cookieJar'

const setCookies = (...lines: string[]): Headers => {
  const headers = new Headers()
  for (const line of lines) headers.append('Set-Cookie', line)
  return headers
}

describe('createCookieJar', () => {
  it('sends the cookies an origin set back to that origin only', () => {
    const jar = createCookieJar(createMemoryStorage())
    expect(jar.header('https://accounts.example/v2/customer/token')).toBeUndefined()
    jar.store('https://accounts.example/v2/customer/token', setCookies('__lc_cid=abc; Path=/; HttpOnly', '__lc_cst=def; Secure; SameSite=None'))
    expect(jar.header('https://accounts.example/other')).toBe('__lc_cid=abc; __lc_cst=def')
    expect(jar.header('https://elsewhere.example/')).toBeUndefined()
  })

  it('replaces a cookie set again, and removes one that expired', () => {
    const jar = createCookieJar(createMemoryStorage(), () => Date.parse('2030-01-01T00:00:00Z'))
    const url = 'http://127.0.0.1:8080/v2/customer/token'
    jar.store(url, setCookies('a=1', 'b=2', 'c=3'))
    jar.store(url, setCookies('a=10', 'b=; Max-Age=0', 'c=3; Expires=Wed, 21 Oct 2015 07:28:00 GMT'))
    expect(jar.header(url)).toBe('a=10')
  })

  it('keeps its cookies in the storage, so a new jar on the same storage sends them too', () => {
    const storage = createMemoryStorage()
    createCookieJar(storage).store('https://accounts.example/', setCookies('__lc_cid=abc'))
    expect(JSON.parse(storage.getItem(COOKIE_STORAGE_KEY) ?? '{}')).toEqual({ 'https://accounts.example': { __lc_cid: 'abc' } })
    expect(createCookieJar(storage).header('https://accounts.example/x')).toBe('__lc_cid=abc')
  })

  it('ignores malformed lines and a corrupt stored value', () => {
    const storage = createMemoryStorage()
    storage.setItem(COOKIE_STORAGE_KEY, '{oops')
    const jar = createCookieJar(storage)
    jar.store('https://a.example/', setCookies('novalue', '=x', 'ok=1'))
    expect(jar.header('https://a.example/')).toBe('ok=1')
  })
})
