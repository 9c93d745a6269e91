// The bundle library's own vocabulary; settings/ builds these from the inputs.

export type BundleType = 'tgz' | 'zip' | 'tar'

/** One line of the `files` input, parsed. `line` is 1-based within the input, for messages. */
export type FileRule =
  | {
      kind: 'include'
      pattern: string
      /** Absent: keep the workspace-relative path. Ends with '/': a folder in the bundle. Else: rename of exactly one file. */
      target?: string
      line: number
    }
  | { kind: 'exclude'; pattern: string; line: number }
