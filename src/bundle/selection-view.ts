// A selection as the validator sees it, before any archive exists: reads come from disk,
// bounded, and never through a link swapped in since the selection was made.

import { constants as fsc } from 'node:fs'
import { open } from 'node:fs/promises'
import { ActionError } from '../common/errors.js'
import { MAX_READ } from './archive-reader.js'
import type { BundleView } from '../common/bundle-view.js'
import type { SelectedBundle } from './select.js'

export function selectionView(selected: SelectedBundle): BundleView {
  const byPath = new Map(selected.entries.map((e) => [e.path, e]))
  return {
    entries: selected.entries.map(({ source: _source, ...e }) => e),
    async read(p: string): Promise<Buffer> {
      const entry = byPath.get(p)
      if (!entry || entry.type !== 'file' || !entry.source)
        throw new ActionError(`'${p}' is not a file in the bundle.`)
      if (entry.size > MAX_READ)
        throw new ActionError(
          `'${p}' is ${entry.size} bytes; only files up to ${MAX_READ} bytes are read for validation.`,
          'Keep appspec.yml and hook scripts small.'
        )
      const fh = await open(entry.source, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK)
      try {
        const buf = Buffer.alloc(entry.size)
        const { bytesRead } = await fh.read(buf, 0, entry.size, 0)
        return buf.subarray(0, bytesRead)
      } finally {
        await fh.close()
      }
    }
  }
}
