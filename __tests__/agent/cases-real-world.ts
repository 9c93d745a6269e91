// Conformance cases for the forms real users write, each a case of our own that reproduces one
// form (not a copy of anyone's file), with where the form was seen. Read in December 2026: 60
// appspec files of public repositories (Spring Boot tutorials in Korean among them, Node,
// Python, PHP, AWS samples) and the agent's issue tracker. Forms the suite already had (CRLF,
// tabs, `./` locations, a trailing '/' on a source folder, `type: file`, ...) are not repeated.
import {
  badOs,
  bundle,
  fails,
  NO_LOCATION,
  NO_SOURCE,
  OK,
  spec,
  type AgentCase
} from './case-kit.js'

const START = '    - location: scripts/start.sh\n'

export const REAL_WORLD_CASES: AgentCase[] = [
  {
    id: 'real-world/tutorial-source-dot',
    tree: bundle(
      spec(
        'files:\n  - source: .\n    destination: {dest}\n    overwrite: yes\nhooks:\n  ApplicationStart:\n' +
          START +
          '      timeout: 60\n      runas: root\n'
      )
    ),
    agent: OK,
    seen: [
      '0yunde/porttrack-sample_EM7 appspec.yml',
      'gustavo-bertoldi/FlightSearchCalendar README.md'
    ]
  },
  {
    id: 'real-world/source-dot-slash-destination-slash',
    tree: bundle(spec('files:\n  - source: ./\n    destination: {dest}/\n')),
    agent: OK,
    seen: ['CloudNative-webapp/webapp appspec.yml']
  },
  {
    id: 'real-world/two-spaces-after-colon',
    tree: bundle(spec('files:\n  - source:  /\n    destination: {dest}\n')),
    agent: OK,
    seen: [
      'jojoldu/freelec-springboot2-webservice appspec.yml',
      '0308bae/ReactSpringboot appspec.yml'
    ]
  },
  {
    id: 'real-world/overwrite-key-with-file-exists-behavior',
    tree: bundle(
      'version: 0.0\nos: linux\nfile_exists_behavior: OVERWRITE\nfiles:\n  - source: /\n    destination: {dest}\n    overwrite: true\n'
    ),
    agent: OK,
    seen: ['06-ServiceTF/HAPOOM-BE appspec.yml', 'ashnike/bipoflask appspec.yml']
  },
  {
    id: 'real-world/file-exists-behavior-inside-entry',
    tree: bundle(
      spec(
        'files:\n  - source: config/\n    destination: {dest}\n    file_exists_behavior: OVERWRITE\n'
      )
    ),
    agent: OK,
    seen: ['woowacourse-teams/2025-mul-kkam codedeploy/appspec.yml']
  },
  {
    id: 'real-world/comments-everywhere',
    tree: bundle(
      '# CodeDeploy 버전\nversion: 0.0\n\nos: linux\nfiles:\n  # 배포할 파일\n  - source: /\n    # 복사할 위치\n    destination: {dest}/ # 프로젝트 이름\n    overwrite: yes\nhooks:\n#배포 후 실행\n  ApplicationStart:\n    - location: scripts/start.sh   # 시작\n      timeout: 180 # 초\n'
    ),
    agent: OK,
    seen: [
      'jaenyeong-dev/Study_springboot-aws-starter appspec.yml',
      '1-n-Fee/1-n-Server appspec.yml',
      'teichae/codedeploy appspec.yml'
    ]
  },
  {
    id: 'real-world/space-before-colon',
    tree: bundle(
      spec(
        'files:\n  - source: /\n    destination: {dest}\npermissions:\n  - object: {dest}\n    pattern : "**"\n    mode : 755\n    owner : root\n'
      )
    ),
    agent: OK,
    seen: ['0hyunCho/CICD_TEST appspec.yml']
  },
  {
    id: 'real-world/list-at-its-key-indent',
    tree: bundle(
      spec('hooks:\n    ApplicationStart:\n    - location: scripts/start.sh\n      timeout: 120\n')
    ),
    agent: OK,
    seen: [
      'teichae/codedeploy appspec.yml',
      'saasscaleup/nodejs-aws-codedeploy-pipeline appspec.yml'
    ]
  },
  {
    id: 'real-world/one-space-indent',
    tree: bundle(
      spec(
        'files:\n - source: /\n   destination: {dest}\nhooks:\n ApplicationStart:\n  - location: scripts/start.sh\n'
      )
    ),
    agent: OK,
    seen: [
      'aws-samples/aws-codedeploy-appspec-assistant ec2-and-onPrem-default-appspec-template-uncommented.yml',
      'Sharath2899/code-deploy-code-pipeline README.md'
    ]
  },
  {
    id: 'real-world/three-then-four-space-indent',
    tree: bundle(
      spec(
        'files:\n   - source: /\n     destination: {dest}\nhooks:\n   ApplicationStart:\n    - location: scripts/start.sh\n      timeout: 300\n'
      )
    ),
    agent: OK,
    seen: ['andrewpuch/code_deploy_example appspec.yml', '0x-x0/code_deploy_example appspec.yml']
  },
  {
    id: 'real-world/markdown-indent-pasted',
    tree: bundle(
      spec('files:\n  - source: /\n    destination: {dest}\n')
        .split('\n')
        .map((l) => (l ? `    ${l}` : l))
        .join('\n')
    ),
    agent: OK,
    seen: ['Sharath2899/code-deploy-code-pipeline README.md (the appspec in an indented block)']
  },
  {
    id: 'real-world/event-at-column-zero',
    tree: bundle(
      spec(`hooks:\n  BeforeInstall:\n  - location: scripts/start.sh\nApplicationStart:\n${START}`)
    ),
    agent: OK,
    warns: 'ApplicationStart',
    seen: [
      'saasscaleup/nodejs-aws-codedeploy-pipeline appspec.yml',
      'Sharath2899/code-deploy-code-pipeline README.md'
    ]
  },
  {
    id: 'real-world/event-name-with-space',
    tree: bundle(spec(`hooks:\n  Before Install:\n${START}`)),
    agent: fails(
      'Install',
      'appspec.yml file contains unknown lifecycle events: ["Before Install"]'
    ),
    seen: ['kenny67/server appspec.yml.tpl']
  },
  {
    id: 'real-world/commands-beside-location',
    tree: bundle(
      spec(
        'hooks:\n  AfterInstall:\n    - location: scripts/start.sh\n      timeout: 400\n      commands:\n        - chmod +x scripts/start.sh\n        - ./scripts/start.sh\n'
      )
    ),
    agent: OK,
    warns: 'commands',
    seen: ['0xef876/Login_back appspec.yml', '0xef876/MyToyProject appspec.yml']
  },
  {
    id: 'real-world/location-in-the-destination',
    tree: bundle(
      spec(
        'files:\n  - source: /\n    destination: {dest}\nhooks:\n  ApplicationStart:\n    - location: {dest}/scripts/start.sh\n'
      )
    ),
    agent: fails(
      'ApplicationStart',
      'Script does not exist at specified location: <archive><dest>/scripts/start.sh',
      'ScriptMissing'
    ),
    seen: ['gustavo-bertoldi/FlightSearchCalendar appspec.yml', '00farhan00/node-demo appspec.yml']
  },
  {
    id: 'real-world/empty-location',
    tree: bundle(spec('hooks:\n  ApplicationStart:\n    - location: \n')),
    agent: fails('BeforeInstall', NO_LOCATION),
    seen: ['0578/CI-CD appspec.yml']
  },
  {
    id: 'real-world/os-ubuntu',
    tree: bundle('version: 0.0\nos: ubuntu\n'),
    agent: fails('BeforeInstall', badOs('ubuntu')),
    seen: ['0578/CI-CD appspec.yml', '07rv/nodejs_ci_cd appspec.yml (os: linus)']
  },
  {
    id: 'real-world/misspelled-source-key',
    tree: bundle(spec('files:\n  - sources: /\n    destinations: {dest}\n')),
    agent: fails('BeforeInstall', NO_SOURCE),
    seen: ['07rv/nodejs_ci_cd appspec.yml']
  },
  {
    id: 'real-world/whitespace-only-lines',
    tree: bundle(
      'version: 0.0\nos: linux \n \nfiles:\n  - source: /\n    destination: {dest}\n    \n      \nhooks:\n\n  ApplicationStart:\n' +
        START +
        '  '
    ),
    agent: OK,
    seen: [
      '0308bae/ReactSpringboot appspec.yml',
      'sd031/aws_codebuild_codedeploy_nodeJs_demo appspec.yml',
      'the AWS template (os: linux with a trailing space)'
    ]
  },
  {
    id: 'real-world/no-final-newline',
    tree: bundle(spec('files:\n  - source: /\n    destination: {dest}')),
    agent: OK,
    seen: [
      'jojoldu/freelec-springboot2-webservice appspec.yml',
      '0num4/learn-codedeploy appspec.yml'
    ]
  },
  {
    id: 'real-world/document-markers',
    tree: bundle(`---\n${spec('hooks:\n  BeforeInstall:\n  ApplicationStart:\n' + START)}...\n`),
    agent: OK,
    seen: ['aws/aws-codedeploy-agent issue 125']
  },
  {
    id: 'real-world/permissions-inside-files-entry',
    tree: bundle(
      spec(
        'files:\n  - source: /config\n    destination: {dest}\n    permissions:\n      - object: {dest}/app.conf\n        mode: 644\n'
      )
    ),
    agent: OK,
    seen: ['a code search excerpt (repository not named)']
  },
  {
    id: 'real-world/placeholder-in-destination',
    tree: bundle(spec('files:\n  - source: /\n    destination: {dest}/${PROJECT_NAME}/\n')),
    agent: OK,
    seen: ['kenny67/server appspec.yml.tpl']
  },
  {
    id: 'real-world/odd-timeouts',
    tree: bundle(
      spec(
        'hooks:\n  AfterInstall:\n    - location: scripts/start.sh\n      timeout: 5\n  ApplicationStart:\n    - location: scripts/start.sh\n      timeout: 1000\n  ValidateService:\n    - location: scripts/start.sh\n      timeout: 6\n'
      )
    ),
    agent: OK,
    seen: [
      'aws-samples/aws-kms-xks-proxy appspec.yml (5 and 10)',
      '03hoho03/------------ appspec.yml (1000)',
      'saasscaleup/nodejs-aws-codedeploy-pipeline appspec.yml (6)'
    ]
  },
  {
    id: 'real-world/scripts-in-nested-and-hidden-folders',
    tree: bundle(
      spec(
        'hooks:\n  AfterInstall:\n    - location: .deploy/after_install.sh\n  ApplicationStart:\n    - location: deployment/scripts/start_server\n'
      ),
      {
        '.deploy/after_install.sh': { content: '#!/bin/sh\necho after\n', mode: 0o755 },
        'deployment/scripts/start_server': { content: '#!/bin/sh\necho start\n', mode: 0o755 }
      }
    ),
    agent: OK,
    seen: [
      'guilhermetomoike/CodeDeployGitHubDemo appspec.yml (.deploy/)',
      'aws-samples/aws-codedeploy-samples SampleApp_Linux appspec.yml (no extension)'
    ]
  }
]
