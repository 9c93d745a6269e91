// Workspaces for end-to-end tests, shaped like the tutorial's project: a codedeploy/ folder
// (appspec.yml, hook scripts, an nginx conf) and build/libs/ with a boot jar and a -plain jar.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { suiteTempDir } from '../temp-dir.js'

export const TUTORIAL_APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /home/ec2-user/app
    overwrite: yes
permissions:
  - object: /home/ec2-user/app
    owner: root
    group: root
hooks:
  AfterInstall:
    - location: init.sh
      timeout: 60
  ApplicationStart:
    - location: deploy.sh
      timeout: 120
  ValidateService:
    - location: validate.sh
      timeout: 60
`

export function writeFiles(
  root: string,
  files: Record<string, string | Buffer>,
  mode?: number
): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
    if (mode !== undefined) chmodSync(file, mode)
  }
}

/** A fresh tutorial-shaped workspace; scripts are written 0644 as a checkout without +x would leave them. */
export function tutorialWorkspace(overrides: Record<string, string | Buffer> = {}): string {
  const ws = suiteTempDir('ws-')
  writeFiles(ws, {
    'codedeploy/appspec.yml': TUTORIAL_APPSPEC,
    'codedeploy/init.sh': '#!/bin/bash\nmkdir -p /home/ec2-user/app/logs\n',
    'codedeploy/deploy.sh':
      '#!/bin/bash\ncd /home/ec2-user/app && nohup java -jar application.jar >/dev/null 2>&1 &\n',
    'codedeploy/validate.sh': '#!/bin/bash\ncurl -fsS http://127.0.0.1:8080/script-health-check\n',
    'codedeploy/nginx.conf':
      'server { listen 80; location / { proxy_pass http://127.0.0.1:8080; } }\n',
    'build/libs/sample-app-0.0.1-SNAPSHOT.jar': Buffer.alloc(64 * 1024, 7),
    'build/libs/sample-app-0.0.1-SNAPSHOT-plain.jar': Buffer.alloc(4 * 1024, 3),
    'README.md': '# sample app\n',
    ...overrides
  })
  return ws
}

export const TUTORIAL_INPUTS = {
  application: 'sample-app',
  'deployment-group': 'staging',
  bucket: 'my-codedeploy-bucket',
  source: 'codedeploy',
  files: 'build/libs/*.jar => application.jar\n!build/libs/*-plain.jar'
}
