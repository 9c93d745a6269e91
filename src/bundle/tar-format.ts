// ustar headers, written by hand so the writer knows exactly where each entry's bytes start
// (it switches gzip levels between entries) and so every field is fixed: owner root, one mtime.
// Names that do not fit ustar, long link targets and sizes of 8 GiB or more get a pax header.

export const BLOCK = 512
/** End of archive: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK)

export interface TarEntry {
  path: string
  type: 'file' | 'directory' | 'symlink'
  mode: number
  size: number
  linkTarget?: string
  /** Seconds since the epoch. */
  mtime: number
}

const MAX_OCTAL_SIZE = 0o77777777777 // 11 octal digits: 8 GiB - 1

/** The header block(s) of one entry: a pax header first when ustar cannot hold it. */
export function tarHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path
  const size = entry.type === 'file' ? entry.size : 0
  const pax: [string, string][] = []
  const split = splitName(Buffer.from(name))
  if (!split) pax.push(['path', name])
  const link = Buffer.from(entry.linkTarget ?? '')
  if (link.length > 100) pax.push(['linkpath', entry.linkTarget ?? ''])
  if (size > MAX_OCTAL_SIZE) pax.push(['size', String(size)])

  const main = ustar({
    name: split?.name ?? truncate(Buffer.from(name), 100),
    prefix: split?.prefix ?? Buffer.alloc(0),
    mode: entry.mode,
    size: size > MAX_OCTAL_SIZE ? 0 : size,
    mtime: entry.mtime,
    type: entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2',
    link: link.length > 100 ? truncate(link, 100) : link
  })
  if (pax.length === 0) return main
  const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)))
  const paxHeader = ustar({
    name: Buffer.from('././@PaxHeader'),
    prefix: Buffer.alloc(0),
    mode: 0o644,
    size: body.length,
    mtime: entry.mtime,
    type: 'x',
    link: Buffer.alloc(0)
  })
  return Buffer.concat([paxHeader, body, tarPadding(body.length), main])
}

/** Zeros that fill the last block of `size` bytes of data. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest)
}

interface Fields {
  name: Buffer
  prefix: Buffer
  mode: number
  size: number
  mtime: number
  type: string
  link: Buffer
}

function ustar(f: Fields): Buffer {
  const b = Buffer.alloc(BLOCK)
  f.name.copy(b, 0)
  octal(b, 100, 8, f.mode)
  octal(b, 108, 8, 0)
  octal(b, 116, 8, 0)
  octal(b, 124, 12, f.size)
  octal(b, 136, 12, f.mtime)
  b.write(f.type, 156, 'latin1')
  f.link.copy(b, 157)
  b.write('ustar\0', 257, 'latin1')
  b.write('00', 263, 'latin1')
  b.write('root', 265, 'latin1')
  b.write('root', 297, 'latin1')
  octal(b, 329, 8, 0)
  octal(b, 337, 8, 0)
  f.prefix.copy(b, 345)
  b.fill(' ', 148, 156)
  let sum = 0
  for (const byte of b) sum += byte
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  return b
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, 'latin1')
}

/** ustar's name (100 bytes) and prefix (155 bytes), split at a '/', if the name fits. */
function splitName(name: Buffer): { name: Buffer; prefix: Buffer } | undefined {
  if (name.length <= 100) return { name, prefix: Buffer.alloc(0) }
  // A folder's trailing '/' stays with the name part.
  const last = name[name.length - 1] === 0x2f ? name.length - 2 : name.length - 1
  for (let i = last; i > 0; i--) {
    if (name[i] !== 0x2f) continue
    const prefix = name.subarray(0, i)
    const rest = name.subarray(i + 1)
    if (prefix.length > 155) continue
    if (rest.length === 0 || rest.length > 100) return undefined
    return { name: rest, prefix }
  }
  return undefined
}

function truncate(b: Buffer, n: number): Buffer {
  return b.length > n ? b.subarray(0, n) : b
}

/** "<length> key=value\n", where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): Buffer {
  const rest = Buffer.byteLength(` ${key}=${value}\n`)
  let length = rest + String(rest).length
  if (String(length).length !== String(rest).length) length = rest + String(length).length
  return Buffer.from(`${length} ${key}=${value}\n`)
}
