// Zip records (APPNOTE 6.3), written by hand: Unix modes and symlinks in the external
// attributes, one fixed DOS time (DOS time has no zone, so it reads the same everywhere),
// UTF-8 names, and zip64 wherever a size, an offset or the entry count needs it.

export const STORE = 0
export const DEFLATE = 8

const U32 = 0xffffffff
const U16 = 0xffff
/** 1980-01-01 00:00:00, the earliest DOS date: day 1, month 1, year 0 (1980). */
const DOS_DATE = (0 << 9) | (1 << 5) | 1
const DOS_TIME = 0
/** Language encoding flag: names are UTF-8. */
const FLAG_UTF8 = 0x0800
/** CRC and sizes follow the data, in a data descriptor. */
const FLAG_DESCRIPTOR = 0x0008
/** Made by Unix (3), spec 4.5: unzip then applies the mode bits in the external attributes. */
const MADE_BY = (3 << 8) | 45

export interface ZipRecord {
  name: Buffer
  method: number
  crc: number
  compressedSize: number
  size: number
  /** Offset of the local header. */
  offset: number
  /** Unix mode with file type bits (e.g. 0o100644). */
  unixMode: number
  /** CRC and sizes come after the data (streamed entries). */
  descriptor: boolean
  /** Sizes may reach 4 GiB: 8-byte sizes in the local header's extra field and the descriptor. */
  zip64: boolean
}

export function localHeader(r: ZipRecord): Buffer {
  const extra = r.zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0)
  const b = Buffer.alloc(30)
  b.writeUInt32LE(0x04034b50, 0)
  b.writeUInt16LE(versionNeeded(r), 4)
  b.writeUInt16LE(flags(r), 6)
  b.writeUInt16LE(r.method, 8)
  b.writeUInt16LE(DOS_TIME, 10)
  b.writeUInt16LE(DOS_DATE, 12)
  if (r.zip64) {
    b.writeUInt32LE(U32, 18)
    b.writeUInt32LE(U32, 22)
  } else if (!r.descriptor) {
    b.writeUInt32LE(r.crc, 14)
    b.writeUInt32LE(r.compressedSize, 18)
    b.writeUInt32LE(r.size, 22)
  }
  b.writeUInt16LE(r.name.length, 26)
  b.writeUInt16LE(extra.length, 28)
  return Buffer.concat([b, r.name, extra])
}

export function dataDescriptor(r: ZipRecord): Buffer {
  const b = Buffer.alloc(r.zip64 ? 24 : 16)
  b.writeUInt32LE(0x08074b50, 0)
  b.writeUInt32LE(r.crc, 4)
  if (r.zip64) {
    b.writeBigUInt64LE(BigInt(r.compressedSize), 8)
    b.writeBigUInt64LE(BigInt(r.size), 16)
  } else {
    b.writeUInt32LE(r.compressedSize, 8)
    b.writeUInt32LE(r.size, 12)
  }
  return b
}

export function centralHeader(r: ZipRecord): Buffer {
  const big: number[] = []
  const size = r.zip64 || r.size >= U32 ? (big.push(r.size), U32) : r.size
  const csize =
    r.zip64 || r.compressedSize >= U32 ? (big.push(r.compressedSize), U32) : r.compressedSize
  const offset = r.offset >= U32 ? (big.push(r.offset), U32) : r.offset
  const extra = big.length ? zip64Extra(big) : Buffer.alloc(0)
  const b = Buffer.alloc(46)
  b.writeUInt32LE(0x02014b50, 0)
  b.writeUInt16LE(MADE_BY, 4)
  b.writeUInt16LE(big.length ? 45 : versionNeeded(r), 6)
  b.writeUInt16LE(flags(r), 8)
  b.writeUInt16LE(r.method, 10)
  b.writeUInt16LE(DOS_TIME, 12)
  b.writeUInt16LE(DOS_DATE, 14)
  b.writeUInt32LE(r.crc, 16)
  b.writeUInt32LE(csize, 20)
  b.writeUInt32LE(size, 24)
  b.writeUInt16LE(r.name.length, 28)
  b.writeUInt16LE(extra.length, 30)
  // comment length, disk number, internal attributes: 0
  const dosDir = (r.unixMode & 0o170000) === 0o040000 ? 0x10 : 0
  b.writeUInt32LE(((r.unixMode << 16) | dosDir) >>> 0, 38)
  b.writeUInt32LE(offset, 42)
  return Buffer.concat([b, r.name, extra])
}

/** End records; zip64 ones when the count, the directory's size or its offset overflow. */
export function endOfCentralDirectory(count: number, cdOffset: number, cdSize: number): Buffer {
  const parts: Buffer[] = []
  const needs64 = count >= U16 || cdOffset >= U32 || cdSize >= U32
  if (needs64) {
    const rec = Buffer.alloc(56)
    rec.writeUInt32LE(0x06064b50, 0)
    rec.writeBigUInt64LE(44n, 4)
    rec.writeUInt16LE(MADE_BY, 12)
    rec.writeUInt16LE(45, 14)
    rec.writeBigUInt64LE(BigInt(count), 24)
    rec.writeBigUInt64LE(BigInt(count), 32)
    rec.writeBigUInt64LE(BigInt(cdSize), 40)
    rec.writeBigUInt64LE(BigInt(cdOffset), 48)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8)
    locator.writeUInt32LE(1, 16)
    parts.push(rec, locator)
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Math.min(count, U16), 8)
  end.writeUInt16LE(Math.min(count, U16), 10)
  end.writeUInt32LE(Math.min(cdSize, U32), 12)
  end.writeUInt32LE(Math.min(cdOffset, U32), 16)
  parts.push(end)
  return Buffer.concat(parts)
}

function versionNeeded(r: ZipRecord): number {
  return r.zip64 ? 45 : 20
}

function flags(r: ZipRecord): number {
  return FLAG_UTF8 | (r.descriptor ? FLAG_DESCRIPTOR : 0)
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length)
  b.writeUInt16LE(0x0001, 0)
  b.writeUInt16LE(8 * values.length, 2)
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i))
  return b
}
