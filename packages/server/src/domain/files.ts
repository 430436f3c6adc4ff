/**
 * Uploaded files (http.md §4): stored through the storage seam, served at
 * `<origin>/files/<id>/<name>`, and used by `file` events, which the server enriches with
 * `name`, `content_type`, `size` and, for images, `width`, `height`, `thumbnail_url` and
 * `thumbnail2x_url` (the local server has no resizer: thumbnails are the original served
 * with `?thumbnail=1` / `?thumbnail=2`).
 */
import { extname } from 'node:path'
import { imageSize } from 'image-size'
import type { FileRecord } from '../storage/storage'
import { shortId } from '../util/ids'
import type { DomainContext } from './context'

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
}

/** Extensions of executables, rejected at upload (`validation`). */
const EXECUTABLE_EXTENSIONS = new Set([
  'exe', 'com', 'bat', 'cmd', 'msi', 'msp', 'scr', 'pif', 'cpl', 'dll', 'sys', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh',
  'ps1', 'psm1', 'sh', 'bash', 'app', 'apk', 'jar', 'bin', 'run', 'elf', 'deb', 'rpm', 'dmg', 'reg', 'hta', 'lnk',
])

const extensionOf = (name: string): string => extname(name).slice(1).toLowerCase()

export const contentTypeOf = (name: string): string => CONTENT_TYPES[extensionOf(name)] ?? 'application/octet-stream'

/** Whether an upload is an executable: by extension or by magic bytes (PE `MZ`, ELF, Mach-O, shebang). */
export const isExecutable = (name: string, data: Buffer): boolean => {
  if (EXECUTABLE_EXTENSIONS.has(extensionOf(name))) return true
  const magic = data.subarray(0, 4)
  if (magic.subarray(0, 2).toString('latin1') === 'MZ') return true
  if (magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return true
  const word = magic.length === 4 ? magic.readUInt32BE(0) : 0
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(word)) return true
  return magic.subarray(0, 2).toString('latin1') === '#!'
}

/** Longest stored file name, in characters (the extension is kept when a name is cut). */
const FILE_NAME_MAX = 200

/**
 * The one form of an uploaded file's name, computed once before any check (the executable
 * check, the content type) and stored as is:
 * - Unicode NFC;
 * - the last segment after any `/` or `\` (no path);
 * - control characters and bidirectional overrides removed (no `exe.txt` shown for `txt.exe`);
 * - characters other than letters, digits, marks, space, `.`, `_`, `-`, `(`, `)` become `_`;
 * - leading and trailing spaces and dots removed (Windows drops them, so `payload.hta ` and
 *   `evil.exe.` are `.hta` and `.exe` files), and runs of spaces collapsed;
 * - at most 200 characters, keeping the extension; `file` when nothing is left.
 * Idempotent: a normalized name normalizes to itself.
 */
export const normalizeUploadName = (raw: string): string => {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? ''
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[^\p{L}\p{N}\p{M} ._\-()]/gu, '_')
    .replace(/ {2,}/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
  let name = cleaned
  if (name.length > FILE_NAME_MAX) {
    const extension = extname(name)
    const keep = extension.length > 0 && extension.length <= 16 ? extension : ''
    name = `${name.slice(0, FILE_NAME_MAX - keep.length).replace(/[ .]+$/, '')}${keep}`
  }
  return name.length > 0 ? name : 'file'
}

export const storeFile = (
  ctx: DomainContext,
  input: { organizationId: string; ownerId: string; name: string; data: Buffer; declaredType?: string },
): FileRecord => {
  const name = normalizeUploadName(input.name)
  let dimensions: { width: number; height: number; type: string } | undefined
  try {
    const size = imageSize(input.data)
    if (size.type && IMAGE_TYPES[size.type] && size.width > 0 && size.height > 0) {
      dimensions = { width: size.width, height: size.height, type: size.type }
    }
  } catch {
    // not an image
  }
  const declared = input.declaredType && input.declaredType !== 'application/octet-stream' ? input.declaredType : undefined
  const file: FileRecord = {
    id: shortId(16).toLowerCase(),
    organization_id: input.organizationId,
    owner_id: input.ownerId,
    name,
    content_type: dimensions ? (IMAGE_TYPES[dimensions.type] ?? contentTypeOf(name)) : (declared ?? contentTypeOf(name)),
    size: input.data.length,
    ...(dimensions ? { width: dimensions.width, height: dimensions.height } : {}),
    created_at: ctx.clock.timestamp(),
    data: input.data,
  }
  ctx.storage.putFile(file)
  return file
}

export const fileUrl = (origin: string, file: FileRecord): string => `${origin}/files/${file.id}/${encodeURIComponent(file.name)}`

const FILE_PATH = /^\/files\/([a-z0-9]+)\/[^/]+$/

/** The uploaded file a URL points at (any origin: the server may be reached by several names). */
export const fileForUrl = (ctx: DomainContext, url: string): FileRecord | undefined => {
  try {
    const id = FILE_PATH.exec(new URL(url).pathname)?.[1]
    return id === undefined ? undefined : ctx.storage.getFile(id)
  } catch {
    return undefined
  }
}

/** Server-filled fields of a `file` event (customer-rtm §9). */
export const fileEventFields = (ctx: DomainContext, url: string): Record<string, unknown> => {
  const file = fileForUrl(ctx, url)
  if (file) {
    const image = file.width !== undefined && file.height !== undefined
    return {
      name: file.name,
      content_type: file.content_type,
      size: file.size,
      ...(image ? { width: file.width, height: file.height, thumbnail_url: `${url}?thumbnail=1`, thumbnail2x_url: `${url}?thumbnail=2` } : {}),
    }
  }
  let name = 'file'
  try {
    name = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file')
  } catch {
    // keep the default name
  }
  return { name, content_type: contentTypeOf(name) }
}
