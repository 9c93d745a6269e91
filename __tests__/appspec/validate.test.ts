import { validateBundle, type Finding } from '../../src/appspec/validate.js'
import { TUTORIAL_APPSPEC } from '../support/tutorial.js'
import {
  bundleOf,
  SCRIPT,
  tutorialBundleWith,
  withAppspec,
  withHooks,
  without,
  type FixtureTree
} from './bundle-fixture.js'

interface Expected {
  severity: Finding['severity']
  file?: string
  line?: number
  column?: number
  /** Substrings of the message the user reads. */
  message: string | string[]
  /** Substring of the fix. */
  fix?: string
}

interface Case {
  name: string
  tree: FixtureTree
  origin?: 'built' | 'archive'
  /** Exactly these findings, no more. */
  expect: Expected[]
}

const FOUR_SCRIPTS = `hooks:
  AfterInstall:
    - location: init.sh
  ApplicationStart:
    - location: deploy.sh
  ValidateService:
    - location: validate.sh
`
/** Where the agent unpacks a revision on an instance; the ids are known only there. */
const ARCHIVE =
  '/opt/codedeploy-agent/deployment-root/<deployment-group-id>/<deployment-id>/deployment-archive'
/** The agent's whole message (hook_executor.rb, parse_app_spec) when appspec.yml is not at the root. */
const notFound = `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "${ARCHIVE}", and the AppSpec file was expected but not found at path "${ARCHIVE}/appspec.yml". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html`
const rubyFails = "The agent fails reading appspec.yml with Ruby's error: "
/**
 * The tutorial's permission (type: directory on /home/ec2-user/app) once nothing this deployment
 * installs is left under that folder: the agent applies it to nothing (installer.rb, find_matches).
 */
const permissionReachesNothing = (line: number): Expected => ({
  severity: 'warning',
  line,
  message:
    'The permission for /home/ec2-user/app reaches nothing: the agent applies it to the file entries this deployment installs under /home/ec2-user/app (never to /home/ec2-user/app itself)',
  fix: 'Point `object` at a destination of the `files` section'
})
/** The tutorial appspec with its permission's `type` lines replaced by `lines` (files and folders). */
const withPermission = (lines: string, overrides: FixtureTree = {}): FixtureTree =>
  withAppspec(TUTORIAL_APPSPEC.replace('    type:\n      - file\n', lines), overrides)
const tutorialWithoutAppspec = without(tutorialBundleWith(), 'appspec.yml')

