// The CodeDeploy tutorial's project, the one the README's "Before and after" deploys: Gradle
// builds a Spring Boot jar (and a -plain jar beside it) into build/libs/, and codedeploy/ holds
// appspec.yml, the hook scripts init.sh, deploy.sh and validate.sh, and an nginx conf. Suites
// that need the tutorial take its appspec, tree, bundle and inputs from here, and derive any
// variant from them (spread and override) rather than keep a copy.
import { suiteTempDir } from '../temp-dir.js'
import { noise, writeTree, type Tree } from './fixtures.js'

/** codedeploy/appspec.yml: everything to /home/ec2-user/app, owned by ec2-user, three hooks. */
export const TUTORIAL_APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /home/ec2-user/app
permissions:
  - object: /home/ec2-user/app
    owner: ec2-user
    group: ec2-user
    type:
      - file
hooks:
  AfterInstall:
    - location: init.sh
      timeout: 300
      runas: root
  ApplicationStart:
    - location: deploy.sh
      timeout: 300
      runas: root
  ValidateService:
    - location: validate.sh
      timeout: 300
`

/** The boot jar Gradle builds (the -plain jar beside it must stay out of the bundle). */
export const TUTORIAL_JAR = 'build/libs/demo-0.0.1-SNAPSHOT.jar'

/**
 * The project as checked out and built: init.sh without +x (as a checkout can leave a script), a
 * boot jar of ~150 KB that compresses poorly (a jar is already deflated), the -plain jar, sources,
 * and a .git/config holding a credential that must never reach a bundle.
 */
export function tutorialTree(): Tree {
  return {
    'codedeploy/appspec.yml': TUTORIAL_APPSPEC,
    'codedeploy/init.sh': '#!/bin/bash\nmkdir -p /home/ec2-user/app/logs\n',
    'codedeploy/deploy.sh': {
      mode: 0o755,
      content:
        '#!/bin/bash\ncd /home/ec2-user/app && { nohup java -jar application.jar >/dev/null 2>&1 & }\n'
    },
    'codedeploy/validate.sh': {
      mode: 0o755,
      content: '#!/bin/bash\ncurl -fsS http://127.0.0.1:8080/actuator/health\n'
    },
    'codedeploy/nginx.conf': 'server { listen 80; }\n'.repeat(50),
    [TUTORIAL_JAR]: noise(150_000),
    'build/libs/demo-0.0.1-SNAPSHOT-plain.jar': noise(3_000, 7),
    'src/main/java/App.java': 'class App {}\n',
    '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n'
  }
}

/** The step's inputs that deploy the tutorial (the README's "after"). */
export const TUTORIAL_INPUTS = {
  application: 'sample-app',
  'deployment-group': 'staging',
  bucket: 'my-codedeploy-bucket',
  source: 'codedeploy',
  files: 'build/libs/*.jar => application.jar\n!build/libs/*-plain.jar'
}

/** What TUTORIAL_INPUTS bundle from the tree: codedeploy/ at the root, the boot jar renamed, hooks executable. */
export function tutorialBundle(): Tree {
  const tree = tutorialTree()
  const bundle: Tree = {}
  for (const [rel, spec] of Object.entries(tree)) {
    if (!rel.startsWith('codedeploy/')) continue
    const name = rel.slice('codedeploy/'.length)
    const content = typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : undefined
    bundle[name] = name.endsWith('.sh') && content !== undefined ? { mode: 0o755, content } : spec
  }
  bundle['application.jar'] = tree[TUTORIAL_JAR] as Buffer
  return bundle
}

/** The tutorial's project written to a fresh folder of the suite's, with `overrides` on top. */
export function tutorialWorkspace(overrides: Tree = {}): string {
  return writeTree(suiteTempDir('ws-'), { ...tutorialTree(), ...overrides })
}
