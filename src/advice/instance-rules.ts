// The catalogue's rules for one failed instance: its lifecycle event, error code, script, message
// and log tail (what the agent reported through CodeDeploy), read with the group's facts.
// Each rule matches the agent's own words (quoted from agent 1.8.1 beside it) and gives advice
// only when they are there: no advice is better than a wrong guess.
import { agentChecksText, isAgentNotReceived } from './agent-checks.js'
import type { Advice, GroupEvidence, InstanceFailure, Rule } from './types.js'

export interface InstanceCase {
  failure: InstanceFailure
  group: GroupEvidence
}
export type InstanceRule = Rule<InstanceCase>

const AGENT = 'codedeploy-agent 1.8.1'
/** The hooks that run the last successful revision's appspec and scripts, not this one's. */
const PREVIOUS_REVISION_EVENTS = ['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic']

/**
 * A failure in the last successful revision's script that ignore-application-stop-failures gets
 * past: what the previous-revision rule explains, and when that revision is worth reading.
 */
export function ranPreviousRevision(f: InstanceFailure, group: GroupEvidence): boolean {
  return (
    PREVIOUS_REVISION_EVENTS.includes(f.lifecycleEvent) &&
    !isAgentNotReceived(f.message) &&
    !group.inputs.ignoreApplicationStopFailures
  )
}
const HOOK_SOURCE = `${AGENT} lib/instance_agent/plugins/codedeploy/hook_executor.rb`

function advice(rule: string, cause: string, fix: string): Advice {
  return { rule, cause, fix }
}

/** "scripts/start.sh" from the agent's "Script at specified location: scripts/start.sh …", else the event's script. */
function scriptOf(f: InstanceFailure): string {
  return f.script || /specified location: (\S+)/.exec(f.message)?.[1] || 'the script'
}

/** The `runas` user the agent names ("… run as user deploy failed with exit code 1"). */
function runasOf(f: InstanceFailure): string | undefined {
  return / run as user (\S+) failed/.exec(f.message)?.[1]
}

function exitCodeOf(f: InstanceFailure): number | undefined {
  const m = /failed with exit code (\d+)/.exec(f.message)
  return m ? Number(m[1]) : undefined
}

const silentAgent: InstanceRule = {
  id: 'agent-not-received',
  needs: "CodeDeploy's AGENT_NOT_RECEIVED message on an event",
  source:
    'AWS docs, "Troubleshoot Amazon EC2 Auto Scaling issues" (the one-hour timeout for the agent); aws/aws-codedeploy-agent issue #307',
  doc: {
    see: '`ApplicationStop failed on instance (i-…): UnknownError: CodeDeploy agent was not able to receive the lifecycle event. …` (after an hour; with `agent-silence-timeout` the action warns after 5 minutes)',
    why: 'No CodeDeploy agent picked up the event: it is not installed, not running, or cannot reach CodeDeploy (a new instance whose install at boot failed, a private subnet without a NAT gateway).',
    fix: 'The checks in order: `sudo systemctl status codedeploy-agent`; `/var/log/aws/codedeploy-agent/codedeploy-agent.log`; on a new instance `/var/log/cloud-init-output.log`; outbound HTTPS to CodeDeploy and S3; the instance profile. `on-agent-silence: fail` stops such a deployment instead of waiting an hour.'
  },
  advise({ failure: f, group }) {
    if (!isAgentNotReceived(f.message)) return undefined
    return advice(
      this.id,
      `No CodeDeploy agent picked up ${f.lifecycleEvent || 'the lifecycle event'} on this instance within CodeDeploy's hour.`,
      agentChecksText(group.region, f.label === 'Green')
    )
  }
}

const FILE_EXISTS = /a specified file already exists at this location: (.+?)\.?$/

