// The agent conformance cases: bundles, and what the real CodeDeploy agent (1.8.1, local mode)
// does with each. `agent` is the recorded outcome; real-agent.dist.test.ts checks every record against
// the agent itself (where it is installed), so a record cannot drift from the truth. The action
// (conformance.test.ts in-process, dry-run.dist.test.ts through dist/) and the test bed's emulated
// agent (emulator.test.ts) are held to these records.
//
// `{dest}` in a text stands for the case's own install folder on the instance (an absolute path).
// Messages are normalised: the unpacked revision folder reads `<archive>`, the install folder
// `<dest>`, a deployment's own folder `<deployment>`.

import type { FixtureTree } from '../appspec/bundle-fixture.js'
import {
  OK,
  fails,
  SH,
  script,
  spec,
  bundle,
  COPY_ALL,
  COPY_CONF,
  START_HOOK,
  hook,
  at,
  NOT_FOUND,
  badVersion,
  badOs,
  badFeb,
  BAD_TIMEOUT,
  NO_LOCATION,
  NO_SOURCE,
  NO_OBJECT,
  invalidAcl,
  missingScript,
  type AgentCase
} from './case-kit.js'
import { FORM_CASES } from './cases-forms.js'
import { REAL_WORLD_CASES } from './cases-real-world.js'

export type { AgentCase, AgentOutcome, ArchiveForm } from './case-kit.js'
export { OK, fails } from './case-kit.js'

