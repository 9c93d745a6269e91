import { validateBundle, type Finding } from '../../src/appspec/validate.js'
import {
  bundleOf,
  SCRIPT,
  TUTORIAL_APPSPEC,
  tutorialTree,
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
    - location: deploy.sh
  ApplicationStart:
    - location: start.sh
  ValidateService:
    - location: validate.sh
`
const notFound =
  'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml".'
const tutorialWithoutAppspec = without(tutorialTree(), 'appspec.yml')

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
          'The bundle has appspec.yaml, but the agent only looks for appspec.yml'
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
        message: 'the name is case-sensitive',
        fix: 'Rename AppSpec.yml to appspec.yml.'
      }
    ]
  },
  {
    name: 'both appspec.yml and appspec.yaml',
    tree: tutorialTree({ 'appspec.yaml': 'version: 1.0\n' }),
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
    tree: Object.fromEntries(Object.entries(tutorialTree()).map(([p, v]) => [`dist/${p}`, v])),
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
      ...Object.fromEntries(Object.entries(tutorialTree()).map(([p, v]) => [`dist/${p}`, v])),
      'README.md': '# app\n'
    },
    expect: [
      {
        severity: 'error',
        file: 'dist/appspec.yml',
        message: [notFound, 'delete everything else (README.md)'],
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
        file: 'appspec.yml',
        message: [notFound, 'Found deploy/codedeploy/appspec.yml instead'],
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
        message: 'Found deploy/codedeploy/appspec.yml instead',
        fix: 'Rebuild the archive from inside deploy/codedeploy'
      }
    ]
  },

  // YAML itself
  {
    name: 'YAML syntax error with line and column',
    tree: withAppspec('version: 0.0\nos: linux\nhooks: [AfterInstall\nfiles: x\n'),
    expect: [{ severity: 'error', line: 4, column: 1, message: 'YAML syntax error' }]
  },
  {
    name: 'tabs used for indentation',
    tree: withAppspec('version: 0.0\nos: linux\nhooks:\n\tAfterInstall:\n'),
    expect: [
      {
        severity: 'error',
        line: 4,
        message: 'a tab is used for indentation',
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
    name: 'appspec.yml with a UTF-8 BOM',
    tree: withAppspec(`\ufeff${TUTORIAL_APPSPEC}`),
    expect: [{ severity: 'warning', line: 1, message: 'byte order mark', fix: 'without BOM' }]
  },
  {
    name: 'an empty appspec.yml',
    tree: withAppspec(''),
    expect: [{ severity: 'error', message: 'appspec.yml is empty.', fix: '`version: 0.0`' }]
  },
  {
    name: 'appspec.yml that is a list',
    tree: withAppspec('- version: 0.0\n- os: linux\n'),
    expect: [
      {
        severity: 'error',
        message: 'must be a map of keys (version, os, files, hooks), not a list'
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
        fix: 'Did you mean "ValidateService"?'
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
        message: 'unknown lifecycle events: ["afterInstall"]',
        fix: 'Did you mean "AfterInstall"?'
      }
    ]
  },
  {
    name: 'an event nothing resembles lists the valid ones',
    tree: withHooks(`${FOUR_SCRIPTS}  Whenever:\n    - location: deploy.sh\n`),
    expect: [
      {
        severity: 'error',
        message: '["Whenever"]',
        fix: 'Use one of: BeforeBlockTraffic, AfterBlockTraffic, ApplicationStop'
      }
    ]
  },
  {
    name: 'a reserved event given scripts',
    tree: withHooks(
      `hooks:\n  Install:\n    - location: deploy.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 13,
        message:
          'Install is a reserved lifecycle event that the CodeDeploy agent performs itself; it cannot run scripts.',
        fix: 'Move these scripts to BeforeInstall or AfterInstall.'
      }
    ]
  },
  {
    name: 'hooks written as a list',
    tree: withHooks(`hooks:\n  - AfterInstall:\n      - location: deploy.sh\n`),
    expect: [
      {
        severity: 'error',
        line: 12,
        message: '`hooks` must map lifecycle events to lists of scripts, not a list',
        fix: "Remove the '- ' before each event name"
      }
    ]
  },
  {
    name: 'a hook that is not a list',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    location: deploy.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 13,
        message: 'The scripts of AfterInstall must be a list, not a map',
        fix: "Put '- ' before `location:`"
      }
    ]
  },
  {
    name: 'a hook with nothing under it',
    tree: withHooks(`hooks:\n  AfterInstall:\n  ValidateService:\n    - location: validate.sh\n`),
    expect: [
      {
        severity: 'error',
        line: 13,
        message: 'Lifecycle event AfterInstall lists no scripts',
        fix: 'or remove the line'
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
    name: 'a script entry written as a plain string',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - deploy.sh\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        message: 'must be a map with a location',
        fix: 'Write it as `- location: deploy.sh`.'
      }
    ]
  },
  {
    name: 'a misspelt key in a script entry',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - location: deploy.sh\n      timout: 300\n  ValidateService:\n    - location: validate.sh\n`
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
    tree: withHooks(`hooks:\n  ApplicationStart:\n    - location: start.sh\n`),
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
    tree: withHooks(FOUR_SCRIPTS.replace('location: deploy.sh', 'location: scripts/migrate.sh')),
    expect: [
      {
        severity: 'error',
        file: 'appspec.yml',
        line: 14,
        column: 7,
        message: 'Script does not exist at specified location: scripts/migrate.sh',
        fix: 'relative to the bundle root'
      }
    ]
  },
  {
    name: 'a script in another folder than the location says',
    tree: without(
      withHooks(FOUR_SCRIPTS, { 'scripts/deploy.sh': { content: SCRIPT, mode: 0o755 } }),
      'deploy.sh'
    ),
    expect: [
      {
        severity: 'error',
        message: 'Script does not exist at specified location: deploy.sh',
        fix: 'The bundle has it at scripts/deploy.sh: write `location: scripts/deploy.sh`.'
      }
    ]
  },
  {
    name: 'a location naming a folder',
    tree: withHooks(FOUR_SCRIPTS, {
      'deploy.sh': { dir: true },
      'scripts/deploy.sh': { content: SCRIPT, mode: 0o755 }
    }),
    expect: [
      {
        severity: 'error',
        message: "location 'deploy.sh' is a folder, not a script.",
        fix: 'Give the path of the script file'
      }
    ]
  },
  {
    name: 'a location written as a path on the instance',
    tree: withHooks(
      FOUR_SCRIPTS.replace('location: deploy.sh', 'location: /home/ec2-user/app/deploy.sh')
    ),
    expect: [
      {
        severity: 'error',
        message: 'Script does not exist at specified location: /home/ec2-user/app/deploy.sh',
        fix: "not a path on the instance: drop the leading '/' and give the script's path inside the bundle. The bundle has it at deploy.sh: write `location: deploy.sh`."
      }
    ]
  },
  {
    name: 'a location with a leading / that the agent still finds',
    tree: withHooks(FOUR_SCRIPTS.replace('location: deploy.sh', 'location: /deploy.sh')),
    expect: [
      {
        severity: 'warning',
        line: 14,
        message: "location '/deploy.sh' starts with '/'",
        fix: "Write `location: deploy.sh` without the leading '/'."
      }
    ]
  },
  {
    name: 'a location climbing out of the bundle',
    tree: withHooks(FOUR_SCRIPTS.replace('location: deploy.sh', 'location: ../deploy.sh')),
    expect: [
      {
        severity: 'error',
        message:
          'Script does not exist at specified location: ../deploy.sh (the location leaves the bundle).',
        fix: 'relative to the bundle root'
      }
    ]
  },
  {
    name: 'a script with CRLF line endings',
    tree: tutorialTree({ 'deploy.sh': { content: '#!/bin/bash\r\necho hi\r\n', mode: 0o755 } }),
    expect: [
      {
        severity: 'error',
        file: 'deploy.sh',
        line: 1,
        message: [
          'deploy.sh has Windows (CRLF) line endings',
          'failed with error Errno::ENOENT with message No such file or directory',
          "the kernel looks for the interpreter '/bin/bash\\r'"
        ],
        fix: 'Convert it to LF line endings'
      }
    ]
  },
  {
    name: 'a script without #!',
    tree: tutorialTree({ 'start.sh': { content: 'java -jar application.jar &\n', mode: 0o755 } }),
    expect: [
      {
        severity: 'error',
        file: 'start.sh',
        line: 1,
        message: "start.sh does not start with '#!': the agent would run it through /bin/sh",
        fix: 'Add a first line such as `#!/bin/bash`.'
      }
    ]
  },
  {
    name: 'a script with a BOM before #!',
    tree: tutorialTree({ 'start.sh': { content: `\ufeff${SCRIPT}`, mode: 0o755 } }),
    expect: [
      {
        severity: 'error',
        file: 'start.sh',
        message: 'byte order mark, which hides its',
        fix: 'without BOM'
      }
    ]
  },
  {
    name: 'a script larger than 1 MB',
    tree: tutorialTree({
      'start.sh': { content: Buffer.alloc(2 * 1024 * 1024, 0x41), mode: 0o755 }
    }),
    expect: [
      {
        severity: 'warning',
        file: 'start.sh',
        message: 'start.sh is 2.0 MB',
        fix: 'Check the location names the script'
      }
    ]
  },
  {
    name: 'a script not executable in a pre-built archive',
    origin: 'archive',
    tree: tutorialTree({ 'deploy.sh': { content: SCRIPT, mode: 0o644 } }),
    expect: [
      {
        severity: 'warning',
        file: 'deploy.sh',
        message:
          'Script at specified location: deploy.sh is not executable.  Trying to make it executable.',
        fix: '`chmod +x deploy.sh`'
      }
    ]
  },
  {
    name: 'a non-executable script in a bundle about to be built (the writer marks it)',
    origin: 'built',
    tree: tutorialTree({ 'deploy.sh': { content: SCRIPT, mode: 0o644 } }),
    expect: []
  },
  {
    name: 'a symlinked hook script',
    tree: tutorialTree({
      'deploy.sh': { link: 'scripts/deploy.sh' },
      'scripts/deploy.sh': { content: SCRIPT, mode: 0o755 }
    }),
    expect: [
      {
        severity: 'warning',
        line: 14,
        message: "location 'deploy.sh' is a symlink to scripts/deploy.sh",
        fix: 'Name the script itself: `location: scripts/deploy.sh`.'
      }
    ]
  },
  {
    name: 'a hook script symlink pointing out of the bundle',
    tree: tutorialTree({ 'deploy.sh': { link: '../tools/deploy.sh' } }),
    expect: [
      {
        severity: 'error',
        message: [
          'Script does not exist at specified location: deploy.sh',
          "symlink to '../tools/deploy.sh'"
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
    name: 'one script with a timeout above 3600',
    tree: withAppspec(TUTORIAL_APPSPEC.replace('timeout: 300', 'timeout: 5000')),
    expect: [
      {
        severity: 'error',
        line: 15,
        message: 'timeout 5000 for deploy.sh is above 3600 seconds',
        fix: 'Set `timeout` to 3600 or less'
      }
    ]
  },
  {
    name: 'timeouts adding up to more than 3600 in one event',
    tree: withHooks(
      `hooks:\n  AfterInstall:\n    - location: deploy.sh\n      timeout: 3000\n    - location: start.sh\n      timeout: 1200\n  ValidateService:\n    - location: validate.sh\n`
    ),
    expect: [
      {
        severity: 'error',
        line: 13,
        message:
          'The timeouts of AfterInstall add up to 4200 seconds (deploy.sh 3000 + start.sh 1200)',
        fix: 'add up to 3600 or less'
      }
    ]
  },

  // runas, files, permissions
  {
    name: 'runas with os windows (and Windows scripts need no #!)',
    tree: {
      'appspec.yml': `version: 0.0\nos: windows\nfiles:\n  - source: app\\site\n    destination: C:\\inetpub\\app\nhooks:\n  AfterInstall:\n    - location: scripts\\install.ps1\n      runas: Administrator\n`,
      'app/site/index.html': '<html></html>',
      'scripts/install.ps1': 'Write-Host "hi"\r\n'
    },
    expect: [
      {
        severity: 'error',
        line: 9,
        message: '`runas` is not supported on Windows instances.',
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
      }
    ]
  },
  {
    name: 'files not a list',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('  - source: /\n    destination', '  source: /\n  destination')
    ),
    expect: [
      {
        severity: 'error',
        line: 3,
        message: '`files` must be a list of source/destination pairs, not a map',
        fix: "Put '- ' before `source:`"
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
        message: "files source 'build/libs/app.jar' is not in the bundle",
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
        message: "files source 'conf/nginx.conf' is not in the bundle",
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
        message: 'specifies a destination file, but no source file.',
        fix: 'Add `source:`'
      }
    ]
  },
  {
    name: 'a relative destination',
    tree: withAppspec(
      TUTORIAL_APPSPEC.replace('destination: /home/ec2-user/app', 'destination: home/ec2-user/app')
    ),
    expect: [
      {
        severity: 'error',
        line: 5,
        message: "files destination 'home/ec2-user/app' is not an absolute path",
        fix: '`destination: /home/ec2-user/app`'
      }
    ]
  },
  {
    name: 'a Windows destination without a drive',
    tree: {
      'appspec.yml':
        'version: 0.0\nos: windows\nfiles:\n  - source: /\n    destination: /inetpub/app\n',
      'index.html': '<html></html>'
    },
    expect: [
      {
        severity: 'error',
        message: "files destination '/inetpub/app' is not an absolute Windows path",
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
      }
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
        message: "files destination '/etc/' is a system folder",
        fix: 'name the file itself'
      }
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
        message: 'Permissions are supported only on Linux instances.',
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

  // everything at once
  {
    name: 'all problems are collected, not just the first',
    tree: withAppspec(
      'version: 1.0\nos: Linux\nfiles:\n  - source: missing\n    destination: app\nhooks:\n  AfterInstal:\n    - location: deploy.sh\n  ApplicationStart:\n    - location: start.sh\n      timeout: -5\n',
      { 'start.sh': { content: '#!/bin/bash\r\n', mode: 0o755 } }
    ),
    expect: [
      { severity: 'error', line: 1, message: 'invalid version value (1.0)' },
      { severity: 'error', line: 2, message: 'unsupported operating system (Linux)' },
      { severity: 'error', line: 4, message: "files source 'missing' is not in the bundle" },
      { severity: 'error', line: 5, message: "files destination 'app' is not an absolute path" },
      {
        severity: 'error',
        line: 7,
        message: '["AfterInstal"]',
        fix: 'Did you mean "AfterInstall"?'
      },
      { severity: 'error', line: 11, message: 'invalid timeout value' },
      { severity: 'error', file: 'start.sh', message: 'CRLF' },
      { severity: 'warning', line: 9, message: 'no ValidateService hook' }
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
    const report = await validateBundle(bundleOf(tutorialTree()), { origin: 'built' })
    expect(report.findings).toEqual([])
    expect(report.appspecPath).toBe('appspec.yml')
    expect(report.hookScripts).toEqual(['deploy.sh', 'start.sh', 'validate.sh'])
    expect(report.appspec).toEqual({
      version: 0,
      os: 'linux',
      files: [{ source: '/', destination: '/home/ec2-user/app' }],
      hooks: [
        {
          event: 'AfterInstall',
          scripts: [{ location: 'deploy.sh', path: 'deploy.sh', timeout: 300, runas: 'root' }]
        },
        {
          event: 'ApplicationStart',
          scripts: [{ location: 'start.sh', path: 'start.sh', timeout: 300, runas: 'root' }]
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
      Object.entries(tutorialTree()).map(([p, v]) => [`dist/${p}`, v])
    )
    const stripped = await validateBundle(bundleOf(nested), { origin: 'archive' })
    expect(stripped.appspecPath).toBe('dist/appspec.yml')
    expect(stripped.hookScripts).toEqual(['dist/deploy.sh', 'dist/start.sh', 'dist/validate.sh'])

    const linked = await validateBundle(
      bundleOf(tutorialTree({ 'deploy.sh': { link: 'bin/deploy.sh' }, 'bin/deploy.sh': SCRIPT })),
      { origin: 'built' }
    )
    expect(linked.hookScripts).toEqual(['bin/deploy.sh', 'start.sh', 'validate.sh'])
  })

  it('lists a script once when several hooks name it, and leaves out missing ones', async () => {
    const report = await validateBundle(
      bundleOf(
        withHooks(
          `hooks:\n  BeforeInstall:\n    - location: deploy.sh\n    - location: gone.sh\n  AfterInstall:\n    - location: ./deploy.sh\n`
        )
      ),
      { origin: 'built' }
    )
    expect(report.hookScripts).toEqual(['deploy.sh'])
    expect(report.findings.map((f) => f.message)).toEqual([
      'Script does not exist at specified location: gone.sh'
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
    expect(report.findings.every((f) => f.message.startsWith('YAML syntax error'))).toBe(true)
    expect(report.findings.length).toBeGreaterThan(0)
  })
})
