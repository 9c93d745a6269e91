// Deployments on the bed behave like the CodeDeploy agent's: its lifecycle events, error codes
// and exact words for broken bundles, its hook environment, timeouts and log tail, and its
// fileExistsBehavior rules.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentGroupCommand,
  type FileExistsBehavior,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import {
  addFleet,
  bed,
  type Bed,
  codedeploy,
  instances,
  putBundle,
  settled,
  unique
} from '../support/bed.js'
import { appspec, tarBundle, type Tree, zipBundle } from '../support/fixtures.js'
import { onInstance } from '../support/commands.js'

let b: Bed
const app = unique('bed-agent')
let groupId = ''
let instance = ''

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `timing: { createdMs: 200 }\napplications:\n  - name: ${app}\n    groups:\n      - { name: g, instances: 1 }\n`
  )
  const g = await codedeploy(b).send(
    new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'g' })
  )
  groupId = g.deploymentGroupInfo!.deploymentGroupId!
  instance = (await instances(b, app))[0]!.id
})

interface Outcome {
  id: string
  status: string
  events: LifecycleEvent[]
  failed?: LifecycleEvent
}

let counter = 0
async function deploy(
  files: Tree,
  options: { eTag?: string; fileExistsBehavior?: FileExistsBehavior; zip?: boolean } = {}
): Promise<Outcome> {
  const bundle = options.zip ? await zipBundle(files) : await tarBundle(files)
  const key = `${app}/${++counter}.${options.zip ? 'zip' : 'tgz'}`
  await putBundle(b, key, bundle)
  const cd = codedeploy(b)
  const { deploymentId } = await cd.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: 'g',
      fileExistsBehavior: options.fileExistsBehavior,
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: b.bucket,
          key,
          bundleType: options.zip ? 'zip' : 'tgz',
          eTag: options.eTag
        }
      }
    })
  )
  const info = await settled(cd, deploymentId!)
  const out = await cd.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: [instance] })
  )
  const events = out.deploymentTargets![0]!.instanceTarget!.lifecycleEvents!
  return {
    id: deploymentId!,
    status: info.status!,
    events,
    failed: events.find((e) => e.status === 'Failed')
  }
}

const archive = (id: string) =>
  `/opt/codedeploy-agent/deployment-root/${groupId}/${id}/deployment-archive`

describe("the agent's diagnostics for broken bundles", () => {
  it('a missing script', async () => {
    const o = await deploy({ 'appspec.yml': appspec({ AfterInstall: ['scripts/nope.sh'] }) })
    expect(o.failed).toMatchObject({
      lifecycleEventName: 'AfterInstall',
      diagnostics: {
        errorCode: 'ScriptMissing',
        scriptName: 'scripts/nope.sh',
        message: `Script does not exist at specified location: ${archive(o.id)}/scripts/nope.sh`
      }
    })
    expect(o.events.map((e) => e.status)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Failed',
      'Skipped',
      'Skipped'
    ])
  })

  it('no appspec.yml (appspec.yaml is not looked at)', async () => {
    const o = await deploy({ 'appspec.yaml': appspec({}) })
    expect(o.failed!.lifecycleEventName).toBe('BeforeInstall')
    expect(o.failed!.diagnostics).toEqual({
      errorCode: 'UnknownError',
      scriptName: '',
      logTail: '',
      message: `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "${archive(o.id)}", and the AppSpec file was expected but not found at path "${archive(o.id)}/appspec.yml". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html`
    })
  })

  it.each([
    [
      'version: 1.0\nos: linux\n',
      'The deployment failed because an invalid version value (1.0) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.'
    ],
    [
      'version: 0.0\n',
      'The deployment failed because the application specification file specifies an unsupported operating system (). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.'
    ]
  ])('an invalid appspec: %j', async (text, message) => {
    const o = await deploy({ 'appspec.yml': text })
    expect(o.failed).toMatchObject({
      lifecycleEventName: 'BeforeInstall',
      diagnostics: { errorCode: 'UnknownError', message }
    })
  })

  it('an unknown lifecycle event', async () => {
    const o = await deploy({
      'appspec.yml': appspec({ ValidateServices: ['scripts/v.sh'] }),
      'scripts/v.sh': '#!/bin/sh\n'
    })
    expect(o.failed).toMatchObject({
      lifecycleEventName: 'Install',
      diagnostics: {
        errorCode: 'UnknownError',
        message: 'appspec.yml file contains unknown lifecycle events: ["ValidateServices"]'
      }
    })
  })

  it('a script over its timeout, and one with CRLF line ends', async () => {
    const slow = await deploy({
      'appspec.yml':
        'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: slow.sh\n      timeout: 1\n',
      'slow.sh': '#!/bin/sh\necho begun\nsleep 30\n'
    })
    expect(slow.failed!.diagnostics).toEqual({
      errorCode: 'ScriptTimedOut',
      scriptName: 'slow.sh',
      message: 'Script at specified location: slow.sh failed to complete in 1 seconds',
      logTail: 'LifecycleEvent - ApplicationStart\nScript - slow.sh\n[stdout]begun\n'
    })
    const crlf = await deploy({
      'appspec.yml': appspec({ AfterInstall: ['crlf.sh'] }),
      'crlf.sh': '#!/bin/bash\r\necho hi\r\n'
    })
    expect(crlf.failed!.diagnostics).toMatchObject({
      errorCode: 'ScriptFailed',
      message: `Script at specified location: crlf.sh failed with error Errno::ENOENT with message No such file or directory - ${archive(crlf.id)}/crlf.sh`
    })
  }, 30_000)

  it('an eTag that is not the object’s', async () => {
    const o = await deploy(
      { 'appspec.yml': appspec({}) },
      { eTag: '0123456789abcdef0123456789abcdef' }
    )
    expect(o.failed).toMatchObject({
      lifecycleEventName: 'DownloadBundle',
      diagnostics: {
        errorCode: 'UnknownError',
        message: expect.stringMatching(
          /^Expected deployment artifact bundle etag 0123456789abcdef0123456789abcdef but was actually "[0-9a-f]{32}"$/
        )
      }
    })
  })
})

