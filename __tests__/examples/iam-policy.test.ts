// examples/iam-policy.json grants exactly what the action calls: every SDK command sent from src/
// maps to an action in the policy, and the policy grants nothing else except the permissions AWS
// checks behind those calls (documented below and in the README).
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { listingPrefix } from '../../src/revisions/key-shape.js'
import { renderKey } from '../../src/settings/key-template.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')

interface Statement {
  Sid: string
  Effect: string
  Action: string | string[]
  Resource: string | string[]
  Condition?: Record<string, unknown>
}

const policy = JSON.parse(readFileSync(path.join(REPO, 'examples', 'iam-policy.json'), 'utf8')) as {
  Version: string
  Statement: Statement[]
}

/** The IAM action each API operation the action may send is authorised by. */
const ACTION_FOR_OPERATION: Record<string, string> = {
  // S3: HeadObject is authorised by s3:GetObject; the multipart calls by s3:PutObject.
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  // keep-revisions: list every version under the prefix, delete one (HeadObject checks it first).
  ListObjectVersions: 's3:ListBucketVersions',
  DeleteObject: 's3:DeleteObject',
  CreateDeployment: 'codedeploy:CreateDeployment',
  GetDeployment: 'codedeploy:GetDeployment',
  StopDeployment: 'codedeploy:StopDeployment',
  ListDeployments: 'codedeploy:ListDeployments',
  ListDeploymentTargets: 'codedeploy:ListDeploymentTargets',
  BatchGetDeploymentTargets: 'codedeploy:BatchGetDeploymentTargets',
  ListApplications: 'codedeploy:ListApplications',
  ListDeploymentGroups: 'codedeploy:ListDeploymentGroups',
  // Blue/green and load-balanced groups.
  ContinueDeployment: 'codedeploy:ContinueDeployment',
  GetDeploymentGroup: 'codedeploy:GetDeploymentGroup',
  // A failure's advice: the configuration's minimum healthy hosts.
  GetDeploymentConfig: 'codedeploy:GetDeploymentConfig',
  DescribeTargetGroups: 'elasticloadbalancing:DescribeTargetGroups',
  DescribeTargetHealth: 'elasticloadbalancing:DescribeTargetHealth',
  DescribeTargetGroupAttributes: 'elasticloadbalancing:DescribeTargetGroupAttributes',
  DescribeAutoScalingGroups: 'autoscaling:DescribeAutoScalingGroups',
  DeleteAutoScalingGroup: 'autoscaling:DeleteAutoScalingGroup'
}

/** Granted without a call of that name in src/: AWS checks them behind calls the action makes. */
const IMPLIED: Record<string, string> = {
  'codedeploy:RegisterApplicationRevision': 'CreateDeployment with an S3 revision registers it',
  'codedeploy:GetApplicationRevision': 'CreateDeployment reads the registered revision',
  's3:ListBucket': 'lets HeadObject answer 404 instead of 403 for a key that is not there yet',
  's3:GetObjectVersion':
    "HeadObject with a VersionId: a deployment's revision on a versioned bucket (its commit), keep-revisions' check",
  's3:DeleteObjectVersion': 'DeleteObject with a VersionId (keep-revisions on a versioned bucket)',
  'kms:GenerateDataKey': 'PutObject with sse: aws:kms',
  'kms:Decrypt': 'multipart upload with sse: aws:kms'
}

/** lib-storage's Upload sends these on the action's behalf. */
const LIB_STORAGE_UPLOAD = [
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload'
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : []
  )
}

/** Every operation src/ sends: `new XCommand(` / `new sdk.XCommand(`, and lib-storage's `new Upload(`. */
function operationsInSource(dir = path.join(REPO, 'src')): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const add = (op: string, file: string): void => {
    found.set(op, [...(found.get(op) ?? []), path.relative(REPO, file)])
  }
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\bnew\s+(?:\w+\.)?(\w+)Command\s*\(/g)) add(m[1] as string, file)
    if (/\bnew\s+Upload\s*\(/.test(text)) for (const op of LIB_STORAGE_UPLOAD) add(op, file)
  }
  return found
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v])

/** One request as IAM evaluates it: the action, the resource and the condition keys it carries. */
interface Request {
  action: string
  resource: string
  context?: Record<string, string>
}

