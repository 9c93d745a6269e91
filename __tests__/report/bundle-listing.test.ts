import type { BundleEntry } from '../../src/common/bundle-view.js'
import { listingTotals, renderListing } from '../../src/report/bundle-listing.js'

const entries: BundleEntry[] = [
  { path: 'application.jar', type: 'file', mode: 0o644, size: 20_481_233 },
  { path: 'appspec.yml', type: 'file', mode: 0o644, size: 412 },
  { path: 'conf', type: 'directory', mode: 0o755, size: 0 },
  { path: 'conf/nginx.conf', type: 'file', mode: 0o600, size: 1100 },
  { path: 'current', type: 'symlink', mode: 0o777, size: 0, linkTarget: 'conf/nginx.conf' },
  { path: 'deploy.sh', type: 'file', mode: 0o755, size: 48 }
]

describe('renderListing', () => {
  it('prints one ls-like line per entry, then totals', () => {
    expect(renderListing(entries)).toEqual([
      '-rw-r--r-- 20481233  application.jar',
      '-rw-r--r--      412  appspec.yml',
      'drwxr-xr-x        0  conf/',
      '-rw-------     1100  conf/nginx.conf',
      'lrwxrwxrwx        0  current -> conf/nginx.conf',
      '-rwxr-xr-x       48  deploy.sh',
      '4 files, 1 folder, 1 symlink; 20482793 bytes of content (19.5 MiB)'
    ])
  })

  it('cuts long listings and says how many entries were left out', () => {
    const lines = renderListing(entries, { maxEntries: 2 })
    expect(lines).toEqual([
      '-rw-r--r-- 20481233  application.jar',
      '-rw-r--r--      412  appspec.yml',
      '… and 4 more entries',
      '4 files, 1 folder, 1 symlink; 20482793 bytes of content (19.5 MiB)'
    ])
  })

  it('handles a single small file', () => {
    expect(renderListing([{ path: 'appspec.yml', type: 'file', mode: 0o644, size: 1 }])).toEqual([
      '-rw-r--r-- 1  appspec.yml',
      '1 file, 0 folders; 1 byte of content (1 B)'
    ])
  })
})

describe('listingTotals', () => {
  it('counts files, folders, links and content bytes', () => {
    expect(listingTotals(entries)).toEqual({
      files: 4,
      directories: 1,
      symlinks: 1,
      bytes: 20_482_793
    })
  })
})