describe('hooks as the agent runs them', () => {
  it('gets the agent environment, runs from the archive, and a script without #! through /bin/sh', async () => {
    const o = await deploy({
      'appspec.yml': appspec({ AfterInstall: ['env.sh', 'plain.sh'] }),
      'env.sh':
        '#!/bin/sh\nenv | grep -E "^(LIFECYCLE_EVENT|DEPLOYMENT_ID|APPLICATION_NAME|DEPLOYMENT_GROUP_NAME|DEPLOYMENT_GROUP_ID|BUNDLE_BUCKET|BUNDLE_KEY)=" | sort\npwd\n',
      'plain.sh': 'echo "no shebang, shell $0"\n'
    })
    expect(o.status).toBe('Succeeded')
    const tail = o.events.find((e) => e.lifecycleEventName === 'AfterInstall')!.diagnostics!.logTail
    expect(tail).toBe(
      'LifecycleEvent - AfterInstall\nScript - env.sh\n' +
        `[stdout]APPLICATION_NAME=${app}\n[stdout]BUNDLE_BUCKET=${b.bucket}\n[stdout]BUNDLE_KEY=${app}/${counter}.tgz\n` +
        `[stdout]DEPLOYMENT_GROUP_ID=${groupId}\n[stdout]DEPLOYMENT_GROUP_NAME=g\n[stdout]DEPLOYMENT_ID=${o.id}\n` +
        `[stdout]LIFECYCLE_EVENT=AfterInstall\n[stdout]${archive(o.id)}\n` +
        `Script - plain.sh\n[stdout]no shebang, shell ${archive(o.id)}/plain.sh\n`
    )
  })

  it('unpacks a zip bundle with unzip, modes kept', async () => {
    const o = await deploy(
      {
        'appspec.yml': appspec({ AfterInstall: ['bin/run.sh'] }),
        'bin/run.sh': '#!/bin/sh\necho "zip ok"\n'
      },
      { zip: true }
    )
    expect(o.status).toBe('Succeeded')
    const tail = o.events.find((e) => e.lifecycleEventName === 'AfterInstall')!.diagnostics!.logTail
    expect(tail).toBe('LifecycleEvent - AfterInstall\nScript - bin/run.sh\n[stdout]zip ok\n')
  })

  it('keeps about the last 2,048 characters of output', async () => {
    const o = await deploy({
      'appspec.yml': appspec({ ValidateService: ['loud.sh'] }),
      'loud.sh': '#!/bin/bash\nfor i in $(seq 1 500); do echo "line $i"; done\nexit 3\n'
    })
    const d = o.failed!.diagnostics!
    expect(d.message).toBe('Script at specified location: loud.sh failed with exit code 3')
    expect(d.logTail!.length).toBeLessThanOrEqual(2048)
    expect(d.logTail!.length).toBeGreaterThan(2000)
    expect(d.logTail).toMatch(/^\[stdout\]line \d+\n/)
    expect(d.logTail!.endsWith('[stdout]line 499\n[stdout]line 500\n')).toBe(true)
  })
})

describe('fileExistsBehavior', () => {
  const dest = `/srv/${app}`
  // A BeforeInstall hook leaves `name` at the destination before Install copies the bundle's.
  const bundle = (name: string, marker: string): Tree => ({
    'appspec.yml': appspec(
      { BeforeInstall: ['pre.sh'] },
      `  - source: ${name}\n    destination: ${dest}\n`
    ),
    [name]: 'from the bundle\n',
    'pre.sh': `#!/bin/sh\nmkdir -p ${dest}\necho "${marker}" > ${dest}/${name}\n`
  })

  it('DISALLOW (the default) fails on a file the last install did not put there, in the agent’s words', async () => {
    const o = await deploy(bundle('a.txt', 'left by someone'))
    expect(o.failed).toMatchObject({
      lifecycleEventName: 'Install',
      diagnostics: {
        errorCode: 'UnknownError',
        message: `The deployment failed because a specified file already exists at this location: ${dest}/a.txt`
      }
    })
  })

  it('OVERWRITE replaces it and RETAIN keeps it', async () => {
    expect((await deploy(bundle('b.txt', 'old'), { fileExistsBehavior: 'OVERWRITE' })).status).toBe(
      'Succeeded'
    )
    expect((await onInstance(instance, `cat ${dest}/b.txt`)).stdout).toBe('from the bundle\n')
    expect((await deploy(bundle('c.txt', 'kept'), { fileExistsBehavior: 'RETAIN' })).status).toBe(
      'Succeeded'
    )
    expect((await onInstance(instance, `cat ${dest}/c.txt`)).stdout).toBe('kept\n')
  })

  it('removes what the previous install copied first, so a redeploy under DISALLOW works', async () => {
    const plain = {
      'appspec.yml': appspec({}, `  - source: d.txt\n    destination: ${dest}\n`),
      'd.txt': 'from the bundle\n'
    }
    expect((await deploy(plain)).status).toBe('Succeeded')
    expect((await deploy(bundle('d.txt', 'rewritten by the hook'))).status).toBe('Succeeded')
    expect((await onInstance(instance, `cat ${dest}/d.txt; ls ${dest}`)).stdout).toBe(
      'from the bundle\na.txt\nc.txt\nd.txt\n'
    )
  })
})
