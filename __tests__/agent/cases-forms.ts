// Conformance cases for the forms of a path and of a scalar the agent reads: every way to write a
// `files` source or destination that the installer's File.join/File.expand_path logic admits or
// fails on, and the plain scalars where Psych and YAML 1.1 part ways (`.`, `y`, `1e3`, `1:30`,
// symbols, times). Each outcome is the real agent's (real-agent.dist.test.ts checks them).
import { bundle, COPY_ALL, fails, OK, spec, type AgentCase, type AgentOutcome } from './case-kit.js'

/** A bundle copying `source` to `destination` (`{dest}` is the case's own folder). */
function copying(source: string, destination = '{dest}', extra = {}): AgentCase['tree'] {
  return bundle(spec(`files:\n  - source: ${source}\n    destination: ${destination}\n`), extra)
}

/** A case where the agent deploys `source` to `destination`. */
const deploys = (id: string, source: string, destination?: string): AgentCase => ({
  id,
  tree: copying(source, destination),
  agent: OK
})

const installFails = (message: string): AgentOutcome => fails('Install', message)

export const FORM_CASES: AgentCase[] = [
  // files sources: the whole bundle
  deploys('files/source-dot', '.'),
  deploys('files/source-dot-slash', './'),
  deploys('files/source-dot-double-slash', './/'),
  deploys('files/source-slash-dot', '/.'),
  deploys('files/source-slash-dot-slash', '/./'),
  deploys('files/source-double-slash', '//'),
  deploys('files/source-quoted-dot', "'.'"),
  // a folder
  deploys('files/source-slash-folder', '/config'),
  deploys('files/source-double-slash-folder', '//config'),
  deploys('files/source-folder-slash-both-ends', '/config/'),
  deploys('files/source-up-and-back', 'config/../config'),
  // a file
  deploys('files/source-dot-inside', 'config/./app.conf'),
  deploys('files/source-double-slash-inside', 'config//app.conf'),
  deploys('files/source-slash-file', '/config/app.conf'),
  // what the kernel refuses
  {
    id: 'files/source-file-trailing-slash',
    tree: copying('config/app.conf/'),
    agent: installFails('Not a directory @ rb_sysopen - <archive>/config/app.conf/')
  },
  {
    id: 'files/source-through-missing-folder',
    tree: copying('missing/../config'),
    agent: installFails('No such file or directory @ rb_sysopen - <archive>/missing/../config')
  },
  {
    id: 'files/source-through-file',
    tree: copying('config/app.conf/../app.conf'),
    agent: installFails('Not a directory @ rb_sysopen - <archive>/config/app.conf/../app.conf')
  },
  {
    id: 'files/source-trailing-space',
    tree: copying("'config '"),
    agent: installFails('No such file or directory @ rb_sysopen - <archive>/config ')
  },
  {
    id: 'files/source-tilde',
    tree: copying('~/config'),
    agent: installFails('No such file or directory @ rb_sysopen - <archive>/~/config')
  },
  // above the bundle: the agent's own folder of the deployment
  {
    id: 'files/source-parent',
    tree: copying('..'),
    agent: OK,
    warns: "the agent's own folder of this deployment"
  },
  deploys('files/source-parent-archive', '../deployment-archive'),
  // what YAML gives that is not text: a list File.join joins, anything else it refuses
  deploys('files/source-list', '[config, app.conf]'),
  {
    id: 'files/source-number',
    tree: copying('2024', '{dest}', { '2024/notes.txt': 'n' }),
    agent: installFails('no implicit conversion of Integer into String')
  },
  {
    id: 'files/source-symbol',
    tree: copying(':config'),
    agent: installFails('no implicit conversion of Symbol into String')
  },
  {
    id: 'files/destination-boolean',
    tree: copying('config', 'yes'),
    agent: installFails('no implicit conversion of true into String')
  },
  // destinations
  deploys('files/destination-trailing-slash', 'config', '{dest}/'),
  deploys('files/destination-double-slash', 'config', '{dest}//'),
  deploys('files/destination-dot-dot', 'config', '{dest}/x/../y'),
  deploys('files/destination-with-space', '/', '{dest}/a b'),
  {
    id: 'files/destination-tilde',
    tree: copying('config', '~/conformance-app'),
    agent: installFails('File exists @ dir_s_mkdir - /root')
  },

  // plain scalars where Psych and YAML 1.1 part ways
  {
    id: 'yaml/plain-n-is-text',
    tree: copying('n', '{dest}', { n: 'a file named n' }),
    agent: OK
  },
  {
    id: 'yaml/plain-1e3-is-text',
    tree: copying('1e3', '{dest}', { '1e3/data.txt': 'd' }),
    agent: OK
  },
  {
    id: 'yaml/timeout-sexagesimal',
    tree: bundle(
      spec(
        `${COPY_ALL}hooks:\n  AfterInstall:\n    - location: scripts/start.sh\n      timeout: 1:30\n`
      )
    ),
    agent: OK,
    warns: '5400'
  },
  {
    id: 'yaml/time-value',
    tree: bundle(spec('released: 2024-01-01 10:00:00\n')),
    agent: fails('BeforeInstall', 'Tried to load unspecified class: Time')
  },
  {
    id: 'yaml/integer-without-digits',
    tree: bundle(spec('build: 0x_\n')),
    agent: fails('BeforeInstall', 'invalid value for Integer(): "0x"')
  }
]