const fileExists: InstanceRule = {
  id: 'file-exists',
  needs: 'Install failed with the agent\'s "file already exists" message, naming the path',
  source: `${AGENT} lib/instance_agent/plugins/codedeploy/installer.rb (DISALLOW; the cleanup file of the group's previous deployment is removed first); AWS docs, CreateDeployment fileExistsBehavior`,
  doc: {
    see: '`Install failed on instance (i-…): UnknownError: The deployment failed because a specified file already exists at this location: /opt/app/application.jar`',
    why: "With `file-exists-behavior` DISALLOW (CodeDeploy's default), a destination file was not installed by this group's previous deployment (the agent removes those first): it came from another application or group, a hook, a manual copy, or a failed first deployment.",
    fix: 'Set `file-exists-behavior: OVERWRITE` (or `RETAIN` to keep the copy on the instance), or remove the file in a BeforeInstall script.'
  },
  advise({ failure: f, group }) {
    if (f.lifecycleEvent !== 'Install') return undefined
    const path = FILE_EXISTS.exec(f.message.trim())?.[1]
    if (!path) return undefined
    const setting = group.inputs.fileExistsBehavior
      ? `file-exists-behavior is ${group.inputs.fileExistsBehavior}`
      : "file-exists-behavior is CodeDeploy's default, DISALLOW"
    return advice(
      this.id,
      `${path} was already on the instance, and ${setting}. The agent first removes the files this group's previous deployment installed, so this one came from elsewhere: another application or deployment group, a hook script, a manual copy, or a first deployment that failed half-way.`,
      `Set file-exists-behavior: OVERWRITE (or RETAIN to keep the instance's copy), or remove ${path} in a BeforeInstall script.`
    )
  }
}

const outputsLeftOpen: InstanceRule = {
  id: 'outputs-left-open',
  needs: 'the agent\'s "failed to close STDOUT" / "failed to close STDERR" message',
  source: `${HOOK_SOURCE} (OUTPUTS_LEFT_OPEN_CODE: the hook's stdout and stderr are read until the script's timeout)`,
  doc: {
    see: '`ApplicationStart failed on instance (i-…): UnknownError in scripts/start.sh: Script at specified location: scripts/start.sh failed to close STDOUT`',
    why: "The script returned, but a process it started in the background still holds the hook's output: `cmd &` without redirection, `nohup cmd &` (nohup redirects only a terminal), or `cd dir && cmd > /dev/null 2>&1 &` (the `&` sends the whole list to a subshell that keeps the output). The agent waits for it until the timeout.",
    fix: "Redirect the background command's output: `cmd > /dev/null 2>&1 < /dev/null &`, or `cd dir && { cmd > /dev/null 2>&1 < /dev/null & }`; or run the service under systemd. The action warns about such lines before the upload."
  },
  advise({ failure: f, group }) {
    const stream = /failed to close (STDOUT|STDERR)/.exec(f.message)?.[1]
    if (!stream) return undefined
    const lines = (group.bundle?.notes ?? [])
      .filter((n) => n.kind === 'background-output' && n.location === f.script && n.line)
      .map((n) => n.line)
    const warned = lines.length
      ? ` The action warned about ${f.script} line ${lines.join(', ')} before the upload.`
      : ''
    return advice(
      this.id,
      `${scriptOf(f)} returned, but a process it started in the background still held the hook's ${stream}, so the agent waited for it until the script's timeout. Typical lines: \`cmd &\` or \`nohup cmd &\` without a redirection (nohup only redirects a terminal), or \`cd dir && cmd > /dev/null 2>&1 &\`, where the \`&\` sends the whole list to a subshell that keeps the output.${warned}`,
      `Redirect the background command's output and input: \`cmd > /dev/null 2>&1 < /dev/null &\` (in a list: \`cd dir && { cmd > /dev/null 2>&1 < /dev/null & }\`), or run the service under systemd.`
    )
  }
}

/** Lines a long-running service prints once it is up: the hook waited on a service, not a step. */
const SERVICE_STARTED =
  /Started \S+ in [\d.]+ seconds|Tomcat started on port|Netty started on port|Serving HTTP on|Listening on (port )?\d|listening on (port )?\d|Server started|Running on http/

const timedOutOnService: InstanceRule = {
  id: 'timed-out-on-a-service',
  needs:
    "ScriptTimedOut, and either the log tail shows a service that started, or the bundle's script has a background job whose output is not redirected",
  source: `${HOOK_SOURCE} (ScriptTimedOut after the script's timeout; the process group gets TERM)`,
  doc: {
    see: "`ApplicationStart failed on instance (i-…): ScriptTimedOut in scripts/start.sh: Script at specified location: scripts/start.sh failed to complete in 60 seconds`, with the service's start-up lines in the log tail",
    why: 'The hook started the service in the foreground (or in the background with its output still attached), so the script never returned within its `timeout`.',
    fix: 'Start the service in the background with its output redirected: `nohup cmd > /var/log/app.log 2>&1 < /dev/null &`, or through systemd; raise `timeout` in appspec.yml only if the step is just slow.'
  },
  advise({ failure: f, group }) {
    if (f.errorCode !== 'ScriptTimedOut') return undefined
    const script = scriptOf(f)
    const note = group.bundle?.notes.find(
      (n) => n.kind === 'background-output' && n.location === f.script
    )
    const started = SERVICE_STARTED.exec(f.logTail)?.[0]
    if (!note && !started) return undefined
    const evidence = note
      ? `${script} line ${note.line ?? '?'} starts a job in the background whose output still goes to the hook`
      : `the log tail shows a service that started ("${started}")`
    return advice(
      this.id,
      `${script} did not return within its timeout, and ${evidence}: the hook waited on a running service, not on a step that ends.`,
      `Start the service in the background with its output redirected: \`nohup cmd > /var/log/app.log 2>&1 < /dev/null &\`, or run it under systemd (\`systemctl restart my-app\`).`
    )
  }
}