export const CASES: AgentCase[] = [
  // version and os: values and types
  { id: 'version/float', tree: bundle(spec(COPY_ALL + START_HOOK)), agent: OK },
  { id: 'version/integer-zero', tree: bundle('version: 0\nos: linux\n'), agent: OK },
  { id: 'version/0.00', tree: bundle('version: 0.00\nos: linux\n'), agent: OK },
  {
    id: 'version/quoted',
    tree: bundle('version: "0.0"\nos: linux\n'),
    agent: fails('BeforeInstall', badVersion('0.0'))
  },
  {
    id: 'version/1.0',
    tree: bundle('version: 1.0\nos: linux\n'),
    agent: fails('BeforeInstall', badVersion('1.0'))
  },
  {
    id: 'version/missing',
    tree: bundle('os: linux\n'),
    agent: fails('BeforeInstall', badVersion(''))
  },
  {
    id: 'os/missing',
    tree: bundle('version: 0.0\n'),
    agent: fails('BeforeInstall', badOs(''))
  },
  {
    id: 'os/capitalised',
    tree: bundle('version: 0.0\nos: Linux\n'),
    agent: fails('BeforeInstall', badOs('Linux'))
  },
  { id: 'os/quoted', tree: bundle('version: 0.0\nos: "linux"\n'), agent: OK },
  {
    id: 'os/windows',
    tree: bundle('version: 0.0\nos: windows\n'),
    agent: fails('BeforeInstall', badOs('windows')),
    divergence: {
      why: 'the agent on a Linux instance refuses os: windows, the Windows agent requires it; the action cannot know the fleet',
      action: 'accept'
    }
  },
  {
    id: 'os/windows-permissions',
    tree: bundle(spec('').replace('linux', 'windows') + 'permissions:\n  - object: C:\\app\n'),
    agent: fails('BeforeInstall', badOs('windows')),
    divergence: {
      why: 'the Linux agent stops at os: windows; the Windows agent then fails on permissions',
      action: 'refuse'
    }
  },
  {
    id: 'yaml/empty-file',
    tree: bundle(''),
    agent: fails(
      'BeforeInstall',
      "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties."
    )
  },
  {
    id: 'yaml/comments-only',
    tree: bundle('# nothing yet\n'),
    agent: fails(
      'BeforeInstall',
      "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties."
    )
  },
  {
    id: 'yaml/top-level-list',
    tree: bundle('- version: 0.0\n- os: linux\n'),
    agent: fails('BeforeInstall', 'no implicit conversion of String into Integer')
  },
  {
    id: 'yaml/top-level-text',
    tree: bundle('just some text\n'),
    agent: fails('BeforeInstall', badVersion(''))
  },

  // files: sources and destinations
  { id: 'files/whole-bundle', tree: bundle(spec(COPY_ALL)), agent: OK },
  {
    id: 'files/folder',
    tree: bundle(spec('files:\n  - source: config\n    destination: {dest}/etc\n')),
    agent: OK
  },
  {
    id: 'files/folder-trailing-slash',
    tree: bundle(spec('files:\n  - source: config/\n    destination: {dest}/etc\n')),
    agent: OK
  },
  {
    id: 'files/single-file',
    tree: bundle(spec('files:\n  - source: config/app.conf\n    destination: {dest}\n')),
    agent: OK
  },
  {
    id: 'files/dot-slash-source',
    tree: bundle(spec('files:\n  - source: ./config\n    destination: {dest}\n')),
    agent: OK
  },
  {
    id: 'files/nested-folders',
    tree: bundle(spec('files:\n  - source: lib\n    destination: {dest}/lib\n'), {
      'lib/a/b/c.jar': 'jar',
      'lib/a/d.txt': 'd'
    }),
    agent: OK
  },
  {
    id: 'files/missing-source',
    tree: bundle(spec('files:\n  - source: build/app.jar\n    destination: {dest}\n')),
    agent: fails('Install', 'No such file or directory @ rb_sysopen - <archive>/build/app.jar')
  },
  {
    id: 'files/source-climbs-out',
    tree: bundle(spec('files:\n  - source: ../elsewhere.txt\n    destination: {dest}\n')),
    agent: fails('Install', 'No such file or directory @ rb_sysopen - <archive>/../elsewhere.txt')
  },
  {
    id: 'files/relative-destination',
    tree: bundle(spec('files:\n  - source: config/app.conf\n    destination: relative/app\n')),
    agent: OK,
    warns: 'not an absolute path'
  },
  {
    id: 'files/no-destination',
    tree: bundle(spec('files:\n  - source: config\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the application specification file specifies only a source file (config). Add the name of the destination file to the files section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'files/no-source',
    tree: bundle(spec('files:\n  - destination: {dest}\n')),
    agent: fails('BeforeInstall', NO_SOURCE)
  },
  {
    id: 'files/map-not-list',
    tree: bundle(spec('files:\n  source: /\n  destination: {dest}\n')),
    agent: fails('BeforeInstall', 'no implicit conversion of String into Integer')
  },
  {
    id: 'files/entry-is-text',
    tree: bundle(spec('files:\n  - /\n')),
    agent: fails('BeforeInstall', NO_SOURCE)
  },
  { id: 'files/empty-list', tree: bundle(spec('files: []\n')), agent: OK },
  {
    id: 'files/two-sources-one-destination',
    tree: bundle(
      spec(
        'files:\n  - source: a/x.txt\n    destination: {dest}\n  - source: b/x.txt\n    destination: {dest}\n'
      ),
      { 'a/x.txt': 'a', 'b/x.txt': 'b' }
    ),
    agent: fails(
      'Install',
      'The deployment failed because the application specification file specifies two source files named <archive>/b/x.txt and <archive>/a/x.txt for the same destination (<dest>/x.txt). Remove one of the source file paths from the AppSpec file, and then try again.'
    )
  },
  {
    id: 'files/symlink-source',
    tree: bundle(spec(COPY_ALL), { 'current.conf': { link: 'config/app.conf' } }),
    agent: OK
  },
  {
    id: 'files/empty-folder',
    tree: bundle(spec(COPY_ALL), { logs: { dir: true } }),
    agent: OK
  },
  {
    id: 'files/exists-disallow',
    tree: bundle(spec(COPY_CONF)),
    otherGroupFirst: bundle(spec(COPY_CONF)),
    agent: fails(
      'Install',
      'The deployment failed because a specified file already exists at this location: <dest>/app.conf'
    ),
    runtime: 'a file another deployment group left on the instance'
  },
  {
    id: 'files/exists-overwrite',
    tree: bundle(spec('file_exists_behavior: OVERWRITE\n' + COPY_CONF)),
    otherGroupFirst: bundle(spec(COPY_CONF)),
    agent: OK
  },
  {
    id: 'files/exists-retain',
    tree: bundle(spec('file_exists_behavior: RETAIN\n' + COPY_CONF)),
    otherGroupFirst: bundle(spec(COPY_CONF)),
    agent: OK
  },
  {
    id: 'files/redeploy-same-group',
    tree: bundle(spec(COPY_ALL + START_HOOK)),
    sameGroupFirst: bundle(spec(COPY_ALL + START_HOOK)),
    agent: OK
  },

  // top-level file_exists_behavior
  {
    id: 'file-exists-behavior/merge',
    tree: bundle(spec('file_exists_behavior: MERGE\n')),
    agent: fails('BeforeInstall', badFeb('MERGE'))
  },
  {
    id: 'file-exists-behavior/lower-case',
    tree: bundle(spec('file_exists_behavior: overwrite\n')),
    agent: fails('BeforeInstall', badFeb('overwrite'))
  },
  {
    id: 'file-exists-behavior/empty-text',
    tree: bundle(spec('file_exists_behavior: ""\n')),
    agent: fails('BeforeInstall', badFeb(''))
  },
  {
    id: 'file-exists-behavior/disallow',
    tree: bundle(spec('file_exists_behavior: DISALLOW\n' + COPY_ALL)),
    agent: OK
  },

  // permissions
  {
    id: 'permissions/owner-group-mode',
    tree: bundle(
      spec(
        COPY_ALL +
          'permissions:\n  - object: {dest}\n    owner: root\n    group: root\n    mode: 750\n    type:\n      - directory\n'
      )
    ),
    agent: OK
  },
  {
    id: 'permissions/pattern-and-except',
    tree: bundle(
      spec(
        COPY_ALL +
          'permissions:\n  - object: {dest}/scripts\n    pattern: "*.sh"\n    except: [skip.sh]\n    mode: 755\n    type: [file]\n'
      )
    ),
    agent: OK
  },
  {
    id: 'permissions/no-object',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - owner: root\n')),
    agent: fails('BeforeInstall', NO_OBJECT)
  },
  {
    id: 'permissions/empty-object',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: ""\n    owner: root\n')),
    agent: fails('BeforeInstall', NO_OBJECT)
  },
  {
    id: 'permissions/mode-bad-digit',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    mode: 789\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the permissions mode (789) in the application specification file contains an invalid character (8). Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/mode-too-long',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    mode: 12345\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the length of a permissions mode (12345) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/mode-leading-zero',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    mode: 0644\n')),
    agent: OK,
    warns: 'octal'
  },
  {
    id: 'permissions/mode-octal-out-of-range',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    mode: 0755\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the permissions mode (493) in the application specification file contains an invalid character (9). Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/mode-setuid',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    mode: 4755\n')),
    agent: OK
  },
  {
    id: 'permissions/type-unknown',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    type: [link]\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the application specification filespecifies a permission for an object type not supported for permissions (link). Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/type-not-list',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    type: file\n')),
    agent: fails('BeforeInstall', `undefined method \`each' for "file":String`)
  },
  {
    id: 'permissions/pattern-on-file',
    tree: bundle(
      spec(COPY_ALL + 'permissions:\n  - object: {dest}/config/app.conf\n    pattern: "*.conf"\n')
    ),
    agent: fails(
      'Install',
      'The deployment failed because the application specification file includes an object (<dest>/config/app.conf) with an invalid pattern (*.conf), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/except-on-file',
    tree: bundle(
      spec(COPY_ALL + 'permissions:\n  - object: {dest}/config/app.conf\n    except: [x]\n')
    ),
    agent: fails(
      'Install',
      'The deployment failed because the except parameter for a pattern in the permissions section (["x"]) for the object named <dest>/config/app.conf contains an invalid format. Update the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/same-object-twice',
    tree: bundle(
      spec(
        COPY_ALL +
          'permissions:\n  - object: {dest}/config/app.conf\n    mode: 600\n  - object: {dest}/config/app.conf\n    owner: root\n'
      )
    ),
    agent: fails(
      'Install',
      'The deployment failed because the permissions setting for (<dest>/config/app.conf) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/object-not-installed',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}-other\n    mode: 700\n')),
    agent: OK,
    warns: 'nothing'
  },
  {
    id: 'permissions/map-not-list',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  object: {dest}\n  mode: 700\n')),
    agent: fails('BeforeInstall', `undefined method \`has_key?' for ["object", "<dest>"]:Array`)
  },
  {
    id: 'permissions/acl-entry',
    tree: bundle(
      spec(
        COPY_CONF + 'permissions:\n  - object: {dest}/app.conf\n    acls:\n      - "u:nobody:rw"\n'
      )
    ),
    agent: fails(
      'Install',
      'The deployment failed because of a problem with the acls permission settings in the application specification file for this object: <dest>/app.conf. Failed command: setfacl --set user:nobody:rw-,user::rw-,group::r--,other::r--,mask::r-- <dest>/app.conf. Exit code: pid <pid> exit 127'
    ),
    runtime: 'setfacl (package acl) must be installed on the instance',
    warns: 'setfacl'
  },
  {
    id: 'permissions/acl-bad-entry',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    acls: ["a:b:c:d:rw"]\n')),
    agent: fails('BeforeInstall', invalidAcl('a:b:c:d:rw'))
  },
  {
    id: 'permissions/acl-base-entry',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    acls: ["u::rwx"]\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (u::rwx). Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/acl-bad-permission',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    acls: ["u:nobody:rwz"]\n')),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the access control list (ACL) named u:nobody:rwz in the application specification file contains an invalid character (z). Correct the ACL in the hooks section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/acl-default-on-file',
    tree: bundle(
      spec(
        COPY_ALL + 'permissions:\n  - object: {dest}/config/app.conf\n    acls: ["d:u:nobody:rw"]\n'
      )
    ),
    agent: fails(
      'Install',
      'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only. Update the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/context-no-type',
    tree: bundle(
      spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    context:\n      name: unconfined_u\n')
    ),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because the application specification file specifies an invalid context type ({"name"=>"unconfined_u"}). Update the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/context-bad-range',
    tree: bundle(
      spec(
        COPY_ALL +
          'permissions:\n  - object: {dest}\n    context:\n      type: httpd_sys_content_t\n      range: s1-s0\n'
      )
    ),
    agent: fails(
      'BeforeInstall',
      'The deployment failed because of a problem with the SELinux range specified (s1-s0) for the context parameter in the permissions section of the application specification file. Make corrections in the permissions section of the AppSpec file, and then try again.'
    )
  },
  {
    id: 'permissions/context',
    tree: bundle(
      spec(
        COPY_CONF +
          'permissions:\n  - object: {dest}/app.conf\n    context:\n      type: httpd_sys_content_t\n      range: s0\n'
      )
    ),
    agent: fails(
      'Install',
      'The deployment failed because the application specification file contains an error in the settings for the context parameter. Update the permissions section of the AppSpec file, and then try again. Failed command: semanage fcontext -a -t httpd_sys_content_t -r s0 <dest>/app.conf. Exit code: pid <pid> exit 127'
    ),
    runtime: 'SELinux tools (semanage, restorecon) must be on the instance',
    warns: 'semanage'
  },
  {
    id: 'permissions/unknown-owner',
    tree: bundle(spec(COPY_ALL + 'permissions:\n  - object: {dest}\n    owner: nosuchuser\n')),
    agent: fails('Install', "can't find user for nosuchuser"),
    runtime: 'the user must exist on the instance'
  },

  // hooks
  {
    id: 'hooks/every-scriptable-event',
    tree: bundle(
      spec(
        'hooks:\n' +
          [
            'BeforeBlockTraffic',
            'AfterBlockTraffic',
            'ApplicationStop',
            'BeforeInstall',
            'AfterInstall',
            'ApplicationStart',
            'ValidateService',
            'BeforeAllowTraffic',
            'AfterAllowTraffic'
          ]
            .map((e) => `  ${e}:\n${at('scripts/start.sh')}`)
            .join('')
      )
    ),
    agent: OK
  },
  {
    id: 'hooks/reserved-download-bundle',
    tree: bundle(spec(hook('DownloadBundle', at('scripts/start.sh')))),
    agent: OK,
    warns: 'never run'
  },
  {
    id: 'hooks/reserved-install',
    tree: bundle(spec(hook('Install', at('scripts/start.sh')))),
    agent: OK,
    warns: 'never run'
  },
  {
    id: 'hooks/reserved-block-traffic',
    tree: bundle(spec(hook('BlockTraffic', at('scripts/start.sh')))),
    agent: fails('Install', 'appspec.yml file contains unknown lifecycle events: ["BlockTraffic"]'),
    divergence: {
      why: 'local mode does not know the traffic events; CodeDeploy sends BlockTraffic to an instance as a known event whose scripts never run',
      action: 'accept',
      localModeOnly: true
    },
    warns: 'never run'
  },
  {
    id: 'hooks/reserved-allow-traffic',
    tree: bundle(spec(hook('AllowTraffic', at('scripts/start.sh')))),
    agent: fails('Install', 'appspec.yml file contains unknown lifecycle events: ["AllowTraffic"]'),
    divergence: {
      why: 'local mode does not know the traffic events; CodeDeploy sends AllowTraffic to an instance as a known event whose scripts never run',
      action: 'accept',
      localModeOnly: true
    },
    warns: 'never run'
  },
  {
    id: 'hooks/unknown-event',
    tree: bundle(spec(hook('ValidateServices', at('scripts/start.sh')))),
    agent: fails(
      'Install',
      'appspec.yml file contains unknown lifecycle events: ["ValidateServices"]'
    )
  },
  {
    id: 'hooks/two-unknown-events',
    tree: bundle(
      spec(`hooks:\n  AfterInstal:\n${at('scripts/start.sh')}  Start:\n${at('scripts/start.sh')}`)
    ),
    agent: fails(
      'Install',
      'appspec.yml file contains unknown lifecycle events: ["AfterInstal", "Start"]'
    )
  },
  {
    id: 'hooks/unknown-event-empty',
    tree: bundle(spec('hooks:\n  ValidateServices:\n')),
    agent: OK,
    warns: 'ValidateService'
  },
  {
    id: 'hooks/empty-event',
    tree: bundle(spec(`hooks:\n  BeforeInstall:\n  ApplicationStart:\n${at('scripts/start.sh')}`)),
    agent: OK
  },
  {
    id: 'hooks/empty-list',
    tree: bundle(spec('hooks:\n  BeforeInstall: []\n')),
    agent: OK
  },
  {
    id: 'hooks/several-scripts',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh') + at('scripts/second.sh'))), {
      'scripts/second.sh': script()
    }),
    agent: OK
  },
  {
    id: 'hooks/list-of-events',
    tree: bundle(spec(`hooks:\n  - AfterInstall:\n${at('scripts/start.sh')}`)),
    agent: fails(
      'BeforeInstall',
      `undefined method \`each_pair' for [{"AfterInstall"=>[{"location"=>"scripts/start.sh"}]}]:Array`
    )
  },
  {
    id: 'hooks/script-map-not-list',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    location: scripts/start.sh\n')),
    agent: fails(
      'BeforeInstall',
      `undefined method \`has_key?' for ["location", "scripts/start.sh"]:Array`
    )
  },
  {
    id: 'hooks/script-as-text',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    - scripts/start.sh\n')),
    agent: fails('BeforeInstall', `undefined method \`has_key?' for "scripts/start.sh":String`)
  },
  {
    id: 'hooks/no-location',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    - timeout: 30\n')),
    agent: fails('BeforeInstall', NO_LOCATION)
  },
  {
    id: 'hooks/empty-location',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    - location: ""\n')),
    agent: fails('BeforeInstall', NO_LOCATION)
  },
  {
    id: 'hooks/location-leading-slash',
    tree: bundle(spec(hook('AfterInstall', at('/scripts/start.sh')))),
    agent: OK,
    warns: "starts with '/'"
  },
  {
    id: 'hooks/location-dot-slash',
    tree: bundle(spec(hook('AfterInstall', at('./scripts/start.sh')))),
    agent: OK
  },
  {
    id: 'hooks/location-climbs-out',
    tree: bundle(spec(hook('AfterInstall', at('../start.sh')))),
    agent: fails(
      'AfterInstall',
      'Script does not exist at specified location: <deployment>/start.sh',
      'ScriptMissing'
    )
  },
  {
    id: 'hooks/location-folder',
    tree: bundle(spec(hook('AfterInstall', at('scripts')))),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts failed with error Errno::EACCES with message Permission denied - <archive>/scripts',
      'ScriptFailed'
    )
  },
  {
    id: 'hooks/location-with-space',
    tree: bundle(spec(hook('AfterInstall', at('"scripts/my start.sh"'))), {
      'scripts/my start.sh': script()
    }),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts/my start.sh failed with error Errno::ENOENT with message No such file or directory - <archive>/scripts/my',
      'ScriptFailed'
    )
  },
  {
    id: 'hooks/location-number',
    tree: bundle(spec(hook('AfterInstall', at('123'))), { '123': script() }),
    agent: OK
  },
  {
    id: 'hooks/missing-script',
    tree: bundle(spec(hook('AfterInstall', at('scripts/stop.sh')))),
    agent: fails('AfterInstall', missingScript('scripts/stop.sh'), 'ScriptMissing')
  },
  {
    id: 'hooks/application-stop-first-deployment',
    tree: bundle(spec(hook('ApplicationStop', at('scripts/stop.sh')))),
    agent: OK,
    warns: 'previous'
  },
  {
    id: 'hooks/timeout-seconds',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 300')))),
    agent: OK
  },
  {
    id: 'hooks/timeout-zero',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 0')))),
    agent: fails('BeforeInstall', BAD_TIMEOUT)
  },
  {
    id: 'hooks/timeout-negative',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: -5')))),
    agent: fails('BeforeInstall', BAD_TIMEOUT)
  },
  {
    id: 'hooks/timeout-quoted-digits',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: "300"')))),
    agent: OK
  },
  {
    id: 'hooks/timeout-words',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: five')))),
    agent: fails('BeforeInstall', BAD_TIMEOUT)
  },
  {
    id: 'hooks/timeout-with-unit',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 30s')))),
    agent: OK,
    warns: '30 seconds'
  },
  {
    // A whole second would be too short for a loaded machine: the agent's one budget covers the
    // script and the closing of its output.
    id: 'hooks/timeout-fraction',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 30.9')))),
    agent: OK,
    warns: 'as 30 seconds'
  },
  {
    id: 'hooks/timeout-below-one',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 0.5')))),
    agent: fails('BeforeInstall', BAD_TIMEOUT)
  },
  {
    id: 'hooks/timeout-boolean',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: yes')))),
    agent: fails('BeforeInstall', `undefined method \`to_i' for true:TrueClass`)
  },
  {
    id: 'hooks/timeout-above-an-hour',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'timeout: 7200')))),
    agent: OK,
    warns: '3600'
  },
  {
    id: 'hooks/timeouts-add-up-above-an-hour',
    tree: bundle(
      spec(
        hook(
          'AfterInstall',
          at('scripts/start.sh', 'timeout: 2400') + at('scripts/second.sh', 'timeout: 2400')
        )
      ),
      { 'scripts/second.sh': script() }
    ),
    agent: OK,
    warns: '4800'
  },
  {
    id: 'hooks/timeout-exceeded',
    tree: bundle(spec(hook('AfterInstall', at('scripts/slow.sh', 'timeout: 1'))), {
      'scripts/slow.sh': script('#!/bin/sh\nsleep 5\n')
    }),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts/slow.sh failed to complete in 1 seconds',
      'ScriptTimedOut'
    ),
    runtime: 'how long a script runs is known only when it runs'
  },
  // A script that starts a process in the background: the agent waits, within the script's one
  // timeout, for the script to exit and then for its STDOUT and STDERR to close. A background
  // process that inherited either holds it open: "failed to close", when the timeout runs out.
  // `&` backgrounds the whole `cd && nohup ...` list: bash's subshell for it keeps the script's
  // outputs although nohup's own are redirected; dash execs nohup in that subshell, redirections
  // and all, so the same line passes under dash (Debian's /bin/sh; Amazon Linux's is bash).
  // (The cases' `sleep 30` are killed after the run.)
  {
    id: 'hooks/background-list-holds-stdout',
    tree: bundle(spec(hook('ApplicationStart', at('scripts/start.sh', 'timeout: 3'))), {
      'scripts/start.sh': script(
        '#!/bin/bash\necho "starting the app"\ncd /tmp && nohup sleep 30 >/dev/null 2>&1 </dev/null &\n'
      )
    }),
    agent: fails(
      'ApplicationStart',
      'Script at specified location: scripts/start.sh failed to close STDOUT'
    ),
    runtime: 'what the processes a script starts do with its output is known only when it runs'
  },
  {
    id: 'hooks/background-list-under-dash',
    tree: bundle(spec(hook('ApplicationStart', at('scripts/start.sh', 'timeout: 3'))), {
      'scripts/start.sh': script(
        '#!/bin/dash\necho "starting the app"\ncd /tmp && nohup sleep 30 >/dev/null 2>&1 </dev/null &\n'
      )
    }),
    agent: OK
  },
  {
    id: 'hooks/background-without-redirection',
    tree: bundle(spec(hook('ApplicationStart', at('scripts/start.sh', 'timeout: 3'))), {
      'scripts/start.sh': script('#!/bin/sh\necho "starting the app"\nsleep 30 &\n')
    }),
    agent: fails(
      'ApplicationStart',
      'Script at specified location: scripts/start.sh failed to close STDOUT'
    ),
    runtime: 'what the processes a script starts do with its output is known only when it runs'
  },
  {
    id: 'hooks/background-holds-stderr',
    tree: bundle(spec(hook('ApplicationStart', at('scripts/start.sh', 'timeout: 3'))), {
      'scripts/start.sh': script('#!/bin/sh\necho "starting the app"\nsleep 30 >/dev/null &\n')
    }),
    agent: fails(
      'ApplicationStart',
      'Script at specified location: scripts/start.sh failed to close STDERR'
    ),
    runtime: 'what the processes a script starts do with its output is known only when it runs'
  },
  {
    id: 'hooks/background-redirected',
    tree: bundle(spec(hook('ApplicationStart', at('scripts/start.sh', 'timeout: 3'))), {
      'scripts/start.sh': script(
        '#!/bin/sh\necho "starting the app"\nnohup sleep 30 >/dev/null 2>&1 </dev/null &\n'
      )
    }),
    agent: OK
  },
  {
    id: 'hooks/runas-root',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'runas: root')))),
    agent: OK
  },
  {
    id: 'hooks/runas-unknown-user',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'runas: nosuchuser')))),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts/start.sh run as user nosuchuser failed with exit code 1',
      'ScriptFailed'
    ),
    runtime: 'the user must exist on the instance'
  },
  {
    id: 'hooks/sudo',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'sudo: true')))),
    agent: OK
  },
  {
    id: 'hooks/unknown-script-key',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh', 'runAs: root')))),
    agent: OK,
    warns: "'runAs'"
  },

  // hook scripts
  {
    id: 'scripts/no-shebang',
    tree: bundle(spec(hook('AfterInstall', at('scripts/plain.sh'))), {
      'scripts/plain.sh': script('echo plain\n')
    }),
    agent: OK,
    warns: '/bin/sh'
  },
  {
    id: 'scripts/crlf-with-shebang',
    tree: bundle(spec(hook('AfterInstall', at('scripts/crlf.sh'))), {
      'scripts/crlf.sh': script('#!/bin/sh\r\necho crlf\r\n')
    }),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts/crlf.sh failed with error Errno::ENOENT with message No such file or directory - <archive>/scripts/crlf.sh',
      'ScriptFailed'
    )
  },
  {
    id: 'scripts/crlf-without-shebang',
    tree: bundle(spec(hook('AfterInstall', at('scripts/crlf.sh'))), {
      'scripts/crlf.sh': script('echo crlf\r\n')
    }),
    agent: OK,
    warns: 'CRLF'
  },
  {
    id: 'scripts/not-executable',
    tree: bundle(spec(hook('AfterInstall', at('scripts/start.sh'))), {
      'scripts/start.sh': script(SH, 0o644)
    }),
    form: 'tgz',
    prebuilt: true,
    agent: OK,
    warns: 'not executable'
  },
  {
    id: 'scripts/python',
    tree: bundle(spec(hook('AfterInstall', at('scripts/check.py'))), {
      'scripts/check.py': script('#!/usr/bin/env python3\nprint("ok")\n')
    }),
    agent: OK
  },
  {
    id: 'scripts/interpreter-not-installed',
    tree: bundle(spec(hook('AfterInstall', at('scripts/check.rb'))), {
      'scripts/check.rb': script('#!/usr/bin/no-such-interpreter\nputs 1\n')
    }),
    agent: fails(
      'AfterInstall',
      'Script at specified location: scripts/check.rb failed with error Errno::ENOENT with message No such file or directory - <archive>/scripts/check.rb',
      'ScriptFailed'
    ),
    runtime: 'the interpreter must be installed on the instance',
    warns: 'no-such-interpreter'
  },
  {
    id: 'scripts/fails',
    tree: bundle(spec(hook('ValidateService', at('scripts/check.sh'))), {
      'scripts/check.sh': script('#!/bin/sh\necho "health check failed" >&2\nexit 3\n')
    }),
    agent: fails(
      'ValidateService',
      'Script at specified location: scripts/check.sh failed with exit code 3',
      'ScriptFailed'
    ),
    runtime: 'what a script does is known only when it runs'
  },
  {
    id: 'scripts/byte-order-mark',
    tree: bundle(spec(hook('AfterInstall', at('scripts/bom.sh'))), {
      'scripts/bom.sh': script('\ufeff#!/bin/sh\necho bom\n')
    }),
    agent: OK,
    warns: 'byte order mark'
  },
  {
    id: 'scripts/symlink',
    tree: bundle(spec(hook('AfterInstall', at('scripts/current.sh'))), {
      'scripts/current.sh': { link: 'start.sh' }
    }),
    agent: OK
  },
  {
    id: 'scripts/dangling-symlink',
    tree: bundle(spec(hook('AfterInstall', at('scripts/current.sh'))), {
      'scripts/current.sh': { link: 'gone.sh' }
    }),
    prebuilt: true,
    agent: fails('AfterInstall', missingScript('scripts/current.sh'), 'ScriptMissing')
  },
  {
    id: 'scripts/empty-file',
    tree: bundle(spec(hook('AfterInstall', at('scripts/empty.sh'))), {
      'scripts/empty.sh': script('')
    }),
    agent: OK
  },

  // encodings and YAML forms
  {
    id: 'yaml/byte-order-mark',
    tree: bundle('\ufeff' + spec(COPY_ALL + START_HOOK)),
    agent: fails('BeforeInstall', badOs(''))
  },
  {
    id: 'yaml/byte-order-mark-then-comment',
    tree: bundle('\ufeff# deployment of the app\n' + spec(COPY_ALL + START_HOOK)),
    agent: OK
  },
  {
    id: 'yaml/crlf',
    tree: bundle(spec(COPY_ALL + START_HOOK).replace(/\n/g, '\r\n')),
    agent: OK
  },
  {
    id: 'yaml/tab-indent',
    tree: bundle(spec('hooks:\n\tAfterInstall:\n\t\t- location: scripts/start.sh\n')),
    agent: fails(
      'BeforeInstall',
      '(<unknown>): found character that cannot start any token while scanning for the next token at line 4 column 1'
    ),
    quote: 'found character that cannot start any token while scanning for the next token'
  },
  {
    id: 'yaml/anchors',
    tree: bundle(
      spec(
        'hooks:\n  AfterInstall: &start\n    - location: scripts/start.sh\n  ApplicationStart: *start\n'
      )
    ),
    agent: fails('BeforeInstall', 'Unknown alias: start')
  },
  {
    id: 'yaml/duplicate-key',
    tree: bundle(
      spec(
        `hooks:\n  AfterInstall:\n${at('scripts/gone.sh')}  AfterInstall:\n${at('scripts/start.sh')}`
      )
    ),
    agent: OK,
    warns: 'twice'
  },
  {
    id: 'yaml/json-style',
    tree: bundle(
      '{"version": 0.0, "os": "linux", "hooks": {"AfterInstall": [{"location": "scripts/start.sh", "timeout": 60}]}}\n'
    ),
    agent: OK
  },
  {
    id: 'yaml/two-documents',
    tree: bundle(
      spec(START_HOOK) + '---\nhooks:\n  AfterInstall:\n    - location: scripts/gone.sh\n'
    ),
    agent: OK,
    warns: 'more than one YAML document'
  },
  {
    id: 'yaml/syntax-error',
    tree: bundle(spec('hooks: {AfterInstall: [{location: scripts/start.sh}\n')),
    agent: fails(
      'BeforeInstall',
      "(<unknown>): did not find expected ',' or ']' while parsing a flow sequence at line 3 column 23"
    ),
    quote: "did not find expected ',' or ']' while parsing a flow sequence"
  },
  {
    id: 'yaml/unclosed-quote',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    - location: "scripts/start.sh\n')),
    agent: fails(
      'BeforeInstall',
      '(<unknown>): found unexpected end of stream while scanning a quoted scalar at line 5 column 17'
    ),
    quote: 'found unexpected end of stream while scanning a quoted scalar'
  },
  {
    id: 'yaml/colon-in-value',
    tree: bundle(spec('hooks:\n  AfterInstall:\n    - location: scripts/start.sh timeout: 30\n')),
    agent: fails(
      'BeforeInstall',
      '(<unknown>): mapping values are not allowed in this context at line 5 column 41'
    ),
    quote: 'mapping values are not allowed in this context'
  },
  {
    id: 'yaml/date-value',
    tree: bundle(spec('released: 2024-01-01\n')),
    agent: fails('BeforeInstall', 'Tried to load unspecified class: Date')
  },
  {
    id: 'yaml/unknown-top-level-key',
    tree: bundle(spec(`hook:\n  AfterInstall:\n${at('scripts/start.sh')}`)),
    agent: OK,
    warns: "'hooks'"
  },
  {
    id: 'yaml/appspec-yaml-only',
    tree: {
      'appspec.yaml': spec(START_HOOK),
      'scripts/start.sh': script()
    },
    agent: fails('BeforeInstall', NOT_FOUND)
  },
  {
    id: 'yaml/both-yml-and-yaml',
    tree: bundle(spec(START_HOOK), { 'appspec.yaml': 'version: 9\n' }),
    agent: OK,
    warns: 'appspec.yaml'
  },
  {
    id: 'yaml/capitalised-name',
    tree: {
      'AppSpec.yml': spec(START_HOOK),
      'scripts/start.sh': script()
    },
    agent: fails('BeforeInstall', NOT_FOUND)
  },

  // archive forms
  ...(['tgz', 'tar', 'zip'] as const).flatMap((form): AgentCase[] => [
    {
      id: `archive/${form}-built`,
      tree: bundle(spec(COPY_ALL + START_HOOK)),
      form,
      agent: OK
    },
    {
      id: `archive/${form}-single-top-folder`,
      tree: prefixed('dist', bundle(spec(COPY_ALL + START_HOOK))),
      form,
      prebuilt: true,
      agent: OK
    },
    {
      id: `archive/${form}-nested-appspec`,
      tree: { ...prefixed('dist', bundle(spec(START_HOOK))), 'README.md': 'readme\n' },
      form,
      prebuilt: true,
      agent: fails('BeforeInstall', NOT_FOUND)
    },
    {
      id: `archive/${form}-modes-links-empty-folders-non-ascii`,
      tree: bundle(spec(COPY_ALL + hook('AfterInstall', at('scripts/démarrer.sh'))), {
        'scripts/démarrer.sh': script(SH, 0o700),
        'données/été.txt': 'soleil\n',
        'bin/tool': script('#!/bin/sh\nexit 0\n', 0o750),
        'bin/current': { link: 'tool' },
        'var/cache': { dir: true }
      }),
      form,
      prebuilt: true,
      agent: OK
    }
  ]),
  {
    id: 'archive/tgz-dot-slash-top-folder',
    tree: prefixed('./dist', bundle(spec(COPY_ALL + START_HOOK))),
    form: 'tgz',
    prebuilt: true,
    agent: OK
  },
  {
    id: 'archive/zip-two-levels-deep',
    tree: prefixed('build/dist', bundle(spec(START_HOOK))),
    form: 'zip',
    prebuilt: true,
    agent: fails('BeforeInstall', NOT_FOUND)
  },
  ...FORM_CASES,
  ...REAL_WORLD_CASES
]

/** `tree` moved under `folder`. */
function prefixed(folder: string, tree: FixtureTree): FixtureTree {
  return Object.fromEntries(Object.entries(tree).map(([p, v]) => [`${folder}/${p}`, v]))
}
