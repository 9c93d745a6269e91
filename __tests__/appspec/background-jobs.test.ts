import { describe, expect, it } from '@jest/globals'
import {
  openBackgroundJobs,
  shellsFor,
  type OpenJob,
  type Shell
} from '../../src/appspec/background-jobs.js'
import { JOB_CASES, type JobCase, type Verdict } from './background-jobs-cases.js'

/** What the action's reading should say: the shells' verdict, or its known deviation. */
const reading = (c: JobCase, shell: Shell): Verdict => c.reading?.[shell] ?? c[shell]

const tried = JOB_CASES.flatMap((c) =>
  (['bash', 'dash'] as const)
    .filter((shell) => shell === 'bash' || c.only === undefined)
    .map((shell) => [`${shell}: ${c.why}`, c, shell] as const)
)

describe('openBackgroundJobs, against the shells (background-jobs-cases.ts)', () => {
  it('has cases both ways, on both shells, and knows where it errs', () => {
    expect(JOB_CASES.length).toBeGreaterThanOrEqual(40)
    const verdicts = tried.map(([, c, shell]) => reading(c, shell))
    expect(verdicts.filter((v) => v === 'open').length).toBeGreaterThan(30)
    expect(verdicts.filter((v) => v !== 'open').length).toBeGreaterThan(30)
    expect(JOB_CASES.filter((c) => c.bash !== c.dash).length).toBeGreaterThan(5)
    expect(JOB_CASES.filter((c) => c.reading).length).toBeGreaterThan(3)
  })

  it.each(tried)('%s', (_name, c, shell) => {
    const jobs = openBackgroundJobs(c.script, [shell])
    if (reading(c, shell) !== 'open') {
      expect(jobs).toEqual([])
      return
    }
    expect(jobs.map((j) => ({ line: j.line, streams: j.streams, shells: j.shells }))).toEqual([
      { line: c.line ?? 1, streams: c.streams ?? ['stdout', 'stderr'], shells: [shell] }
    ])
  })
})

