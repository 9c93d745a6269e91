// Temp-dir workspaces for the bundle tests, shaped like the tutorial's project.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Tree } from '../support/fixtures.js'

export function makeDir(prefix = 'bundle-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export const APPSPEC = `version: 0.0
os: linux
files:
  - source: application.jar
    destination: /opt/app
hooks:
  BeforeInstall:
    - location: init.sh
  ApplicationStart:
    - location: deploy.sh
  ValidateService:
    - location: validate.sh
`

/** A deterministic, poorly compressible payload (a jar's content is already deflated). */
export function noise(bytes: number, seed = 1): Buffer {
  const b = Buffer.alloc(bytes)
  let x = seed >>> 0 || 1
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    b[i] = x & 0xff
  }
  return b
}

export function tutorialTree(): Tree {
  return {
    'codedeploy/appspec.yml': APPSPEC,
    'codedeploy/deploy.sh': { mode: 0o755, content: '#!/bin/bash\nsystemctl restart app\n' },
    'codedeploy/init.sh': '#!/bin/bash\nmkdir -p /opt/app\n',
    'codedeploy/validate.sh': { mode: 0o755, content: '#!/bin/bash\ncurl -f localhost:8080\n' },
    'codedeploy/nginx.conf': 'server { listen 80; }\n'.repeat(50),
    'build/libs/demo-0.0.1-SNAPSHOT.jar': noise(150_000),
    'build/libs/demo-0.0.1-SNAPSHOT-plain.jar': noise(3_000, 7),
    'src/main/java/App.java': 'class App {}\n',
    '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n'
  }
}

export function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}
