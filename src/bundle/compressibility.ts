// Content that is already compressed: deflating it again costs most of the bundling time
// (a jar is a zip) and saves nothing, so the writer stores it.

const COMPRESSED = new Set([
  // archives and packages
  'jar',
  'war',
  'ear',
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  'lz4',
  '7z',
  'rar',
  'br',
  'apk',
  'whl',
  'nupkg',
  'deb',
  'rpm',
  // images, fonts, media
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'heic',
  'woff',
  'woff2',
  'mp3',
  'mp4',
  'm4a',
  'mov',
  'webm',
  'ogg'
])

export function isAlreadyCompressed(bundlePath: string): boolean {
  const dot = bundlePath.lastIndexOf('.')
  if (dot < 0 || dot < bundlePath.lastIndexOf('/')) return false
  return COMPRESSED.has(bundlePath.slice(dot + 1).toLowerCase())
}
