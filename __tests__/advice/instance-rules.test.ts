// One test per instance rule, with the agent's real words (agent 1.8.1, hook_executor.rb,
// installer.rb, command_executor.rb, linux_util.rb), and the cases where the evidence is not there.
import { describe, expect, it } from '@jest/globals'
import { adviseInstance, INSTANCE_RULES } from '../../src/advice/catalogue.js'
import { AGENT_NOT_RECEIVED } from '../../src/advice/agent-checks.js'
import type { GroupEvidence, InstanceFailure } from '../../src/advice/types.js'

const group = (over: Partial<GroupEvidence> = {}): GroupEvidence => ({
  region: 'ap-northeast-2',
  application: 'my-app',
  group: 'production',
  inputs: { ignoreApplicationStopFailures: false, revision: 's3://bucket/my-app/42/abc.tgz' },
  ...over
})

const failure = (over: Partial<InstanceFailure>): InstanceFailure => ({
  instanceId: 'i-0123',
  lifecycleEvent: 'ApplicationStart',
  errorCode: 'ScriptFailed',
  script: 'scripts/start.sh',
  message: 'Script at specified location: scripts/start.sh failed with exit code 1',
  logTail: '',
  ...over
})

const advise = (f: Partial<InstanceFailure>, g: Partial<GroupEvidence> = {}) =>
  adviseInstance({ failure: failure(f), group: group(g) })