/** "java" from "scripts/start.sh: line 3: java: command not found" (bash) or "…: 3: java: not found" (dash). */
function missingCommand(logTail: string): string | undefined {
  return /(?:^|\n|: )([^\s:]+): (?:command )?not found/.exec(logTail)?.[1]
}

const commandNotFound: InstanceRule = {
  id: 'exit-127',
  needs: 'ScriptFailed with exit code 127',
  source: `${HOOK_SOURCE} ("failed with exit code N"); POSIX shell: 127 is "command not found"`,
  doc: {
    see: '`ScriptFailed in scripts/start.sh: Script at specified location: scripts/start.sh failed with exit code 127`, log tail `java: command not found`',
    why: 'A command the script runs is not on the PATH the agent gives hooks: hooks run without a login shell, so what `~/.bashrc`, `/etc/profile.d`, sdkman or nvm add in an SSH session is not there (nor for the `runas` user).',
    fix: 'Call the command by its full path (`command -v java` in an SSH session shows it), or set PATH at the top of the script; install it in an earlier hook if it is missing.'
  },
  advise({ failure: f }) {
    if (exitCodeOf(f) !== 127) return undefined
    const cmd = missingCommand(f.logTail)
    const what = cmd ? `\`${cmd}\`` : 'a command it runs'
    return advice(
      this.id,
      `${scriptOf(f)} exited with 127: ${what} was not found. Hooks run without a login shell, so the PATH is the agent's${runasOf(f) ? ` (also for runas user ${runasOf(f)})` : ''}, not the one an SSH session builds from ~/.bashrc, /etc/profile.d, sdkman or nvm.`,
      `Call ${cmd ? `${cmd} by its full path (\`command -v ${cmd}\` in an SSH session shows it)` : 'the command by its full path'}, or set PATH at the top of the script; if it is not installed, install it in an earlier hook.`
    )
  }
}

const notExecutable: InstanceRule = {
  id: 'exit-126',
  needs: 'ScriptFailed with exit code 126',
  source: `${HOOK_SOURCE}; POSIX shell: 126 is "found but not executable"`,
  doc: {
    see: '`ScriptFailed … failed with exit code 126`, log tail `Permission denied`',
    why: 'A command the script runs was found but could not be executed: no execute bit, a `noexec` mount (often /tmp), or an interpreter line naming something that is not executable.',
    fix: 'Commit the execute bit (`git update-index --chmod=+x file`) or call the file through its interpreter (`bash file.sh`); keep programs off `noexec` mounts.'
  },
  advise({ failure: f }) {
    if (exitCodeOf(f) !== 126) return undefined
    const file = /([^\s:]+): Permission denied/.exec(f.logTail)?.[1]
    return advice(
      this.id,
      `${scriptOf(f)} exited with 126: ${file ? `${file}` : 'a command it runs'} was found but could not be executed (no execute bit, a noexec mount such as /tmp, or an interpreter line naming something that is not executable).`,
      `Commit the execute bit (\`git update-index --chmod=+x <file>\`) or call it through its interpreter (\`bash <file>\`); keep programs off noexec mounts (\`findmnt -o TARGET,OPTIONS\` shows them).`
    )
  }
}

const crlf: InstanceRule = {
  id: 'crlf',
  needs:
    'a carriage return in the log tail ("bad interpreter", "$\'\\r\': command not found"), or an ENOENT from the agent for a script the action found with CRLF line endings',
  source: `${HOOK_SOURCE} (popen3: the kernel looks for an interpreter named "bash\\r")`,
  doc: {
    see: '`… failed with error Errno::ENOENT with message No such file or directory …`, or `/bin/bash^M: bad interpreter` in the log tail (the action also warns before the upload)',
    why: 'The script has Windows (CRLF) line endings: the interpreter line names `bash\\r`, and every command ends with a carriage return.',
    fix: 'Add `*.sh text eol=lf` to `.gitattributes` and check the files out again, or convert them with `dos2unix`.'
  },
  advise({ failure: f, group }) {
    const inLog = /\r: bad interpreter|\^M: bad interpreter|\$'\\r': command not found/.test(
      f.logTail
    )
    const noted = group.bundle?.notes.some((n) => n.kind === 'crlf' && n.location === f.script)
    const enoent = /Errno::ENOENT/.test(f.message)
    if (!inLog && !(noted && (enoent || exitCodeOf(f) !== undefined))) return undefined
    return advice(
      this.id,
      `${scriptOf(f)} has Windows (CRLF) line endings: its interpreter line names a program ending in a carriage return, which does not exist.`,
      'Add `*.sh text eol=lf` to .gitattributes and check the files out again (or convert them with dos2unix), then deploy again.'
    )
  }
}

const sudoTty: InstanceRule = {
  id: 'sudo-needs-a-terminal',
  needs:
    'sudo\'s "a terminal is required" / "no tty present" / "a password is required" in the log tail',
  source: 'sudo(8) messages; hooks run without a terminal (hook_executor.rb closes stdin)',
  doc: {
    see: 'log tail `sudo: a terminal is required to read the password` or `sudo: no tty present and no askpass program specified`',
    why: 'The script calls sudo as a user that needs a password, and a hook has no terminal to type it.',
    fix: 'Hooks run as root unless `runas` says otherwise: drop sudo. For a `runas` user, allow the exact commands with NOPASSWD in `/etc/sudoers.d/`.'
  },
  advise({ failure: f }) {
    if (
      !/sudo: (a terminal is required|no tty present|a password is required|sorry, you must have a tty)/.test(
        f.logTail
      )
    )
      return undefined
    const user = runasOf(f)
    return advice(
      this.id,
      `${scriptOf(f)} calls sudo${user ? ` as runas user ${user}` : ''}, which asks for a password; a hook has no terminal to type it.`,
      user
        ? `Allow ${user} the exact commands with NOPASSWD in /etc/sudoers.d/, or run this hook as root (hooks run as root without runas).`
        : 'Hooks run as root unless runas says otherwise: drop sudo from the script.'
    )
  }
}

const runasDenied: InstanceRule = {
  id: 'runas-permission-denied',
  needs: 'ScriptFailed "run as user U" and "Permission denied" in the log tail',
  source: `${HOOK_SOURCE} (runas: \`su U -c script\`)`,
  doc: {
    see: '`… run as user deploy failed with exit code 1`, log tail `…: Permission denied`',
    why: 'The hook runs as its `runas` user, who may not read or write a path the script uses (files the agent installed belong to root unless `permissions` says otherwise).',
    fix: "Give the user the files in the appspec's `permissions` section (`owner`, `group`), or have the script write where that user may."
  },
  advise({ failure: f }) {
    const user = runasOf(f)
    const path = /([^\s:]+): Permission denied/.exec(f.logTail)?.[1]
    if (!user || !path) return undefined
    return advice(
      this.id,
      `${scriptOf(f)} runs as ${user} (runas), who may not use ${path}: files the agent installs belong to root unless the appspec's permissions section says otherwise.`,
      `Give ${user} the files it needs in the appspec's permissions section (owner: ${user}), or have the script write where ${user} may; or run the hook as root (no runas).`
    )
  }
}

const downloadDenied: InstanceRule = {
  id: 'download-access-denied',
  needs: 'DownloadBundle failed with S3\'s "Access Denied"',
  source: `${AGENT} lib/instance_agent/plugins/codedeploy/command_executor.rb (download_from_s3 with the instance's credentials); AWS docs, "Create an IAM instance profile for your Amazon EC2 instances"`,
  doc: {
    see: '`DownloadBundle failed on instance (i-…): UnknownError: Access Denied` (or `User: arn:aws:sts::…:assumed-role/<instance role>/i-… is not authorized to perform: s3:GetObject on resource: …`)',
    why: "The instance downloads the revision with its own instance profile, not the workflow's role, and that profile may not read the object (or decrypt it, with `sse: aws:kms`; or the bucket is another account's).",
    fix: "Allow the instance profile `s3:GetObject` and `s3:GetObjectVersion` on the bundle's key; with `sse: aws:kms`, `kms:Decrypt` on the key; for a bucket in another account, a bucket policy for the instance role."
  },
  advise({ failure: f, group }) {
    if (f.lifecycleEvent !== 'DownloadBundle') return undefined
    // S3's words: "Access Denied", or to a principal of the bucket's own account "User: … is not
    // authorized to perform: s3:GetObject on resource: …".
    if (!/Access ?Denied|403 Forbidden|not authorized to perform: s3:GetObject/i.test(f.message))
      return undefined
    const kms = group.inputs.sse === 'aws:kms'
    const where = group.inputs.revision ?? 'the bundle'
    return advice(
      this.id,
      `The instance downloads ${where} with its own instance profile, not the workflow's role, and S3 refused it${kms ? ' (the object is encrypted with aws:kms, so the profile also needs the key)' : ''}.`,
      `Allow the instance profile s3:GetObject and s3:GetObjectVersion on ${where}${kms ? `, and kms:Decrypt on ${group.inputs.sseKmsKeyId ?? "the bucket's KMS key"}` : ''}; if the bucket belongs to another account, its bucket policy must also allow the instance role.`
    )
  }
}

const etagChanged: InstanceRule = {
  id: 'etag-changed',
  needs:
    'DownloadBundle failed with the agent\'s "Expected deployment artifact bundle etag" message',
  source: `${AGENT} lib/instance_agent/plugins/codedeploy/command_executor.rb (the downloaded object's ETag must equal the revision's)`,
  doc: {
    see: '`DownloadBundle failed on instance (i-…): UnknownError: Expected deployment artifact bundle etag … but was actually …`',
    why: 'The S3 object was overwritten after the upload (a `key` without `{bundle_hash}` or `{run_number}`, on an unversioned bucket): the deployment is pinned to the ETag the action uploaded.',
    fix: 'Keep `{bundle_hash}` in `key` (the default has it) and enable versioning on the bucket.'
  },
  advise({ failure: f }) {
    if (!/Expected deployment artifact bundle etag/.test(f.message)) return undefined
    return advice(
      this.id,
      'The S3 object changed after the upload (another run wrote the same key): the deployment is pinned to the ETag this run uploaded.',
      'Keep {bundle_hash} in the key input (the default has it) so runs never share a key, and enable versioning on the bucket.'
    )
  }
}

const badArchive: InstanceRule = {
  id: 'archive-unreadable',
  needs:
    'DownloadBundle failed with the agent\'s "Error extracting … archive", "disk is (or was) full" or a Zip error',
  source: `${AGENT} lib/instance_agent/platform/linux_util.rb (tar/unzip exit status), command_executor.rb unpack_bundle`,
  doc: {
    see: '`DownloadBundle failed on instance (i-…): UnknownError: Error extracting tar archive: 2` (or `The disk is (or was) full during extraction.`)',
    why: 'The agent could not unpack the revision: the disk is full (old revisions pile up under /opt/codedeploy-agent/deployment-root), or the archive is not of the bundle type the deployment names.',
    fix: "Check `df -h /opt/codedeploy-agent` and lower `:max_revisions:` in the agent's config; with `archive:`, make `bundle-type` match the file."
  },
  advise({ failure: f, group }) {
    if (
      !/Error extracting (tar|zip) archive|disk is \(or was\) full|Zip::Error|end of central directory/.test(
        f.message
      )
    )
      return undefined
    const full = /full/.test(f.message)
    const built = group.bundle?.origin === 'built'
    return advice(
      this.id,
      full
        ? 'The instance ran out of disk space while unpacking the revision.'
        : `The agent could not unpack the revision: ${built ? 'the action built and checked this archive, so the likelier cause is the instance (a full disk)' : 'the disk is full, or the archive is not of the bundle type the deployment names'}.`,
      `Free space on the instance (\`df -h /opt/codedeploy-agent\`; old revisions pile up under /opt/codedeploy-agent/deployment-root: lower :max_revisions: in /etc/codedeploy-agent/conf/codedeployagent.yml)${built ? '' : '; with archive:, make bundle-type match the file'}.`
    )
  }
}

const scriptMissing: InstanceRule = {
  id: 'script-missing',
  needs: 'ScriptMissing with the agent\'s "Script does not exist at specified location" message',
  source: `${HOOK_SOURCE} (SCRIPT_MISSING_CODE)`,
  doc: {
    see: '`ScriptMissing in scripts/stop.sh: Script does not exist at specified location: /opt/codedeploy-agent/deployment-root/…/deployment-archive/scripts/stop.sh`',
    why: "The appspec names a script the revision does not have (locations are relative to the bundle's root, and case matters). The action checks this before the upload for bundles it builds, so it comes from an `archive:` or, for ApplicationStop, from the previous revision.",
    fix: "Fix the hook's `location` or add the file; with `archive:`, check the archive's layout."
  },
  advise({ failure: f, group }) {
    if (f.errorCode !== 'ScriptMissing') return undefined
    return advice(
      this.id,
      `The revision has no file at ${scriptOf(f)} (hook locations are relative to the bundle's root, and case matters)${group.bundle?.origin === 'archive' ? ': the action could not check the pre-built archive' : ''}.`,
      `Fix the hook's location in appspec.yml or add ${scriptOf(f)} to the bundle.`
    )
  }
}

const scriptNotExecutable: InstanceRule = {
  id: 'script-not-executable',
  needs: 'ScriptNotExecutable',
  source: `${HOOK_SOURCE} (SCRIPT_EXECUTABILITY_CODE: the agent's own chmod +x failed)`,
  doc: {
    see: '`ScriptNotExecutable in scripts/start.sh: Unable to set script at specified location: scripts/start.sh as executable`',
    why: 'The script is not executable and the agent could not make it so (a read-only or unusual file system under the deployment root).',
    fix: 'Ship the script with its execute bit (the action sets it on bundles it builds; with `archive:`, `chmod +x` before archiving), and check the file system of /opt/codedeploy-agent.'
  },
  advise({ failure: f }) {
    if (f.errorCode !== 'ScriptNotExecutable') return undefined
    return advice(
      this.id,
      `${scriptOf(f)} was not executable and the agent could not make it so.`,
      'Ship the script with its execute bit (the action sets it on bundles it builds; with archive:, chmod +x before archiving) and check that /opt/codedeploy-agent is on a writable file system.'
    )
  }
}

/** Rules about what a script did, which the previous-revision rule wraps for the stop hooks. */
const SCRIPT_RULES: InstanceRule[] = [
  outputsLeftOpen,
  timedOutOnService,
  crlf,
  commandNotFound,
  notExecutable,
  sudoTty,
  runasDenied,
  scriptMissing,
  scriptNotExecutable
]

const previousRevision: InstanceRule = {
  id: 'previous-revision-hook',
  needs:
    'a failed ApplicationStop, BeforeBlockTraffic or AfterBlockTraffic (not a silent agent); names the last successful deployment and revision when GetDeploymentGroup and GetDeployment answered',
  source:
    "AWS docs, \"AppSpec 'hooks' section\" (these hooks run the last successful revision's scripts); agent 1.8.1 hook_executor.rb (last_successful_deployment_dir)",
  doc: {
    see: '`ApplicationStop failed on instance (i-…): ScriptFailed in scripts/stop.sh: …`, in every deployment since one revision shipped a broken stop script',
    why: "ApplicationStop, BeforeBlockTraffic and AfterBlockTraffic run the scripts of the last revision that deployed successfully on the instance, not this commit's: fixing the script in the new commit only helps after one deployment gets past it.",
    fix: 'Deploy once with `ignore-application-stop-failures: true`, with the fixed script in the commit; later deployments then run the fixed one.'
  },
  advise(c) {
    const { failure: f, group } = c
    if (!ranPreviousRevision(f, group)) return undefined
    const inner = SCRIPT_RULES.map((r) => r.advise(c)).find(Boolean)
    const last = group.lastSuccess
    const which = last
      ? `the revision of deployment ${last.deploymentId}, the group's last success${last.revision ? ` (${last.revision})` : ''}`
      : 'the last revision that deployed successfully on the instance'
    return advice(
      this.id,
      `${inner ? `${inner.cause} ` : ''}${f.lifecycleEvent} runs the scripts of ${which}, not this commit's: a fix in this commit takes effect only after one deployment gets past this hook.`,
      `Deploy once with ignore-application-stop-failures: true, with ${scriptOf(f)} fixed in this commit${inner ? ` (${inner.fix.replace(/\.$/, '')})` : ''}; later deployments then run the fixed script.`
    )
  }
}

/** In order: the first rule that matches gives the advice. */
export const INSTANCE_RULES: InstanceRule[] = [
  silentAgent,
  previousRevision,
  fileExists,
  downloadDenied,
  etagChanged,
  badArchive,
  ...SCRIPT_RULES
]

export function adviseInstance(c: InstanceCase): Advice | undefined {
  for (const rule of INSTANCE_RULES) {
    const a = rule.advise(c)
    if (a) return a
  }
  return undefined
}
