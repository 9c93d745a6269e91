// What the appspec validator sees of a bundle, whether it is about to be built
// from the workspace or was given as a pre-built archive.

export type EntryType = 'file' | 'directory' | 'symlink'

export interface BundleEntry {
  /** POSIX path relative to the bundle root: no leading './' or '/', no trailing '/', never '..'. */
  path: string
  type: EntryType
  /** Permission bits (e.g. 0o755), as they will be (or are) in the archive. */
  mode: number
  /** Bytes for files, 0 otherwise. */
  size: number
  /** Link target, for symlinks. */
  linkTarget?: string
}

export interface BundleView {
  /** Sorted by path. */
  entries: BundleEntry[]
  /** Contents of a regular file in the bundle; rejects if there is none at that path. */
  read(path: string): Promise<Buffer>
}
