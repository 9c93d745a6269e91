// What appspec validation reports, shared by the validator and the formatter.

export interface Finding {
  severity: 'error' | 'warning'
  /** Bundle path of the file the finding is about (appspec.yml or a hook script). */
  file: string
  /** 1-based line in `file`, when the finding is about one place. */
  line?: number
  /** 1-based column in `file`. */
  column?: number
  /** What is wrong, in the agent's words where the agent has some. */
  message: string
  /** What to change. */
  fix: string
  /** A finding the advice on a failure reads back (src/advice/): which one it is. */
  kind?: 'crlf' | 'background-output'
}

export interface HookScript {
  /** As written in appspec.yml. */
  location: string
  /** Bundle path of the script file (a symlink's target when the location is a link). */
  path: string
  /** Seconds; the agent's default when the appspec gives none. */
  timeout: number
  runas?: string
}

export interface FileMapping {
  source: string
  destination: string
}

/** The appspec as the agent will read it, normalised; present whenever the YAML could be read. */
export interface Appspec {
  version: unknown
  os: string
  files: FileMapping[]
  /** Lifecycle events with their scripts, in the order the agent runs them. */
  hooks: { event: string; scripts: HookScript[] }[]
}

export interface AppspecReport {
  findings: Finding[]
  appspec?: Appspec
  /** Bundle path of the appspec file that was read. */
  appspecPath?: string
  /** Bundle paths of every script a hook names that is in the bundle: the archive marks them executable. */
  hookScripts: string[]
}