/** An IAM pattern (`*` any run, `?` one character) as a regular expression. */
const iamPattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`
  )

/** Whether a statement of the policy allows the request (Allow only; StringLike/StringEquals conditions). */
function allows(request: Request): boolean {
  return policy.Statement.some(
    (s) =>
      list(s.Action).includes(request.action) &&
      list(s.Resource).some((r) => iamPattern(r).test(request.resource)) &&
      Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys as Record<string, string>).every(([name, value]) => {
          const actual = request.context?.[name]
          if (actual === undefined) return false
          return operator === 'StringLike' ? iamPattern(value).test(actual) : actual === value
        })
      )
  )
}
const granted = policy.Statement.flatMap((s) => list(s.Action))
const statementsFor = (action: string): Statement[] =>
  policy.Statement.filter((s) => list(s.Action).includes(action))

describe('examples/iam-policy.json', () => {
  const operations = operationsInSource()

  it('finds the calls in src/ (the scan itself works)', () => {
    expect([...operations.keys()]).toEqual(
      expect.arrayContaining(['HeadObject', 'CreateDeployment', 'GetDeployment', 'UploadPart'])
    )
  })

  it('knows the IAM action of every operation src/ sends', () => {
    const unknown = [...operations.keys()].filter((op) => !(op in ACTION_FOR_OPERATION))
    // A new call in src/: add it to ACTION_FOR_OPERATION, to the policy and to the README.
    expect(unknown.map((op) => `${op} (${operations.get(op)?.join(', ')})`)).toEqual([])
  })

  it('grants every action the code needs', () => {
    const needed = [...new Set([...operations.keys()].map((op) => ACTION_FOR_OPERATION[op]))]
    expect(needed.filter((a) => a && !granted.includes(a))).toEqual([])
  })

  it('grants nothing the code does not call, except what AWS checks behind those calls', () => {
    const needed = new Set([...operations.keys()].map((op) => ACTION_FOR_OPERATION[op]))
    expect(granted.filter((a) => !needed.has(a) && !(a in IMPLIED))).toEqual([])
    expect(granted.filter((a) => a.includes('*'))).toEqual([])
    expect(new Set(granted).size).toBe(granted.length)
  })

  it('is a valid Allow-only policy with a Sid on every statement', () => {
    expect(policy.Version).toBe('2012-10-17')
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow')
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/)
    }
    expect(new Set(policy.Statement.map((s) => s.Sid)).size).toBe(policy.Statement.length)
  })

  it('scopes S3 object access to the application prefix of one bucket', () => {
    for (const action of [
      's3:GetObject',
      's3:PutObject',
      's3:AbortMultipartUpload',
      's3:GetObjectVersion',
      's3:DeleteObject',
      's3:DeleteObjectVersion'
    ]) {
      for (const s of statementsFor(action))
        for (const r of list(s.Resource)) expect(r).toMatch(/^arn:aws:s3:::[a-z0-9.-]+\/[^*]+\/\*$/)
    }
    const [listBucket] = statementsFor('s3:ListBucket')
    expect(list(listBucket!.Resource)).toEqual([
      expect.stringMatching(/^arn:aws:s3:::[a-z0-9.-]+$/)
    ])
    expect(JSON.stringify(listBucket!.Condition)).toContain('s3:prefix')
  })

  it('scopes CodeDeploy actions to the resource type each one is checked against', () => {
    const resourceType: Record<string, RegExp> = {
      'codedeploy:CreateDeployment': /:deploymentgroup:my-app\//,
      'codedeploy:GetDeployment': /:deploymentgroup:my-app\//,
      'codedeploy:StopDeployment': /:deploymentgroup:my-app\//,
      'codedeploy:ListDeployments': /:deploymentgroup:my-app\//,
      'codedeploy:ListDeploymentTargets': /:deploymentgroup:my-app\//,
      'codedeploy:BatchGetDeploymentTargets': /:deploymentgroup:my-app\//,
      'codedeploy:ContinueDeployment': /:deploymentgroup:my-app\//,
      'codedeploy:GetDeploymentGroup': /:deploymentgroup:my-app\//,
      'codedeploy:RegisterApplicationRevision': /:application:my-app$/,
      'codedeploy:GetApplicationRevision': /:application:my-app$/,
      'codedeploy:ListDeploymentGroups': /:application:my-app$/,
      'codedeploy:GetDeploymentConfig': /:deploymentconfig:/,
      // ListApplications has no resource-level permissions: AWS only accepts "*".
      'codedeploy:ListApplications': /^\*$/
    }
    for (const action of granted.filter((a) => a.startsWith('codedeploy:'))) {
      expect(resourceType[action]).toBeDefined()
      for (const s of statementsFor(action))
        for (const r of list(s.Resource))
          expect([action, r]).toEqual([action, expect.stringMatching(resourceType[action]!)])
    }
  })

  it('lets the action delete only the Auto Scaling groups CodeDeploy creates (CodeDeploy_*), in a statement of its own', () => {
    const [del, ...more] = statementsFor('autoscaling:DeleteAutoScalingGroup')
    expect(more).toEqual([])
    expect(list(del!.Action)).toEqual(['autoscaling:DeleteAutoScalingGroup'])
    expect(list(del!.Resource)).toEqual([
      expect.stringMatching(
        /^arn:aws:autoscaling:[a-z0-9-]+:\d{12}:autoScalingGroup:\*:autoScalingGroupName\/CodeDeploy_\*$/
      )
    ])
    // The reads have no resource-level permissions in IAM: "*" is the only resource AWS accepts.
    for (const action of [
      'autoscaling:DescribeAutoScalingGroups',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTargetGroupAttributes'
    ])
      for (const st of statementsFor(action)) expect(list(st.Resource)).toEqual(['*'])
  })

  it('keeps the KMS permissions in their own statement, usable only through S3', () => {
    const kms = policy.Statement.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')))
    expect(kms).toHaveLength(1)
    expect(list(kms[0]!.Action).every((a) => a.startsWith('kms:'))).toBe(true)
    expect(JSON.stringify(kms[0]!.Condition)).toContain('kms:ViaService')
    expect(list(kms[0]!.Resource)).toEqual([
      expect.stringMatching(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\//)
    ])
  })

  describe('keep-revisions (src/revisions/)', () => {
    const bucket = 'my-codedeploy-bucket'
    const template = '{application}/{run_number}/{bundle_hash}.{ext}'
    const key = renderKey(template, {
      application: 'my-app',
      run_number: '7',
      run_attempt: '1',
      run_id: '123',
      sha: 'a'.repeat(40),
      short_sha: 'a'.repeat(7),
      ref_name: 'main',
      bundle_hash: '0123456789abcdef',
      ext: 'tgz'
    })
    const cd = 'arn:aws:codedeploy:us-east-1:123456789012'
    const object = `arn:aws:s3:::${bucket}/${key}`
    /** Every request the retention sends, by operation, as IAM sees it. */
    const REQUESTS: Record<string, Request[]> = {
      ListDeploymentGroups: [
        { action: 'codedeploy:ListDeploymentGroups', resource: `${cd}:application:my-app` }
      ],
      GetDeploymentGroup: [
        { action: 'codedeploy:GetDeploymentGroup', resource: `${cd}:deploymentgroup:my-app/web` }
      ],
      ListDeployments: [
        { action: 'codedeploy:ListDeployments', resource: `${cd}:deploymentgroup:my-app/web` }
      ],
      GetDeployment: [
        { action: 'codedeploy:GetDeployment', resource: `${cd}:deploymentgroup:my-app/web` }
      ],
      ListObjectVersions: [
        {
          action: 's3:ListBucketVersions',
          resource: `arn:aws:s3:::${bucket}`,
          context: { 's3:prefix': listingPrefix(template, 'my-app') }
        }
      ],
      // Without a version (unversioned bucket) and with one.
      HeadObject: [
        { action: 's3:GetObject', resource: object },
        { action: 's3:GetObjectVersion', resource: object }
      ],
      DeleteObject: [
        { action: 's3:DeleteObject', resource: object },
        { action: 's3:DeleteObjectVersion', resource: object }
      ]
    }

    it('knows every call the retention makes', () => {
      const sent = [...operationsInSource(path.join(REPO, 'src', 'revisions')).keys()].sort()
      // A new call in src/revisions/: add the requests it makes to REQUESTS.
      expect(sent).toEqual(Object.keys(REQUESTS).sort())
    })

    it('allows every call the retention makes on the default key', () => {
      const refused = Object.values(REQUESTS)
        .flat()
        .filter((r) => !allows(r))
      expect(refused).toEqual([])
    })

    it("allows no listing beyond the application's prefix and no deletion outside it", () => {
      expect(
        allows({
          action: 's3:ListBucketVersions',
          resource: `arn:aws:s3:::${bucket}`,
          context: { 's3:prefix': 'other-app/' }
        })
      ).toBe(false)
      expect(allows({ action: 's3:ListBucketVersions', resource: `arn:aws:s3:::${bucket}` })).toBe(
        false
      )
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion'])
        expect(allows({ action, resource: `arn:aws:s3:::${bucket}/other-app/1/x.tgz` })).toBe(false)
    })
  })

  it('is explained statement by statement in the README', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## IAM permissions'))
    expect(readme.includes('## IAM permissions')).toBe(true)
    for (const s of policy.Statement) expect(section).toContain(`\`${s.Sid}\``)
  })
})