describe('openBackgroundJobs, what it says', () => {
  const only = (script: string, shells: Shell[] = ['bash']): OpenJob => {
    const jobs = openBackgroundJobs(script, shells)
    expect(jobs).toHaveLength(1)
    return jobs[0] as OpenJob
  }

  it('gives a plain job with its redirected form', () => {
    expect(only('#!/bin/bash\ncd /opt/app\njava -jar app.jar &\n')).toEqual({
      line: 3,
      endLine: 3,
      text: 'java -jar app.jar &',
      form: 'command',
      streams: ['stdout', 'stderr'],
      shells: ['bash'],
      ownOutput: true,
      commands: ['java'],
      ampersandRedirect: false,
      fix: 'java -jar app.jar > /dev/null 2>&1 < /dev/null &',
      fixIsLastLine: false
    })
  })

  it('keeps the log file a job names, and its redirections anywhere', () => {
    expect(only('>>/var/log/app.log java -jar app.jar &').fix).toBe(
      'java -jar app.jar >> /var/log/app.log 2>&1 < /dev/null &'
    )
    expect(only('java -jar app.jar 2>/var/log/err.log &').fix).toBe(
      'java -jar app.jar > /var/log/err.log 2>&1 < /dev/null &'
    )
    expect(only('java -jar app.jar 2>&1 &').fix).toBe(
      'java -jar app.jar > /dev/null 2>&1 < /dev/null &'
    )
  })

  it('gives a list both fixes, keeping the last command redirected', () => {
    const job = only('cd /opt/app && nohup java -jar app.jar >/dev/null 2>&1 &')
    expect(job).toMatchObject({
      form: 'list',
      ownOutput: false,
      commands: ['cd', 'nohup'],
      fix: 'cd /opt/app && { nohup java -jar app.jar > /dev/null 2>&1 < /dev/null & }',
      listFix: '(cd /opt/app && nohup java -jar app.jar) > /dev/null 2>&1 < /dev/null &'
    })
  })

  it('redirects a group or loop where it ends', () => {
    expect(only('{ java -jar app.jar >/dev/null 2>&1; } &')).toMatchObject({
      form: 'group',
      compound: 'braces',
      fix: '{ java -jar app.jar >/dev/null 2>&1; } > /dev/null 2>&1 < /dev/null &',
      fixIsLastLine: false
    })
    expect(only('while true; do\n  java -jar app.jar\n  sleep 5\ndone > /tmp/x &\n')).toMatchObject(
      {
        line: 1,
        endLine: 4,
        text: 'while true; do … &',
        compound: 'loop',
        streams: ['stderr'],
        fix: 'done > /tmp/x 2>&1 < /dev/null &',
        fixIsLastLine: true
      }
    )
  })

  it('redirects a pipeline as a whole', () => {
    expect(only('java -jar app.jar 2>&1 | logger -t app &').fix).toBe(
      '{ java -jar app.jar 2>&1 | logger -t app; } > /dev/null 2>&1 < /dev/null &'
    )
  })

  it('closes a descriptor the script saved', () => {
    expect(only('exec 3>&1 >/var/log/deploy.log 2>&1\njava -jar app.jar &').fix).toBe(
      'java -jar app.jar > /dev/null 2>&1 < /dev/null 3>&- &'
    )
  })

  it("gives dash's &> its POSIX form", () => {
    expect(only('java -jar app.jar &>/var/log/app.log', ['dash'])).toMatchObject({
      text: 'java -jar app.jar &>/var/log/app.log',
      ampersandRedirect: true,
      fix: 'java -jar app.jar > /var/log/app.log 2>&1'
    })
  })

  it('joins continued lines and reports the first', () => {
    expect(only('echo start\nnohup java \\\n  -jar app.jar \\\n  &\n')).toMatchObject({
      line: 2,
      endLine: 4,
      text: 'nohup java -jar app.jar &'
    })
  })

  it('merges what bash and dash do with one job, and keeps apart what only one does', () => {
    const sh: Shell[] = ['bash', 'dash']
    expect(only('java -jar app.jar > out.log &', sh)).toMatchObject({
      shells: ['bash', 'dash'],
      streams: ['stderr']
    })
    expect(only('cd /opt/app && java -jar app.jar >/dev/null 2>&1 &', sh).shells).toEqual(['bash'])
    const both = openBackgroundJobs('cd /opt/app && java -jar app.jar &> /dev/null &', sh)
    expect(both.map((j) => [j.shells, j.ampersandRedirect])).toEqual([
      [['bash'], false],
      [['dash'], true]
    ])
  })

  it('reports each job once, in the order of the script', () => {
    const jobs = openBackgroundJobs(
      'start() { node worker.js & }\nstart\nstart\njava -jar app.jar &\n',
      ['bash']
    )
    expect(jobs.map((j) => [j.line, j.text, j.shells])).toEqual([
      [1, 'node worker.js &', ['bash']],
      [4, 'java -jar app.jar &', ['bash']]
    ])
  })

  it('leaves alone a script it cannot parse, or no shell', () => {
    expect(openBackgroundJobs('java -jar app.jar &\nif then fi }\n', ['bash'])).toEqual([])
    expect(openBackgroundJobs('java -jar app.jar &', [])).toEqual([])
  })
})

describe('shellsFor', () => {
  it.each([
    [undefined, ['bash', 'dash']],
    ['/bin/sh', ['bash', 'dash']],
    ['/bin/sh -e', ['bash', 'dash']],
    ['/bin/bash', ['bash']],
    ['/usr/bin/env bash', ['bash']],
    ['/usr/bin/env -S bash -eu', ['bash']],
    ['/bin/dash', ['dash']],
    ['/usr/bin/env python3', []],
    ['/usr/bin/zsh', []],
    ['/bin/ksh', []]
  ])('#!%s', (line, shells) => {
    expect(shellsFor(line)).toEqual(shells)
  })
})
