// Scale: 100,000 small files, a 5 GB file (zip64) and a 9 GB one (past ustar's 8 GiB size field),
// a 1,000-instance fleet where 10% fail, and two runs racing for one deployment group.
import { describe, expect, it } from '@jest/globals'
import { execFileSync, execSync } from 'node:child_process'
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deployment, settled } from '../e2e/bed.js'
import { runAction } from '../e2e/harness.js'
import { appWorkspace, b, deploy, json, lastSeq, requestsSince } from './rel.js'

const GIB = 1024 ** 3

function dryRun(ws: string, inputs: Record<string, string> = {}) {
  return runAction({
    workspace: ws,
    inputs: {
      application: 'rel-scale',
      'deployment-group': 'fleet',
      source: 'deploy',
      'dry-run': 'true',
      ...inputs
    },
    env: { GITHUB_RUN_NUMBER: '7005' },
    timeoutMs: 300_000
  })
}

describe('big bundles (dry run)', () => {
  it('bundles 100,000 small files', async () => {
    const ws = appWorkspace('rel-scale')
    for (let d = 0; d < 100; d++) {
      const dir = path.join(ws, 'deploy', 'data', String(d))
      mkdirSync(dir, { recursive: true })
      for (let f = 0; f < 1000; f++) writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}\n`)
    }
    const r = await dryRun(ws)
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const listing = execFileSync('tar', ['-tzf', r.outputs['bundle-path'] as string], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })
    const files = listing.split('\n').filter((l) => l && !l.endsWith('/'))
    // 100,000 data files, app.txt, appspec.yml and two scripts.
    expect(files).toHaveLength(100_004)
    // The listing (in a collapsed group) has a line per entry: ~33 bytes each.
    expect(r.stdout.length).toBeLessThan(8 * 1024 * 1024)
    console.log(`100,000 files: bundled in ${r.durationMs} ms, ${r.outputs['bundle-size']} bytes`)
    expect(r.durationMs).toBeLessThan(120_000)
  }, 300_000)

  /** Dry-runs a bundle holding one sparse file of `gb` GB and returns the archive listing. */
  async function hugeFile(type: 'zip' | 'tar', gb: number): Promise<string> {
    const ws = appWorkspace('rel-scale')
    execFileSync('truncate', ['-s', `${gb}G`, path.join(ws, 'deploy', 'big.bin')])
    const r = await dryRun(ws, { 'bundle-type': type })
    const archive = r.outputs['bundle-path'] as string
    try {
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      console.log(
        `${gb} GB file as ${type}: ${r.durationMs} ms, archive ${r.outputs['bundle-size']} bytes`
      )
      if (type === 'zip') execFileSync('unzip', ['-tq', archive])
      return type === 'zip'
        ? execFileSync('unzip', ['-lv', archive], { encoding: 'utf8' })
        : execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' })
    } finally {
      execSync(`rm -rf ${JSON.stringify(path.dirname(archive))} ${JSON.stringify(ws)}`)
    }
  }

  it('a zip holding a 5 GB file (zip64) and a tar holding a 9 GB one (past ustar 8 GiB)', async () => {
    // The files are sparse (no disk used for their contents), but the tar is as big as its file.
    const free = statfsSync(os.tmpdir()).bavail * statfsSync(os.tmpdir()).bsize
    expect(free).toBeGreaterThan(10 * GIB)
    const [zip, tar] = await Promise.all([hugeFile('zip', 5), hugeFile('tar', 9)])
    expect(zip).toMatch(new RegExp(`\\b${5 * GIB}\\b.*big\\.bin`))
    expect(tar).toMatch(new RegExp(`\\b${9 * GIB}\\b.*big\\.bin`))
  }, 300_000)
})

describe('a 1,000-instance fleet with 10% failing', () => {
  it('reports the failures with bounded calls, a summary under 1 MiB and a readable log', async () => {
    // ValidateService fails on the instances whose id hashes to 0 mod 10 (the instance's files
    // live under .../instances/<id>/ on the bed's shared fleet).
    const validate = `#!/bin/bash
id=$(pwd | sed -n 's#.*/instances/\\(i-[0-9a-f]*\\)/.*#\\1#p')
if [ $(( $(printf %s "$id" | cksum | cut -d' ' -f1) % 10 )) -eq 0 ]; then
  echo "health check failed on $id" >&2
  exit 1
fi
echo "healthy $id"
`
    const APP = 'rel-fleet'
    const since = await lastSeq()
    const r = await deploy(
      APP,
      appWorkspace(APP, { validate }),
      { 'wait-timeout': '10' },
      { timeoutMs: 600_000 }
    )
    const calls = (await requestsSince(since)).filter((c) => c.application === APP)
    const failed = json<{ instanceId: string; lifecycleEvent: string }[]>(
      r.outputs['failed-instances']
    )
    const byOp: Record<string, number> = {}
    for (const c of calls) byOp[c.operation] = (byOp[c.operation] ?? 0) + 1
    console.log(
      `1,000 instances: ${r.durationMs} ms, ${failed.length} failed, ${calls.length} CodeDeploy calls ${JSON.stringify(byOp)}, summary ${r.summary.length} bytes, log ${r.stdout.split('\n').length} lines / ${r.stdout.length} bytes`
    )
    // AllAtOnce: CodeDeploy calls the deployment Succeeded when one instance succeeded. The step
    // agrees, and says loudly that a tenth of the fleet failed.
    const info = await deployment(b, r.outputs['deployment-id'] as string)
    expect(info.status).toBe('Succeeded')
    expect(r.code).toBe(0)
    expect(r.outputs['deployment-status']).toBe('Succeeded')
    expect(info.deploymentOverview?.Failed).toBe(failed.length)
    expect(r.stdout).toMatch(
      new RegExp(
        `::warning::.*succeeded, but ${failed.length} of 1000 instances failed.*ValidateService ScriptFailed`
      )
    )
    // About 10% (the hash decides exactly which).
    expect(failed.length).toBeGreaterThan(60)
    expect(failed.length).toBeLessThan(140)
    for (const f of failed) expect(f.lifecycleEvent).toBe('ValidateService')
    // Calls bounded: ListDeploymentTargets pages and one BatchGet per 25 targets per refresh.
    expect(calls.length).toBeLessThan(600)
    expect(r.summary.length).toBeLessThan(1024 * 1024)
    expect(r.stdout.length).toBeLessThan(2 * 1024 * 1024)
  }, 600_000)
})

describe('two runs racing for one group', () => {
  it('one deploys, the other queues behind it, both succeed, in order', async () => {
    const APP = 'rel-race'
    const slow = '#!/bin/bash\nsleep 3\n'
    const [a, c] = await Promise.all([
      deploy(APP, appWorkspace(APP, { start: slow })),
      deploy(APP, appWorkspace(APP, { start: slow }))
    ])
    for (const r of [a, c]) {
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
    }
    const [first, second] = (
      await Promise.all([a, c].map((r) => settled(b, r.outputs['deployment-id'] as string)))
    ).sort((x, y) => (x.createTime?.getTime() ?? 0) - (y.createTime?.getTime() ?? 0))
    expect(first!.deploymentId).not.toBe(second!.deploymentId)
    expect(first!.completeTime!.getTime()).toBeLessThanOrEqual(second!.createTime!.getTime())
    // The queued run said whom it waited for.
    const queued = [a, c].find((r) => r.outputs['deployment-id'] === second!.deploymentId)!
    expect(queued.stdout).toContain(first!.deploymentId)
  }, 180_000)
})