describe('instance rules', () => {
  it('every rule names its evidence, its source and its README row', () => {
    const ids = INSTANCE_RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of INSTANCE_RULES) {
      expect(r.needs.length).toBeGreaterThan(10)
      expect(r.source.length).toBeGreaterThan(10)
      expect(r.doc.see && r.doc.why && r.doc.fix).toBeTruthy()
    }
  })

  it('a failure no rule knows gets no advice: a script that exits 1 says nothing more', () => {
    expect(advise({})).toBeUndefined()
    expect(
      advise({ errorCode: 'UnknownError', message: 'something new', logTail: 'x' })
    ).toBeUndefined()
  })

  it('silent agent: the checks, the replacement instances first suspected at boot', () => {
    const a = advise({
      lifecycleEvent: 'BeforeInstall',
      errorCode: 'UnknownError',
      script: '',
      message: AGENT_NOT_RECEIVED
    })
    expect(a?.rule).toBe('agent-not-received')
    expect(a?.fix).toMatch(/^Check, in order: \(1\) the agent runs/)
    expect(a?.fix).toContain('com.amazonaws.ap-northeast-2.codedeploy')
    const green = advise({
      label: 'Green',
      lifecycleEvent: 'BeforeInstall',
      errorCode: 'UnknownError',
      message: AGENT_NOT_RECEIVED
    })
    expect(green?.fix).toContain('these instances were just launched')
  })

  describe('file exists (Install)', () => {
    const message =
      'The deployment failed because a specified file already exists at this location: /opt/app/application.jar'
    it('names the path, why the agent did not remove it, and the two fixes', () => {
      const a = advise({
        lifecycleEvent: 'Install',
        errorCode: 'UnknownError',
        script: '',
        message
      })
      expect(a?.rule).toBe('file-exists')
      expect(a?.cause).toContain('/opt/app/application.jar was already on the instance')
      expect(a?.cause).toContain("CodeDeploy's default, DISALLOW")
      expect(a?.cause).toContain("removes the files this group's previous deployment installed")
      expect(a?.fix).toContain('file-exists-behavior: OVERWRITE (or RETAIN')
      expect(a?.fix).toContain('remove /opt/app/application.jar in a BeforeInstall script')
    })
    it('says which setting was in force when the input set it', () => {
      const a = advise(
        { lifecycleEvent: 'Install', errorCode: 'UnknownError', message },
        { inputs: { ignoreApplicationStopFailures: false, fileExistsBehavior: 'DISALLOW' } }
      )
      expect(a?.cause).toContain('file-exists-behavior is DISALLOW')
    })
    it('only on Install', () => {
      expect(
        advise({ lifecycleEvent: 'AfterInstall', errorCode: 'UnknownError', message })
      ).toBeUndefined()
    })
  })

  describe('the stop hooks run the last successful revision', () => {
    const stop = {
      lifecycleEvent: 'ApplicationStop',
      script: 'scripts/stop.sh',
      message: 'Script at specified location: scripts/stop.sh failed with exit code 1'
    }
    it('names the deployment and revision CodeDeploy gave, and ignore-application-stop-failures', () => {
      const a = advise(stop, {
        lastSuccess: { deploymentId: 'd-PREV00001', revision: 's3://bucket/my-app/41/def.tgz' }
      })
      expect(a?.rule).toBe('previous-revision-hook')
      expect(a?.cause).toContain(
        "ApplicationStop runs the scripts of the revision of deployment d-PREV00001, the group's last success (s3://bucket/my-app/41/def.tgz), not this commit's"
      )
      expect(a?.fix).toMatch(
        /^Deploy once with ignore-application-stop-failures: true, with scripts\/stop\.sh fixed/
      )
    })
    it('without the group read: the mechanism, without a name', () => {
      const a = advise({ ...stop, lifecycleEvent: 'BeforeBlockTraffic' })
      expect(a?.cause).toContain('the last revision that deployed successfully on the instance')
    })
    it('carries the script rule that also matched (outputs left open in the old stop script)', () => {
      const a = advise({
        ...stop,
        lifecycleEvent: 'AfterBlockTraffic',
        errorCode: 'UnknownError',
        message: 'Script at specified location: scripts/stop.sh failed to close STDOUT'
      })
      expect(a?.rule).toBe('previous-revision-hook')
      expect(a?.cause).toContain("still held the hook's STDOUT")
      expect(a?.fix).toContain('> /dev/null 2>&1 < /dev/null &')
    })
    it('not when ignore-application-stop-failures was already on, nor for a silent agent', () => {
      expect(advise(stop, { inputs: { ignoreApplicationStopFailures: true } })).toBeUndefined()
      expect(advise({ ...stop, message: AGENT_NOT_RECEIVED })?.rule).toBe('agent-not-received')
    })
  })

  it('outputs left open: STDOUT and STDERR, with the list form explained', () => {
    for (const stream of ['STDOUT', 'STDERR']) {
      const a = advise({
        errorCode: 'UnknownError',
        message: `Script at specified location: scripts/start.sh failed to close ${stream}`
      })
      expect(a?.rule).toBe('outputs-left-open')
      expect(a?.cause).toContain(`still held the hook's ${stream}`)
      expect(a?.cause).toContain('cd dir && cmd > /dev/null 2>&1 &')
      expect(a?.fix).toContain('cd dir && { cmd > /dev/null 2>&1 < /dev/null & }')
      expect(a?.cause).not.toContain('warned')
    }
    const warned = advise(
      {
        errorCode: 'UnknownError',
        message: 'Script at specified location: scripts/start.sh failed to close STDOUT'
      },
      {
        bundle: {
          origin: 'built',
          notes: [{ location: 'scripts/start.sh', kind: 'background-output', line: 3 }]
        }
      }
    )
    expect(warned?.cause).toContain(
      'The action warned about scripts/start.sh line 3 before the upload.'
    )
  })

  describe('a timeout on a service', () => {
    const timedOut = {
      errorCode: 'ScriptTimedOut',
      message: 'Script at specified location: scripts/start.sh failed to complete in 60 seconds'
    }
    it("from the service's own start-up line in the log tail", () => {
      const a = advise({
        ...timedOut,
        logTail:
          '[stdout]  Tomcat started on port(s): 8080 (http)\n[stdout]Started DemoApplication in 3.2 seconds'
      })
      expect(a?.rule).toBe('timed-out-on-a-service')
      expect(a?.cause).toContain('Tomcat started on port')
    })
    it("from the bundle's script, where the action found the unredirected background job", () => {
      const a = advise(timedOut, {
        bundle: {
          origin: 'built',
          notes: [{ location: 'scripts/start.sh', kind: 'background-output', line: 4 }]
        }
      })
      expect(a?.cause).toContain('scripts/start.sh line 4 starts a job in the background')
    })
    it('a plain timeout, with nothing to show why, gets no advice', () => {
      expect(advise({ ...timedOut, logTail: '[stdout]migrating 1200 rows' })).toBeUndefined()
    })
  })

  it('exit 127: the command, from bash or dash words', () => {
    const m = 'Script at specified location: scripts/start.sh failed with exit code 127'
    const bash = advise({
      message: m,
      logTail: '[stderr]scripts/start.sh: line 3: java: command not found'
    })
    expect(bash?.rule).toBe('exit-127')
    expect(bash?.cause).toContain('`java` was not found')
    expect(bash?.fix).toContain('`command -v java`')
    const dash = advise({
      message: m,
      logTail: '[stderr]/opt/x/scripts/start.sh: 3: pm2: not found'
    })
    expect(dash?.cause).toContain('`pm2` was not found')
    const runas = advise({
      message:
        'Script at specified location: scripts/start.sh run as user deploy failed with exit code 127'
    })
    expect(runas?.cause).toContain('runas user deploy')
    expect(runas?.cause).toContain('a command it runs was not found')
  })

  it('exit 126: not executable', () => {
    const a = advise({
      message: 'Script at specified location: scripts/start.sh failed with exit code 126',
      logTail: '[stderr]scripts/start.sh: line 2: /opt/app/bin/run: Permission denied'
    })
    expect(a?.rule).toBe('exit-126')
    expect(a?.cause).toContain('/opt/app/bin/run was found but could not be executed')
  })

  it('CRLF: from the log tail, or from the bundle check and the ENOENT the agent gives', () => {
    const inLog = advise({ logTail: "[stderr]scripts/start.sh: line 2: $'\\r': command not found" })
    expect(inLog?.rule).toBe('crlf')
    const enoent = {
      message:
        'Script at specified location: scripts/start.sh failed with error Errno::ENOENT with message No such file or directory - /opt/codedeploy-agent/deployment-root/x/d-1/deployment-archive/scripts/start.sh'
    }
    expect(advise(enoent)).toBeUndefined()
    const noted = advise(enoent, {
      bundle: {
        origin: 'built',
        notes: [{ location: 'scripts/start.sh', kind: 'crlf', line: 1 }]
      }
    })
    expect(noted?.rule).toBe('crlf')
    expect(noted?.fix).toContain('*.sh text eol=lf')
  })

  it('sudo without a terminal, as root and as a runas user', () => {
    const root = advise({
      logTail: '[stderr]sudo: a terminal is required to read the password; either use the -S option'
    })
    expect(root?.rule).toBe('sudo-needs-a-terminal')
    expect(root?.fix).toContain('drop sudo')
    const user = advise({
      message:
        'Script at specified location: scripts/start.sh run as user deploy failed with exit code 1',
      logTail: '[stderr]sudo: no tty present and no askpass program specified'
    })
    expect(user?.fix).toContain('Allow deploy the exact commands with NOPASSWD')
  })

  it('permission denied for the runas user, and not for root', () => {
    const logTail = '[stderr]scripts/start.sh: line 4: /var/log/app.log: Permission denied'
    const a = advise({
      message:
        'Script at specified location: scripts/start.sh run as user deploy failed with exit code 1',
      logTail
    })
    expect(a?.rule).toBe('runas-permission-denied')
    expect(a?.cause).toContain('runs as deploy (runas), who may not use /var/log/app.log')
    expect(advise({ logTail })).toBeUndefined()
  })

  describe('DownloadBundle', () => {
    it('access denied: the instance profile, and kms:Decrypt with sse aws:kms', () => {
      const a = advise(
        {
          lifecycleEvent: 'DownloadBundle',
          errorCode: 'UnknownError',
          script: '',
          message: 'Access Denied'
        },
        {
          inputs: {
            ignoreApplicationStopFailures: false,
            sse: 'aws:kms',
            sseKmsKeyId: 'alias/deploy',
            revision: 's3://b/k.tgz'
          }
        }
      )
      expect(a?.rule).toBe('download-access-denied')
      expect(a?.cause).toContain('own instance profile')
      expect(a?.fix).toContain('s3:GetObject and s3:GetObjectVersion on s3://b/k.tgz')
      expect(a?.fix).toContain('kms:Decrypt on alias/deploy')
      const detailed = advise({
        lifecycleEvent: 'DownloadBundle',
        errorCode: 'UnknownError',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/CodeDeployDemo-EC2-Instance-Profile/i-0123 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k.tgz" because no identity-based policy allows the s3:GetObject action'
      })
      expect(detailed?.rule).toBe('download-access-denied')
      const plain = advise({
        lifecycleEvent: 'DownloadBundle',
        errorCode: 'UnknownError',
        message: 'Access Denied'
      })
      expect(plain?.fix).not.toContain('kms')
    })
    it('the ETag changed', () => {
      const a = advise({
        lifecycleEvent: 'DownloadBundle',
        errorCode: 'UnknownError',
        message: 'Expected deployment artifact bundle etag "abc" but was actually "def"'
      })
      expect(a?.rule).toBe('etag-changed')
      expect(a?.fix).toContain('{bundle_hash}')
    })
    it('an archive the agent cannot unpack: a full disk first when the action built it', () => {
      const built = advise(
        {
          lifecycleEvent: 'DownloadBundle',
          errorCode: 'UnknownError',
          message: 'Error extracting tar archive: 2'
        },
        { bundle: { origin: 'built', notes: [] } }
      )
      expect(built?.rule).toBe('archive-unreadable')
      expect(built?.cause).toContain('the likelier cause is the instance (a full disk)')
      expect(built?.fix).not.toContain('bundle-type')
      const archive = advise(
        {
          lifecycleEvent: 'DownloadBundle',
          errorCode: 'UnknownError',
          message: 'Error extracting zip archive: 9'
        },
        { bundle: { origin: 'archive', notes: [] } }
      )
      expect(archive?.fix).toContain('make bundle-type match the file')
      const full = advise({
        lifecycleEvent: 'DownloadBundle',
        message: 'The disk is (or was) full during extraction.'
      })
      expect(full?.cause).toBe('The instance ran out of disk space while unpacking the revision.')
    })
  })

  it('ScriptMissing and ScriptNotExecutable', () => {
    const missing = advise(
      {
        errorCode: 'ScriptMissing',
        message:
          'Script does not exist at specified location: /opt/codedeploy-agent/deployment-root/g/d-1/deployment-archive/scripts/start.sh'
      },
      { bundle: { origin: 'archive', notes: [] } }
    )
    expect(missing?.rule).toBe('script-missing')
    expect(missing?.cause).toContain('could not check the pre-built archive')
    const notExec = advise({
      errorCode: 'ScriptNotExecutable',
      message: 'Unable to set script at specified location: scripts/start.sh as executable'
    })
    expect(notExec?.rule).toBe('script-not-executable')
  })
})
