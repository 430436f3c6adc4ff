/**
 * A URL from the network, kept only when it is absolute http(s): anything else
 * (`javascript:`, `data:`, relative paths, garbage) gives `null`, so it is never put in an
 * `href` or `src`. Links the widget renders also get `rel="noopener noreferrer"`.
 */
export const safeUrl = (value: unknown): string | null => {
  if (typeof value !== 'string') return null
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return null
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
}