const cases: Case[] = [
  // Where appspec.yml is
  {
    name: 'no appspec at all',
    tree: tutorialWithoutAppspec,
    expect: [
      {
        severity: 'error',
        file: 'appspec.yml',
        message: [notFound, 'The bundle has no appspec.yml.'],
        fix: 'Put appspec.yml at the top of the `source` folder'
      }
    ]
  },
  {
    name: 'appspec.yaml without appspec.yml',
    tree: { ...tutorialWithoutAppspec, 'appspec.yaml': TUTORIAL_APPSPEC },
    expect: [
      {
        severity: 'error',
        file: 'appspec.yaml',
        message: [
          notFound,
          'The bundle has appspec.yaml, but the agent reads only a file named exactly appspec.yml.'
        ],
        fix: 'Rename appspec.yaml to appspec.yml.'
      }
    ]
  },
  {
    name: 'AppSpec.yml in the wrong case',
    tree: { ...tutorialWithoutAppspec, 'AppSpec.yml': TUTORIAL_APPSPEC },
    expect: [
      {
        severity: 'error',
        file: 'AppSpec.yml',
        message: [
          notFound,
          'The bundle has AppSpec.yml, but the agent reads only a file named exactly appspec.yml.'
        ],
        fix: 'Rename AppSpec.yml to appspec.yml.'
      }
    ]
  },
  {
    name: 'both appspec.yml and appspec.yaml',
    tree: tutorialBundleWith({ 'appspec.yaml': 'version: 1.0\n' }),
    expect: [
      {
        severity: 'warning',
        file: 'appspec.yaml',
        message: 'the agent reads only appspec.yml',
        fix: 'Delete appspec.yaml'
      }
    ]
  },
  {
    name: 'appspec.yml only inside the single top folder of an archive',
    origin: 'archive',
    tree: Object.fromEntries(
      Object.entries(tutorialBundleWith()).map(([p, v]) => [`dist/${p}`, v])
    ),
    expect: [
      {
        severity: 'warning',
        file: 'dist/appspec.yml',
        message: [
          'appspec.yml is at dist/appspec.yml, not at the bundle root',
          'Stripping leading directory from archive bundle contents.'
        ],
        fix: 'tar -czf bundle.tgz -C dist .'
      }
    ]
  },
  {
    name: 'appspec.yml in a top folder next to other entries',
    tree: {
      ...Object.fromEntries(Object.entries(tutorialBundleWith()).map(([p, v]) => [`dist/${p}`, v])),
      'README.md': '# app\n'
    },
    expect: [
      {
        severity: 'error',
        file: 'dist/appspec.yml',
        message: [
          notFound,
          "strips a top folder only when it is the archive's only entry (here there is also README.md)"
        ],
        fix: 'point `source` at that folder (dist inside the current `source`)'
      }
    ]
  },
  {
    name: 'appspec.yml deeper in a subfolder',
    tree: { ...tutorialWithoutAppspec, 'deploy/codedeploy/appspec.yml': TUTORIAL_APPSPEC },
    expect: [
      {
        severity: 'error',
        file: 'deploy/codedeploy/appspec.yml',
        message: [
          notFound,
          'Found deploy/codedeploy/appspec.yml instead: the agent reads only appspec.yml at the bundle root.'
        ],
        fix: 'Make deploy/codedeploy/ the bundle root'
      }
    ]
  },
  {
    name: 'appspec.yml in a subfolder of a pre-built archive',
    origin: 'archive',
    tree: { ...tutorialWithoutAppspec, 'deploy/codedeploy/appspec.yml': TUTORIAL_APPSPEC },
    expect: [
      {
        severity: 'error',
        file: 'deploy/codedeploy/appspec.yml',
        message: [notFound, 'Found deploy/codedeploy/appspec.yml instead'],
        fix: 'Rebuild the archive from inside deploy/codedeploy'
      }
    ]
  },

  // YAML itself
  {
    name: "YAML syntax error with line and column, in libyaml's words",
    tree: withAppspec('version: 0.0\nos: linux\nhooks: [AfterInstall\nfiles: x\n'),
    expect: [
      {
        severity: 'error',
        line: 4,
        column: 1,
        message: `The agent's YAML reader fails: "(<unknown>): did not find expected ',' or ']' while parsing a flow sequence"`,
        fix: 'Fix the YAML at this line and column'
      }
    ]
  },
  {
    name: 'tabs used for indentation',
    tree: withAppspec('version: 0.0\nos: linux\nhooks:\n\tAfterInstall:\n'),
    expect: [
      {
        severity: 'error',
        line: 4,
        column: 1,
        message: [
          `The agent's YAML reader fails: "(<unknown>): found character that cannot start any token while scanning for the next token"`,
          'Tabs are not allowed as indentation'
        ],
        fix: 'Indent with spaces only.'
      }
    ]
  },
  {
    name: 'a key given twice',
    tree: withAppspec(`${TUTORIAL_APPSPEC.replace('os: linux\n', 'os: linux\nos: linux\n')}`),
    expect: [{ severity: 'warning', line: 3, message: 'appears twice', fix: 'Merge' }]
  },
  {
    name: "appspec.yml with a UTF-8 BOM: the agent's YAML reader keeps only the first key, so os is missing",
    tree: withAppspec(`\ufeff${TUTORIAL_APPSPEC}`),
    expect: [
      {
        severity: 'error',
        line: 1,
        message: [
          'appspec.yml starts with a UTF-8 byte order mark (BOM)',
          'keeps only the first key and drops the rest (os, files, permissions, hooks)'
        ],
        fix: 'without BOM'
      },
      {
        severity: 'error',
        line: 1,
        message:
          'The deployment failed because the application specification file specifies an unsupported operating system ().',
        fix: 'Add the line `os: linux`'
      },
      { severity: 'warning', line: 1, message: 'appspec.yml has no hooks' },
      { severity: 'warning', line: 1, message: 'appspec.yml copies no files' }
    ]
  },
  {
    name: 'appspec.yml with a UTF-8 BOM then a comment line, which the agent reads whole (warning)',
    tree: withAppspec(`\ufeff# the tutorial\n${TUTORIAL_APPSPEC}`),
    expect: [
      {
        severity: 'warning',
        line: 1,
        message: [
          'appspec.yml starts with a UTF-8 byte order mark (BOM)',
          'the agent reads it only because nothing follows the first line'
        ],
        fix: 'Save it as UTF-8 without BOM.'
      }
    ]
  },
  {
    name: 'an empty appspec.yml',
    tree: withAppspec(''),
    expect: [
      {
        severity: 'error',
        message:
          "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.",
        fix: '`version: 0.0`'
      }
    ]
  },
  {
    name: 'appspec.yml that is a list, which Ruby fails to index',
    tree: withAppspec('- version: 0.0\n- os: linux\n'),
    expect: [
      {
        severity: 'error',
        line: 1,
        message: `${rubyFails}no implicit conversion of String into Integer.`,
        fix: 'appspec.yml must be a map of keys, not a list.'
      }
    ]
  },

  // version and os
  {
    name: 'version 1.0',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0', 'version: 1.0')),
    expect: [
      {
        severity: 'error',
        line: 1,
        column: 1,
        message:
          'The deployment failed because an invalid version value (1.0) was entered in the application specification file.',
        fix: 'Write `version: 0.0`'
      }
    ]
  },
  {
    name: 'version "0.0" in quotes is a string for the agent',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0', 'version: "0.0"')),
    expect: [
      {
        severity: 'error',
        line: 1,
        message: 'invalid version value (0.0)',
        fix: 'without quotes'
      }
    ]
  },
  {
    name: 'version "0"',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0', "version: '0'")),
    expect: [{ severity: 'error', message: 'invalid version value (0)' }]
  },
  {
    name: 'version missing',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0\n', '')),
    expect: [
      { severity: 'error', message: 'invalid version value ()', fix: 'Add the line `version: 0.0`' }
    ]
  },
  {
    name: 'version 0 (an integer) passes, as the agent compares 0 == 0.0',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0', 'version: 0')),
    expect: []
  },
  {
    name: 'os missing',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('os: linux\n', '')),
    expect: [
      {
        severity: 'error',
        message:
          'The deployment failed because the application specification file specifies an unsupported operating system ().',
        fix: 'Add the line `os: linux`'
      }
    ]
  },
  {
    name: 'os Linux in capitals',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('os: linux', 'os: Linux')),
    expect: [
      {
        severity: 'error',
        line: 2,
        message: 'unsupported operating system (Linux)',
        fix: '`os: linux` in lower case'
      }
    ]
  },
  {
    name: 'os naming a distribution',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('os: linux', 'os: ubuntu')),
    expect: [
      { severity: 'error', message: '(ubuntu)', fix: '`os: linux` for any Linux distribution' }
    ]
  },
  {
    name: 'unknown top-level key (hook: instead of hooks:)',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('hooks:', 'hook:')),
    expect: [
      {
        severity: 'warning',
        line: 12,
        message:
          "Unknown top-level key 'hook': the agent ignores it, so none of the hooks under it run.",
        fix: "Did you mean 'hooks'?"
      },
      { severity: 'warning', message: 'appspec.yml has no hooks' }
    ]
  },

  // hooks
  {
    name: 'unknown lifecycle event with the closest valid name',
    tree: withHooks(FOUR_SCRIPTS.replace('ValidateService:', 'ValidateServices:')),
    expect: [
      {
        severity: 'error',
        file: 'appspec.yml',
        line: 17,
        column: 3,
        message: 'appspec.yml file contains unknown lifecycle events: ["ValidateServices"]',
        fix: 'Did you mean "ValidateService" for "ValidateServices"? Event names are case-sensitive.'
      },
      { severity: 'warning', message: 'no ValidateService hook' }
    ]
  },
  {
    name: 'lifecycle event in the wrong case',
    tree: withHooks(FOUR_SCRIPTS.replace('AfterInstall:', 'afterInstall:')),
    expect: [
      {
        severity: 'error',
        line: 13,
        message: 'appspec.yml file contains unknown lifecycle events: ["afterInstall"]',
        fix: 'Did you mean "AfterInstall" for "afterInstall"?'
      }
    ]
  },
  {
    name: 'an event nothing resembles lists the valid ones',
    tree: withHooks(`${FOUR_SCRIPTS}  Whenever:\n    - location: init.sh\n`),
    expect: [
      {
        severity: 'error',
        line: 19,
        message: 'appspec.yml file contains unknown lifecycle events: ["Whenever"]',
        fix: 'Use only these events: BeforeBlockTraffic, AfterBlockTraffic, ApplicationStop, BeforeInstall, AfterInstall, ApplicationStart, ValidateService, BeforeAllowTraffic, AfterAllowTraffic.'
      }
    ]
  },
  {
    name: 'a reserved event given scripts: the agent accepts them and never runs them (warning)',
    tree: withHooks(
      `hooks:\n  Install:\n    - location: init.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'warning',
        line: 13,
        column: 3,
        message:
          'Install is reserved for the work CodeDeploy does itself: the agent accepts the scripts listed under it but they never run.',
        fix: 'Move them to BeforeInstall or AfterInstall.'
      }
    ]
  },
  {
    name: 'hooks written as a list, which Ruby cannot each_pair',
    tree: withHooks(`hooks:\n  - AfterInstall:\n      - location: init.sh\n`),
    expect: [
      {
        severity: 'error',
        line: 12,
        message: `${rubyFails}undefined method \`each_pair' for [{"AfterInstall"=>[{"location"=>"init.sh"}]}]:Array.`,
        fix: "remove the '- ' before each event name"
      }
    ]
  },
  {
    name: 'a hook that is not a list, whose pairs Ruby cannot has_key?',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    location: init.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 13,
        message: `${rubyFails}undefined method \`has_key?' for ["location", "init.sh"]:Array.`,
        fix: "Put '- ' before `location:`"
      }
    ]
  },
  {
    name: 'a hook with nothing under it, which the agent skips (no finding)',
    tree: withHooks(`hooks:\n  AfterInstall:\n  ValidateService:\n    - location: validate.sh\n`),
    expect: []
  },
  {
    name: 'an unknown event with nothing under it, which the agent skips (warning)',
    tree: withHooks(`hooks:\n  AfterInstall:\n    - location: init.sh\n  ValidateServices:\n`),
    expect: [
      {
        severity: 'warning',
        line: 15,
        column: 3,
        message:
          "'ValidateServices' is not a lifecycle event; the agent ignores it because it lists no scripts.",
        fix: 'Did you mean "ValidateService"?'
      }
    ]
  },
  {
    name: 'a script entry without location',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - timeout: 300\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 14,
        message:
          'The deployment failed because the application specification file specifies a script with no location value.',
        fix: 'Add `location:`'
      }
    ]
  },
  {
    name: 'a script entry written as a plain string, which Ruby cannot has_key?',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - init.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 14,
        message: `${rubyFails}undefined method \`has_key?' for "init.sh":String.`,
        fix: 'Write it as `- location: init.sh`.'
      }
    ]
  },
  {
    name: 'a misspelt key in a script entry',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - location: init.sh\n      timout: 300\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'warning',
        line: 15,
        message: "Unknown key 'timout'",
        fix: "Did you mean 'timeout'?"
      }
    ]
  },
  {
    name: 'no hooks at all',
    tree: withHooks(''),
    expect: [
      { severity: 'warning', message: 'appspec.yml has no hooks', fix: 'Add a `hooks` section' }
    ]
  },
  {
    name: 'ApplicationStart without ValidateService',
    tree: withHooks(`hooks:\n  ApplicationStart:\n    - location: deploy.sh\n`),
    expect: [
      {
        severity: 'warning',
        line: 13,
        message: 'no ValidateService hook checks that it came up',
        fix: 'Add a ValidateService hook'
      }
    ]
  },

  // hook scripts
  {
    name: 'a script missing from the bundle',
    tree: withHooks(FOUR_SCRIPTS.replace('location: init.sh', 'location: scripts/migrate.sh')),
    expect: [
      {
        severity: 'error',
        file: 'appspec.yml',
        line: 14,
        column: 7,
        message: `Script does not exist at specified location: ${ARCHIVE}/scripts/migrate.sh`,
        fix: 'relative to the bundle root'
      }
    ]
  },
  {
    name: 'a script in another folder than the location says',
    tree: without(
      withHooks(FOUR_SCRIPTS, { 'scripts/init.sh': { content: SCRIPT, mode: 0o755 } }),
      'init.sh'
    ),
    expect: [
      {
        severity: 'error',
        line: 14,
        message: `Script does not exist at specified location: ${ARCHIVE}/init.sh`,
        fix: 'The bundle has it at scripts/init.sh: write `location: scripts/init.sh`.'
      }
    ]
  },
  {
    name: 'a location naming a folder, which the agent fails to run',
    tree: withHooks(FOUR_SCRIPTS, {
      'init.sh': { dir: true },
      'scripts/init.sh': { content: SCRIPT, mode: 0o755 }
    }),
    expect: [
      {
        severity: 'error',
        line: 14,
        message: `Script at specified location: init.sh failed with error Errno::EACCES with message Permission denied - ${ARCHIVE}/init.sh`,
        fix: "'init.sh' is a folder: give the path of the script file inside it."
      }
    ]
  },
  {
    name: 'a location written as a path on the instance',
    tree: withHooks(
      FOUR_SCRIPTS.replace('location: init.sh', 'location: /home/ec2-user/app/init.sh')
    ),
    expect: [
      {
        severity: 'error',
        message: `Script does not exist at specified location: ${ARCHIVE}/home/ec2-user/app/init.sh`,
        fix: 'it is relative to the bundle root, not a path on the instance. The bundle has it at init.sh: write `location: init.sh`.'
      }
    ]
  },
  {
    name: 'a location with a leading / that the agent still finds',
    tree: withHooks(FOUR_SCRIPTS.replace('location: init.sh', 'location: /init.sh')),
    expect: [
      {
        severity: 'warning',
        line: 14,
        message: "location '/init.sh' starts with '/'",
        fix: "Write `location: init.sh` without the leading '/'."
      }
    ]
  },
  {
    name: 'a location climbing out of the bundle',
    tree: withHooks(FOUR_SCRIPTS.replace('location: init.sh', 'location: ../init.sh')),
    expect: [
      {
        severity: 'error',
        message: `Script does not exist at specified location: ${ARCHIVE.replace('/deployment-archive', '')}/init.sh: the location leaves the bundle.`,
        fix: 'relative to the bundle root'
      }
    ]
  },
  {
    name: 'a script with CRLF line endings',
    tree: tutorialBundleWith({ 'init.sh': { content: '#!/bin/bash\r\necho hi\r\n', mode: 0o755 } }),
    expect: [
      {
        severity: 'error',
        file: 'init.sh',
        line: 1,
        message: [
          'init.sh has Windows (CRLF) line endings',
          'failed with error Errno::ENOENT with message No such file or directory',
          "the kernel looks for the interpreter '/bin/bash\\r'"
        ],
        fix: 'Convert it to LF line endings'
      }
    ]
  },
  {
    name: 'a script without #!, which the agent runs through /bin/sh (warning)',
    tree: tutorialBundleWith({
      'deploy.sh': { content: 'java -jar application.jar &\n', mode: 0o755 }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 1,
        message:
          "deploy.sh does not start with '#!': the agent runs it through /bin/sh, so bash-only syntax in it fails.",
        fix: 'Add a first line naming the interpreter, such as `#!/bin/bash`.'
      },
      // Under bash and dash alike, so not tied to one /bin/sh.
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 1,
        message:
          'deploy.sh line 1: `java -jar application.jar &` runs in the background with its output still on the hook'
      }
    ]
  },

  // background jobs left on the hook's output (background-jobs.test.ts has the shells' cases)
  {
    name: 'a start script whose job keeps the hook output open (warning on its line)',
    tree: tutorialBundleWith({
      'deploy.sh': {
        content: '#!/bin/bash\nset -e\ncd /home/ec2-user/app\njava -jar application.jar &\n',
        mode: 0o755
      }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 4,
        message:
          'deploy.sh line 4: `java -jar application.jar &` runs in the background with its output still on the hook\'s stdout and stderr: the CodeDeploy agent waits for them to close until the hook\'s timeout (300 s), then fails ApplicationStart with "Script at specified location: deploy.sh failed to close STDOUT".',
        fix: 'Redirect its output: `java -jar application.jar > /dev/null 2>&1 < /dev/null &` (or run the service under systemd).'
      }
    ]
  },
  {
    name: 'a job whose stderr alone stays on the hook: the agent names STDERR',
    tree: tutorialBundleWith({
      'deploy.sh': {
        content: '#!/bin/bash\nnohup java -jar application.jar >> /var/log/app.log &\n',
        mode: 0o755
      }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 2,
        message:
          'deploy.sh line 2: `nohup java -jar application.jar >> /var/log/app.log &` runs in the background with its output still on the hook\'s stderr (nohup redirects output only when it goes to a terminal, and the agent gives the script pipes): the CodeDeploy agent waits for it to close until the hook\'s timeout (300 s), then fails ApplicationStart with "Script at specified location: deploy.sh failed to close STDERR".',
        fix: 'Redirect its output: `nohup java -jar application.jar >> /var/log/app.log 2>&1 < /dev/null &` (or run the service under systemd).'
      }
    ]
  },
  {
    name: "a redirected job after `cd dir &&`: the list's bash subshell holds the output (warning)",
    tree: tutorialBundleWith({
      'deploy.sh': {
        content:
          '#!/bin/bash\ncd /home/ec2-user/app && nohup java -jar application.jar >/dev/null 2>&1 &\n',
        mode: 0o755
      }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 2,
        message:
          'deploy.sh line 2: `cd /home/ec2-user/app && nohup java -jar application.jar >/dev/null 2>&1 &` sends the whole list to the background, not only its last command: bash runs the list in a subshell that keeps the hook\'s stdout and stderr open while the last command runs, although that command is redirected: the CodeDeploy agent waits for them to close until the hook\'s timeout (300 s), then fails ApplicationStart with "Script at specified location: deploy.sh failed to close STDOUT".',
        fix: 'Send only the last command to the background: `cd /home/ec2-user/app && { nohup java -jar application.jar > /dev/null 2>&1 < /dev/null & }`, or redirect the whole list: `(cd /home/ec2-user/app && nohup java -jar application.jar) > /dev/null 2>&1 < /dev/null &` (or run the service under systemd).'
      }
    ]
  },
  {
    name: 'the same list under #!/bin/sh: only where /bin/sh is bash',
    tree: tutorialBundleWith({
      'deploy.sh': {
        content:
          '#!/bin/sh\ncd /home/ec2-user/app && java -jar application.jar >/dev/null 2>&1 &\n',
        mode: 0o755
      }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 2,
        message:
          'deploy.sh line 2: On instances where /bin/sh is bash (Amazon Linux, RHEL), `cd /home/ec2-user/app && java -jar application.jar >/dev/null 2>&1 &` sends the whole list to the background'
      }
    ]
  },
  {
    name: '`&>` under #!/bin/sh, which dash reads as `&` and `>` (warning)',
    tree: tutorialBundleWith({
      'deploy.sh': {
        content: '#!/bin/sh\njava -jar /home/ec2-user/app/application.jar &> /var/log/app.log\n',
        mode: 0o755
      }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 2,
        message:
          'deploy.sh line 2: On instances where /bin/sh is dash (Ubuntu, Debian), in `java -jar /home/ec2-user/app/application.jar &> /var/log/app.log` dash reads `&>` as `&` followed by `>`, so the command runs in the background with its output still on the hook\'s stdout and stderr: the CodeDeploy agent waits for them to close until the hook\'s timeout (300 s), then fails ApplicationStart with "Script at specified location: deploy.sh failed to close STDOUT".',
        fix: 'Write `java -jar /home/ec2-user/app/application.jar > /var/log/app.log 2>&1`, which every shell reads the same, or start the script with `#!/bin/bash`.'
      }
    ]
  },
  {
    name: "a job in an ApplicationStop script fails the next deployment's ApplicationStop",
    tree: withHooks(
      'hooks:\n  ApplicationStop:\n    - location: stop.sh\n      timeout: 60\n  ValidateService:\n    - location: validate.sh\n',
      {
        'stop.sh': { content: '#!/bin/bash\n(sleep 30; pkill -f application.jar) &\n', mode: 0o755 }
      }
    ),
    expect: [
      {
        severity: 'warning',
        file: 'stop.sh',
        line: 2,
        message:
          "the CodeDeploy agent waits for them to close until the hook's timeout (60 s), then fails the next deployment's ApplicationStop (which runs this revision's scripts) with \"Script at specified location: stop.sh failed to close STDOUT\".",
        fix: 'Redirect the whole subshell: `(sleep 30; pkill -f application.jar) > /dev/null 2>&1 < /dev/null &`.'
      }
    ]
  },
  {
    name: 'a job with its output redirected, or in a script of another interpreter (no finding)',
    tree: tutorialBundleWith({
      'deploy.sh': {
        content:
          '#!/bin/bash\n# java -jar application.jar &\necho "starting & waiting"\nnohup java -jar /home/ec2-user/app/application.jar > /dev/null 2>&1 < /dev/null &\n',
        mode: 0o755
      },
      'validate.sh': {
        content: '#!/usr/bin/env python3\nimport os\nos.system("java -jar app.jar &")\n',
        mode: 0o755
      }
    }),
    expect: []
  },
  {
    name: 'a script with a BOM before #!, which /bin/sh runs past its first line (warning)',
    tree: tutorialBundleWith({ 'deploy.sh': { content: `\ufeff${SCRIPT}`, mode: 0o755 } }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        line: 1,
        message: [
          "deploy.sh starts with a UTF-8 byte order mark, which hides its '#!' line",
          'the agent runs it through /bin/sh'
        ],
        fix: 'without BOM'
      }
    ]
  },
  {
    name: 'a script larger than 1 MB',
    tree: tutorialBundleWith({
      'deploy.sh': { content: Buffer.alloc(2 * 1024 * 1024, 0x41), mode: 0o755 }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        message: 'deploy.sh is 2.0 MB',
        fix: 'Check the location names the script'
      }
    ]
  },
  {
    name: 'a script not executable in a pre-built archive',
    origin: 'archive',
    tree: tutorialBundleWith({ 'init.sh': { content: SCRIPT, mode: 0o644 } }),
    expect: [
      {
        severity: 'warning',
        file: 'init.sh',
        message:
          'Script at specified location: init.sh is not executable.  Trying to make it executable.',
        fix: '`chmod +x init.sh`'
      }
    ]
  },
  {
    name: 'a non-executable script in a bundle about to be built (the writer marks it)',
    origin: 'built',
    tree: tutorialBundleWith({ 'init.sh': { content: SCRIPT, mode: 0o644 } }),
    expect: []
  },
  {
    name: 'a symlinked hook script, which the agent runs through the link (no finding)',
    tree: tutorialBundleWith({
      'init.sh': { link: 'scripts/init.sh' },
      'scripts/init.sh': { content: SCRIPT, mode: 0o755 }
    }),
    expect: []
  },
  {
    // On the instance the link resolves against the unpacked archive: '../tools/init.sh' is
    // <deployment-id>/tools/init.sh, a folder only the agent writes (bundle.tar, logs,
    // deployment-archive), so File.exist? is false and the hook fails (hook_executor.rb).
    name: 'a hook script symlink climbing out of the bundle, which the agent reports missing',
    tree: tutorialBundleWith({ 'init.sh': { link: '../tools/init.sh' } }),
    expect: [
      {
        severity: 'error',
        line: 14,
        message: [
          `Script does not exist at specified location: ${ARCHIVE}/init.sh`,
          "symlink to '../tools/init.sh'"
        ],
        fix: 'Put the script itself in the bundle'
      }
    ]
  },

  // timeouts
  {
    name: 'timeout 0',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('timeout: 300', 'timeout: 0')),
    expect: [
      {
        severity: 'error',
        line: 15,
        column: 7,
        message:
          'The deployment failed because an invalid timeout value was provided for a script in the application specification file.',
        fix: '`timeout: 0` must be a whole number of seconds from 1 to 3600'
      }
    ]
  },
  {
    name: 'timeout in words',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('timeout: 300', 'timeout: five minutes')),
    expect: [
      {
        severity: 'error',
        message: 'invalid timeout value',
        fix: '`timeout: five minutes` must be a whole number'
      }
    ]
  },
  {
    name: 'timeout as a quoted number, which the agent reads',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('timeout: 300', 'timeout: "300"')),
    expect: []
  },
  {
    name: 'one script with a timeout above 3600, which the agent accepts (warning)',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('timeout: 300', 'timeout: 5000')),
    expect: [
      {
        severity: 'warning',
        line: 15,
        column: 7,
        message: [
          'timeout 5000 for init.sh is above 3600 seconds: the agent accepts it',
          'AfterInstall fails at 3600 s whatever this says'
        ],
        fix: 'Set `timeout` to 3600 or less'
      }
    ]
  },
  {
    name: 'timeouts adding up to more than 3600 in one event, which the agent accepts (warning)',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - location: init.sh\n      timeout: 3000\n    - location: deploy.sh\n      timeout: 1200\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'warning',
        line: 13,
        message: [
          'The timeouts of AfterInstall add up to 4200 seconds (init.sh 3000 + deploy.sh 1200)',
          'CodeDeploy fails the event after 3600 seconds in total'
        ],
        fix: 'add up to 3600 or less'
      }
    ]
  },

  // runas, files, permissions
  {
    name: 'runas with os windows, which the Windows agent ignores (warning; Windows scripts need no #!)',
    tree: {
      'appspec.yml': `version: 0.0\nos: windows\nfiles:\n  - source: app\\site\n    destination: C:\\inetpub\\app\nhooks:\n  AfterInstall:\n    - location: scripts\\install.ps1\n      runas: Administrator\n`,
      'app/site/index.html': '<html></html>',
      'scripts/install.ps1': 'Write-Host "hi"\r\n'
    },
    expect: [
      {
        severity: 'warning',
        line: 9,
        column: 7,
        message:
          '`runas` has no effect on Windows: the Windows agent runs every script as its own account.',
        fix: 'Remove `runas`'
      }
    ]
  },
  {
    name: 'files missing',
    tree: withAppspec(TUTORIAL_APPSPEC.replace(/files:\n.*\n.*\n/, '')),
    expect: [
      {
        severity: 'warning',
        message: 'appspec.yml copies no files',
        fix: 'destination: /home/ec2-user/app'
      },
      permissionReachesNothing(4)
    ]
  },
  {
    name: 'files not a list, whose pairs Ruby fails to index',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('  - source: /\n    destination', '  source: /\n  destination')
    ),
    expect: [
      {
        severity: 'error',
        line: 3,
        message: `${rubyFails}no implicit conversion of String into Integer.`,
        fix: "`files` must be a list: put '- ' before `source:`"
      }
    ]
  },
  {
    name: 'a files source that is not in the bundle',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('source: /', 'source: build/libs/app.jar'), {}),
    expect: [
      {
        severity: 'error',
        line: 4,
        message: [
          `No such file or directory @ rb_sysopen - ${ARCHIVE}/build/libs/app.jar`,
          "files source 'build/libs/app.jar' is not in the bundle, so the agent fails copying it."
        ],
        fix: '`/` means the whole bundle'
      }
    ]
  },
  {
    name: 'a files source found under another folder',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('source: /', 'source: conf/nginx.conf')),
    expect: [
      {
        severity: 'error',
        line: 4,
        message: [
          `No such file or directory @ rb_sysopen - ${ARCHIVE}/conf/nginx.conf`,
          "files source 'conf/nginx.conf' is not in the bundle"
        ],
        fix: "The bundle has 'nginx.conf': write `source: nginx.conf`."
      }
    ]
  },
  {
    name: 'a files entry without destination',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('    destination: /home/ec2-user/app\n', '')),
    expect: [
      {
        severity: 'error',
        line: 4,
        message:
          'The deployment failed because the application specification file specifies only a source file (/).',
        fix: 'Add `destination:`'
      }
    ]
  },
  {
    name: 'a files entry without source',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('  - source: /\n    destination', '  - destination')
    ),
    expect: [
      {
        severity: 'error',
        line: 4,
        message:
          'The deployment failed because the application specification file specifies a destination file, but no source file.',
        fix: 'Add `source:`'
      }
    ]
  },
  {
    name: 'a relative destination, which the agent copies relative to / (warning)',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('destination: /home/ec2-user/app', 'destination: home/ec2-user/app')
    ),
    expect: [
      {
        severity: 'warning',
        line: 5,
        message: [
          "files destination 'home/ec2-user/app' is not an absolute path",
          'the agent copies relative to its own working folder (/ for the agent service)'
        ],
        fix: '`destination: /home/ec2-user/app`'
      }
    ]
  },
  {
    name: 'a Windows destination without a drive, which the agent accepts (warning)',
    tree: {
      'appspec.yml':
        'version: 0.0\nos: windows\nfiles:\n  - source: /\n    destination: /inetpub/app\n',
      'index.html': '<html></html>'
    },
    expect: [
      {
        severity: 'warning',
        line: 5,
        message: [
          "files destination '/inetpub/app' is not an absolute Windows path",
          'the agent resolves it against its own working folder'
        ],
        fix: 'C:\\inetpub\\app'
      },
      { severity: 'warning', message: 'appspec.yml has no hooks' }
    ]
  },
  {
    name: 'the whole bundle copied to /',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('destination: /home/ec2-user/app', 'destination: /')
    ),
    expect: [
      {
        severity: 'warning',
        line: 5,
        message: [
          "files destination '/' is a system folder",
          'the whole bundle (appspec.yml and scripts included)'
        ],
        fix: '/opt/my-app'
      },
      permissionReachesNothing(7)
    ]
  },
  {
    name: 'the whole bundle copied into /etc',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('destination: /home/ec2-user/app', 'destination: /etc/')
    ),
    expect: [
      {
        severity: 'warning',
        line: 5,
        message: "files destination '/etc/' is a system folder",
        fix: 'name the file itself'
      },
      permissionReachesNothing(7)
    ]
  },
  {
    name: 'one config file copied into a system folder is fine',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace(
        'files:\n',
        'files:\n  - source: nginx.conf\n    destination: /etc/nginx/conf.d\n  - source: nginx.conf\n    destination: /etc\n'
      )
    ),
    expect: []
  },
  {
    name: 'permissions with os windows',
    tree: {
      'appspec.yml':
        'version: 0.0\nos: windows\nfiles:\n  - source: /\n    destination: C:\\app\npermissions:\n  - object: C:\\app\n    owner: me\n',
      'index.html': '<html></html>'
    },
    expect: [
      {
        severity: 'error',
        line: 6,
        message:
          'The deployment failed because the application specification file specifiles file permissions, but the deployment is targeting one or more Windows Server instances. Permissions are supported only for Amazon Linux, Ubuntu Server, and Red Hat Enterprise Linux (RHEL) instances.',
        fix: 'Remove the `permissions` section'
      },
      { severity: 'warning', message: 'appspec.yml has no hooks' }
    ]
  },
  {
    name: 'a permission without object and one with an unsupported type',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace(
        'permissions:\n',
        'permissions:\n  - owner: ec2-user\n  - object: /tmp/x\n    type: [link]\n'
      )
    ),
    expect: [
      {
        severity: 'error',
        line: 7,
        message: 'a permission listed in the application specification file has no object value.',
        fix: 'Add `object:`'
      },
      {
        severity: 'error',
        message: 'an object type not supported for permissions (link).',
        fix: '`file` and/or `directory`'
      }
    ]
  },

  // top-level file_exists_behavior (application_specification.rb, parse_file_exists_behavior)
  {
    name: 'file_exists_behavior in lower case, which the agent refuses',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('os: linux\n', 'os: linux\nfile_exists_behavior: overwrite\n')
    ),
    expect: [
      {
        severity: 'error',
        line: 3,
        column: 1,
        message:
          'The deployment failed because an invalid file_exists_behavior value (overwrite) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.',
        fix: 'Write `file_exists_behavior: OVERWRITE` in capitals'
      }
    ]
  },
  {
    name: 'file_exists_behavior naming no behaviour, which the agent refuses',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('os: linux\n', 'os: linux\nfile_exists_behavior: MERGE\n')
    ),
    expect: [
      {
        severity: 'error',
        line: 3,
        message: 'an invalid file_exists_behavior value (MERGE) was entered',
        fix: 'Write one of DISALLOW (fail on a file another deployment left), OVERWRITE or RETAIN'
      }
    ]
  },
  {
    name: 'file_exists_behavior RETAIN is accepted',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('os: linux\n', 'os: linux\nfile_exists_behavior: RETAIN\n')
    ),
    expect: []
  },

  // permissions values (mode_info.rb, ace_info.rb, context_info.rb, range_info.rb)
  {
    name: 'mode 0644 unquoted, which YAML reads as octal: the agent applies 420 (warning)',
    tree: withPermission('    mode: 0644\n'),
    expect: [
      {
        severity: 'warning',
        line: 10,
        column: 5,
        message:
          '`mode: 0644` is read by YAML as the octal number 0644, which is 420 in decimal: the agent applies mode 420, not 644.',
        fix: 'Write `mode: 644` (no leading zero) or quote it: `mode: "0644"`.'
      }
    ]
  },
  {
    name: 'mode 0755 unquoted, read as 493, which the agent refuses',
    tree: withPermission('    mode: 0755\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message: [
          'The deployment failed because the permissions mode (493) in the application specification file contains an invalid character (9).',
          'YAML reads the unquoted `0755` as the octal number 0755, which is 493 in decimal'
        ],
        fix: '`mode: 644` or `mode: "0644"`'
      }
    ]
  },
  {
    name: 'mode with a digit above 7, which the agent refuses',
    tree: withPermission('    mode: 789\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because the permissions mode (789) in the application specification file contains an invalid character (8). Update the permissions section of the AppSpec file, and then try again.',
        fix: 'three or four octal digits'
      }
    ]
  },
  {
    name: 'mode of five digits, which the agent refuses',
    tree: withPermission('    mode: 12345\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because the length of a permissions mode (12345) in the application specification file is invalid. Permissions modes must be between one and four characters long.',
        fix: 'three or four octal digits'
      }
    ]
  },
  {
    name: 'acls naming a user, which need setfacl on the instance (warning)',
    tree: withPermission('    acls:\n      - "u:ec2-user:rwx"\n'),
    expect: [
      {
        severity: 'warning',
        line: 10,
        message: 'The agent applies `acls` with `setfacl --set`',
        fix: 'acl package installed'
      }
    ]
  },
  {
    name: 'acls setting the base entry, which the agent refuses',
    tree: withPermission('    acls:\n      - "u::rwx"\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (u::rwx).',
        fix: '`u:ec2-user:rwx`'
      }
    ]
  },
  {
    name: 'an acls entry with a bad permission letter, which the agent refuses',
    tree: withPermission('    acls: ["u:ec2-user:rwz"]\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because the access control list (ACL) named u:ec2-user:rwz in the application specification file contains an invalid character (z).',
        fix: '`[d:]u|g:<name>:<rwx>`'
      }
    ]
  },
  {
    name: 'a default acl on an installed file, which the agent refuses',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace(
        'permissions:\n',
        'permissions:\n  - object: /home/ec2-user/app/nginx.conf\n    acls: ["d:u:nobody:rw"]\n'
      )
    ),
    expect: [
      {
        severity: 'error',
        line: 8,
        message:
          'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only.',
        fix: 'Remove the `d:` entries, or make `object` a folder.'
      },
      { severity: 'warning', line: 8, message: 'The agent applies `acls` with `setfacl --set`' }
    ]
  },
  {
    name: 'context without a type, which the agent refuses',
    tree: withPermission('    context:\n      name: unconfined_u\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because the application specification file specifies an invalid context type ({"name"=>"unconfined_u"}).',
        fix: '`type: <selinux type>`'
      }
    ]
  },
  {
    name: 'context with a range running backwards, which the agent refuses',
    tree: withPermission('    context:\n      type: httpd_sys_content_t\n      range: s1-s0\n'),
    expect: [
      {
        severity: 'error',
        line: 10,
        message:
          'The deployment failed because of a problem with the SELinux range specified (s1-s0) for the context parameter in the permissions section of the application specification file.',
        fix: '`s0`, `s0-s1` or `s0:c0.c5`'
      }
    ]
  },
  {
    name: 'context with a type, which needs the SELinux tools on the instance (warning)',
    tree: withPermission('    context:\n      type: httpd_sys_content_t\n'),
    expect: [
      {
        severity: 'warning',
        line: 10,
        message: 'The agent applies `context` with `semanage fcontext` and `restorecon`',
        fix: 'SELinux enabled'
      }
    ]
  },
  {
    name: 'a pattern on an object that is an installed file, which the agent refuses',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace(
        'permissions:\n',
        'permissions:\n  - object: /home/ec2-user/app/nginx.conf\n    pattern: "*.conf"\n'
      )
    ),
    expect: [
      {
        severity: 'error',
        line: 8,
        message:
          'The deployment failed because the application specification file includes an object (/home/ec2-user/app/nginx.conf) with an invalid pattern (*.conf), such as a pattern for a file applied to a directory.',
        fix: 'remove `pattern`, or make `object` its folder'
      }
    ]
  },
  {
    name: 'the same installed file in two permissions, which the agent refuses',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace(
        'permissions:\n',
        'permissions:\n  - object: /home/ec2-user/app/nginx.conf\n    mode: 600\n  - object: /home/ec2-user/app/nginx.conf\n    owner: root\n'
      )
    ),
    expect: [
      {
        severity: 'error',
        line: 9,
        message:
          'The deployment failed because the permissions setting for (/home/ec2-user/app/nginx.conf) is specified more than once in the application specification file.',
        fix: 'Give each file or folder one permissions entry'
      }
    ]
  },

  // everything at once
  {
    // The bad timeout sits in an event of its own: the scripts of an event the agent cannot read
    // are not looked at, so deploy.sh is checked only under a readable ApplicationStart.
    name: 'all problems are collected, not just the first',
    tree: withAppspec(
      'version: 1.0\nos: Linux\nfiles:\n  - source: missing\n    destination: app\nhooks:\n  AfterInstal:\n    - location: init.sh\n  BeforeInstall:\n    - location: init.sh\n      timeout: -5\n  ApplicationStart:\n    - location: deploy.sh\n',
      { 'deploy.sh': { content: '#!/bin/bash\r\n', mode: 0o755 } }
    ),
    expect: [
      { severity: 'error', line: 1, message: 'invalid version value (1.0)' },
      { severity: 'error', line: 2, message: 'unsupported operating system (Linux)' },
      { severity: 'error', line: 4, message: "files source 'missing' is not in the bundle" },
      { severity: 'warning', line: 5, message: "files destination 'app' is not an absolute path" },
      {
        severity: 'error',
        line: 7,
        message: 'appspec.yml file contains unknown lifecycle events: ["AfterInstal"]',
        fix: 'Did you mean "AfterInstall" for "AfterInstal"?'
      },
      { severity: 'error', line: 11, message: 'invalid timeout value' },
      { severity: 'error', file: 'deploy.sh', line: 1, message: 'CRLF' },
      { severity: 'warning', line: 12, message: 'no ValidateService hook' }
    ]
  }
]

