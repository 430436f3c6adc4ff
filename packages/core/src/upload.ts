import { LIMITS, customerActionUrl, type Endpoints, isObject, readWireError, toErrorCode } from '@rapport/protocol'
import { ChatError } from './chatError'
import type { Env, UploadBody } from './env'

/**
 * What `uploadFile` takes: a Blob/File, bytes (a Uint8Array or Node Buffer), React
 * Native's `{uri, type?, name?}`, or a stream of bytes (a Node readable stream, any async
 * iterable of Uint8Array). The core never reads a stream: it hands it to `env.upload`,
 * and only an Env that streams takes it (`createNodeEnv()` from `@rapport/node`).
 */
export type UploadInput = Blob | Uint8Array | AsyncIterable<Uint8Array> | { uri: string; type?: string; name?: string }

const isStream = (file: UploadInput): file is AsyncIterable<Uint8Array> =>
  typeof (file as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function' && !(file instanceof Uint8Array)

export interface UploadHandle {
  promise: Promise<{ url: string }>
  /** Aborts the upload (idempotent); the promise rejects with `UPLOAD_CANCELED`. */
  cancel(): void
}

const sizeOf = (file: UploadInput): number | undefined =>
  file instanceof Uint8Array ? file.byteLength : typeof (file as Blob).size === 'number' ? (file as Blob).size : undefined


/**
 * `upload_file` over HTTP (http.md §4): the 10 MB limit is checked before anything is
 * sent; progress is reported from 0 to 1; cancel aborts the request.
 */
export const uploadFile = (
  env: Env,
  options: { endpoints: Endpoints; organizationId: string; getAuthorization(): Promise<string> },
  params: { file: UploadInput; name?: string; onProgress?: (progress: number) => void },
): UploadHandle => {
  const controller = new AbortController()
  let canceled = false
  const promise = (async () => {
    if (!params || params.file === undefined || params.file === null) throw new ChatError('VALIDATION', '`file` is required')
    const size = sizeOf(params.file)
    if (size !== undefined && size > LIMITS.uploadBytes) throw new ChatError('TOO_BIG_FILE', 'The maximum file size is 10 MB')
    const file = params.file
    const authorization = await options.getAuthorization()
    if (canceled) throw new ChatError('UPLOAD_CANCELED', 'The upload was canceled')
    const body: UploadBody = isStream(file)
      ? { kind: 'stream', stream: file, ...(params.name !== undefined && { name: params.name }), maxBytes: LIMITS.uploadBytes }
      : file instanceof Uint8Array
        ? { kind: 'blob', blob: new Blob([file as Uint8Array<ArrayBuffer>]), name: params.name ?? 'file' }
        : 'uri' in file
          ? { kind: 'native', file }
          : { kind: 'blob', blob: file as Blob, name: params.name ?? (file as { name?: string }).name ?? 'file' }
    params.onProgress?.(0)
    let response
    try {
      response = await env.upload({
        url: customerActionUrl(options.endpoints, 'upload_file', options.organizationId),
        headers: { Authorization: authorization },
        body,
        signal: controller.signal,
        ...(params.onProgress && { onProgress: (loaded: number, total: number) => params.onProgress?.(total > 0 ? Math.min(1, loaded / total) : 0) }),
      })
    } catch (error) {
      if (canceled) throw new ChatError('UPLOAD_CANCELED', 'The upload was canceled')
      // an Env that reads a stream fails with a code of its own (TOO_BIG_FILE past maxBytes)
      if (error instanceof ChatError) throw error
      throw new ChatError('UPLOAD_FAILED', error instanceof Error ? error.message : 'The upload failed')
    }
    let json: unknown
    try {
      json = JSON.parse(response.body)
    } catch {
      json = undefined
    }
    if (response.status < 200 || response.status >= 300) {
      if (isObject(json) && isObject(json.error)) {
        const error = readWireError(json)
        throw new ChatError(toErrorCode(error.type), error.message, error.data)
      }
      throw new ChatError('UPLOAD_FAILED', `The upload failed with HTTP ${response.status}`)
    }
    if (!isObject(json) || typeof json.url !== 'string') throw new ChatError('UPLOAD_FAILED', 'The server did not return a file URL')
    params.onProgress?.(1)
    return { url: json.url }
  })()
  return {
    promise,
    cancel: () => {
      if (canceled) return
      canceled = true
      controller.abort()
    },
  }
}