function matches(finding: Finding, expected: Expected): boolean {
  const messages = Array.isArray(expected.message) ? expected.message : [expected.message]
  return (
    finding.severity === expected.severity &&
    (expected.file === undefined || finding.file === expected.file) &&
    (expected.line === undefined || finding.line === expected.line) &&
    (expected.column === undefined || finding.column === expected.column) &&
    messages.every((m) => finding.message.includes(m)) &&
    (expected.fix === undefined || finding.fix.includes(expected.fix))
  )
}

describe('validateBundle', () => {
  it('passes the tutorial-shaped bundle with no findings', async () => {
    const report = await validateBundle(bundleOf(tutorialBundleWith()), { origin: 'built' })
    expect(report.findings).toEqual([])
    expect(report.appspecPath).toBe('appspec.yml')
    expect(report.hookScripts).toEqual(['deploy.sh', 'init.sh', 'validate.sh'])
    expect(report.appspec).toEqual({
      version: 0,
      os: 'linux',
      files: [{ source: '/', destination: '/home/ec2-user/app' }],
      hooks: [
        {
          event: 'AfterInstall',
          scripts: [{ location: 'init.sh', path: 'init.sh', timeout: 300, runas: 'root' }]
        },
        {
          event: 'ApplicationStart',
          scripts: [{ location: 'deploy.sh', path: 'deploy.sh', timeout: 300, runas: 'root' }]
        },
        {
          event: 'ValidateService',
          scripts: [{ location: 'validate.sh', path: 'validate.sh', timeout: 300 }]
        }
      ]
    })
  })

  it.each(cases)('$name', async ({ tree, origin, expect: expected }) => {
    const { findings } = await validateBundle(bundleOf(tree), { origin: origin ?? 'built' })
    const unmatched = findings.filter((f) => !expected.some((e) => matches(f, e)))
    const missing = expected.filter((e) => !findings.some((f) => matches(f, e)))
    expect({ unmatched, missing }).toEqual({ unmatched: [], missing: [] })
  })

  it('lists hook scripts by bundle path, in the stripped folder and through symlinks', async () => {
    const nested = Object.fromEntries(
      Object.entries(tutorialBundleWith()).map(([p, v]) => [`dist/${p}`, v])
    )
    const stripped = await validateBundle(bundleOf(nested), { origin: 'archive' })
    expect(stripped.appspecPath).toBe('dist/appspec.yml')
    expect(stripped.hookScripts).toEqual(['dist/deploy.sh', 'dist/init.sh', 'dist/validate.sh'])

    const linked = await validateBundle(
      bundleOf(tutorialBundleWith({ 'init.sh': { link: 'bin/init.sh' }, 'bin/init.sh': SCRIPT })),
      { origin: 'built' }
    )
    expect(linked.hookScripts).toEqual(['bin/init.sh', 'deploy.sh', 'validate.sh'])
  })

  it('lists a script once when several hooks name it, and leaves out missing ones', async () => {
    const report = await validateBundle(
      bundleOf(
        withHooks(
          `hooks:\n  BeforeInstall:\n    - location: init.sh\n    - location: gone.sh\n  AfterInstall:\n    - location: ./init.sh\n`
        )
      ),
      { origin: 'built' }
    )
    expect(report.hookScripts).toEqual(['init.sh'])
    expect(report.findings.map((f) => f.message)).toEqual([
      `Script does not exist at specified location: ${ARCHIVE}/gone.sh`
    ])
  })

  it('puts errors before warnings', async () => {
    const report = await validateBundle(
      bundleOf(
        withAppspec(
          TUTORIAL_APPSPEC.replace('hooks:', 'hook:').replace('version: 0.0', 'version: 2')
        )
      ),
      { origin: 'built' }
    )
    expect(report.findings.map((f) => f.severity)).toEqual(['error', 'warning', 'warning'])
  })

  it('stops after a YAML syntax error, since the agent cannot read the rest', async () => {
    const report = await validateBundle(bundleOf(withAppspec('version: 1.0\nos: [linux\n')), {
      origin: 'built'
    })
    expect(report.appspec).toBeUndefined()
    expect(
      report.findings.every(
        (f) => f.severity === 'error' && f.message.startsWith("The agent's YAML reader fails: ")
      )
    ).toBe(true)
    expect(report.findings.length).toBeGreaterThan(0)
  })
})
