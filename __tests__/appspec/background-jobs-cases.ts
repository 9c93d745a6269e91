// Hook script bodies and whether a background job in them keeps the hook's stdout or stderr open
// after the script ends, under bash 5.2 and dash 0.5.12. background-jobs.shells.test.ts runs each
// under both shells with real pipes and checks the verdicts; background-jobs.test.ts checks the
// action's reading against them. `java`, `python3` and `node` stand for a long-lived program
// (the shells test puts one of its own by those names first on PATH); `app/` and `logs/` are
// folders beside the script.

import type { Stream } from '../../src/appspec/background-jobs.js'

/**
 * open: a process the script left keeps a hook pipe open (the agent fails the event);
 * closed: both pipes close when the script ends;
 * runs: the script itself does not end (a timeout, not this warning).
 */
export type Verdict = 'open' | 'closed' | 'runs'

export interface JobCase {
  /** What the case shows. */
  why: string
  /** The script after its '#!' line. */
  script: string
  bash: Verdict
  dash: Verdict
  /**
   * Where the action's reading knowingly differs from the shells (a missed warning, or a warning
   * where the pipes close): what it says instead, and why.
   */
  reading?: { bash?: Verdict; dash?: Verdict; because: string }
  /** The line of the warning, when it is not line 1. */
  line?: number
  /** The hook pipes left open, when not both. */
  streams?: Stream[]
  /** Only this shell reads the script (bash syntax dash rejects). */
  only?: 'bash'
}

const both = (v: Verdict) => ({ bash: v, dash: v })

export const JOB_CASES: JobCase[] = [
  // Left open
  { why: 'the classic: a plain background job', script: 'java -jar app.jar &', ...both('open') },
  {
    why: 'nohup redirects only output that goes to a terminal; the agent gives it pipes',
    script: 'nohup java -jar app.jar &',
    ...both('open')
  },
  {
    why: "the `&` backgrounds the whole list: bash's subshell for it keeps the pipes although the command is redirected; dash runs the last command in its place",
    script: 'cd app && nohup python3 -m http.server 8080 >/dev/null 2>&1 </dev/null &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'the same list with a plain command',
    script: 'cd app && java -jar app.jar >/dev/null 2>&1 &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'a list whose last command is not redirected holds on both',
    script: 'cd app && java -jar app.jar &',
    ...both('open')
  },
  {
    why: 'a || list is backgrounded whole as well',
    script: 'test -f app.pid || java -jar app.jar >/dev/null 2>&1 &',
    bash: 'open',
    dash: 'closed'
  },
  { why: 'a subshell without redirection', script: '(java -jar app.jar) &', ...both('open') },
  { why: 'a brace group without redirection', script: '{ java -jar app.jar; } &', ...both('open') },
  {
    why: "bash's subshell for a backgrounded group waits for the redirected command",
    script: '{ java -jar app.jar >/dev/null 2>&1; } &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'a subshell of two commands is a waiting bash subshell too',
    script: '(cd app && java -jar app.jar >/dev/null 2>&1) &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'an if backgrounded whole: bash waits in a subshell, dash runs the branch in place',
    script: 'if true; then java -jar app.jar >/dev/null 2>&1; fi &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'a backgrounded loop is a waiting subshell in both shells',
    script: 'while true; do java -jar app.jar >/dev/null 2>&1; done &',
    ...both('open')
  },
  {
    why: 'stdout to a file leaves stderr on the hook',
    script: 'java -jar app.jar > logs/app.log &',
    ...both('open'),
    streams: ['stderr']
  },
  {
    why: '2>&1 alone points stderr at stdout, which is the hook pipe',
    script: 'java -jar app.jar 2>&1 &',
    ...both('open'),
    streams: ['stdout']
  },
  {
    why: 'stderr away leaves stdout',
    script: 'java -jar app.jar 2>/dev/null &',
    ...both('open'),
    streams: ['stdout']
  },
  {
    why: 'order matters: 2>&1 before >/dev/null copies the hook pipe into stderr',
    script: 'java -jar app.jar 2>&1 >/dev/null &',
    ...both('open'),
    streams: ['stdout']
  },
  {
    why: 'a redirection before the command name counts, here only stdout',
    script: '>/dev/null java -jar app.jar &',
    ...both('open'),
    streams: ['stderr']
  },
  {
    why: 'dash reads `&>` as `&` then `>`: the command goes to the background unredirected; bash redirects both',
    script: 'java -jar app.jar &> /dev/null &',
    bash: 'closed',
    dash: 'open'
  },
  {
    why: '/dev/stdout opens the hook pipe again',
    script: 'java -jar app.jar >/dev/stdout 2>&1 &',
    ...both('open'),
    streams: ['stdout']
  },
  {
    why: 'the last command of a pipeline writes to the hook; every command has its stderr',
    script: 'java -jar app.jar 2>&1 | tee -a logs/app.log &',
    ...both('open')
  },
  {
    why: 'exec redirecting stdout only leaves stderr',
    script: 'exec >/dev/null\njava -jar app.jar &',
    ...both('open'),
    line: 2,
    streams: ['stderr']
  },
  {
    why: 'a descriptor saved with exec 3>&1 is inherited and holds stdout',
    script: 'exec 3>&1 >/dev/null 2>&1\njava -jar app.jar &',
    ...both('open'),
    line: 2,
    streams: ['stdout']
  },
  {
    why: 'a job started inside a function called plainly',
    script: 'start() {\n  nohup java -jar app.jar &\n}\nstart',
    ...both('open'),
    line: 2
  },
  {
    why: "dash keeps the caller's descriptors in the subshell that runs a backgrounded function; bash applies the call's redirections first",
    script: 'run() { java -jar app.jar; }\nrun >/dev/null 2>&1 &',
    bash: 'closed',
    dash: 'open',
    line: 2
  },
  {
    why: "bash's `time` keeps stderr to report when the job ends (dash runs /usr/bin/time, redirected)",
    script: 'time java -jar app.jar >/dev/null 2>&1 &',
    bash: 'open',
    dash: 'closed'
  },
  {
    why: 'dash runs `!` in a subshell that waits for the command',
    script: '! java -jar app.jar >/dev/null 2>&1 &',
    bash: 'closed',
    dash: 'open'
  },
  {
    why: 'a job after other commands and before a comment, on its own line',
    script: 'set -e\ncd app\n\nnode server.js & # the web app\necho started',
    ...both('open'),
    line: 4
  },
  {
    why: 'a command continued over lines is reported on its first',
    script: 'echo starting\njava \\\n  -jar app.jar \\\n  &',
    ...both('open'),
    line: 2
  },
  { why: 'after a `;` on the same line', script: 'echo a; java -jar app.jar &', ...both('open') },
  {
    why: 'setsid gives a new session, not new descriptors',
    script: 'setsid java -jar app.jar &',
    ...both('open')
  },
  {
    why: 'a job in a case branch runs in the script shell',
    script: 'case start in\n  start) java -jar app.jar & ;;\nesac',
    ...both('open'),
    line: 2
  },
  {
    why: 'a job in an if branch',
    script: 'if [ -d app ]; then\n  java -jar app.jar &\nfi',
    ...both('open'),
    line: 2
  },
  {
    why: 'kill -0 only checks that the job runs',
    script: 'java -jar app.jar &\nsleep 0.1\nkill -0 $!',
    ...both('open')
  },
  {
    why: 'exec into a process substitution: tee keeps the hook pipe while the job writes to it',
    script: 'exec > >(tee -a logs/deploy.log) 2>&1\njava -jar app.jar &',
    bash: 'open',
    dash: 'open',
    only: 'bash',
    line: 2
  },

  // Closed
  {
    why: 'both outputs to /dev/null',
    script: 'java -jar app.jar > /dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'both outputs to a log file, stdin from /dev/null',
    script: 'java -jar app.jar >logs/app.log 2>&1 < /dev/null &',
    ...both('closed')
  },
  {
    why: 'nohup with its output redirected',
    script: 'nohup java -jar app.jar > logs/out 2>&1 &',
    ...both('closed')
  },
  {
    why: 'setsid with its output redirected',
    script: 'setsid java -jar app.jar >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'exec earlier redirects the whole script',
    script: 'exec > logs/deploy.log 2>&1\njava -jar app.jar &',
    ...both('closed')
  },
  {
    why: 'exec in a function that is called plainly redirects the script too',
    script: 'log_to_file() { exec >>logs/deploy.log 2>&1; }\nlog_to_file\njava -jar app.jar &',
    ...both('closed')
  },
  {
    why: 'disown does not change descriptors; the redirection does the work',
    script: 'java -jar app.jar >/dev/null 2>&1 & disown',
    ...both('closed')
  },
  {
    why: 'the fix with braces: only the command goes to the background',
    script: 'cd app && { java -jar app.jar >/dev/null 2>&1 & }',
    ...both('closed')
  },
  {
    why: 'the fix with a subshell redirected as a whole',
    script: '(cd app && java -jar app.jar) >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'a subshell of one command: bash runs the command in its place',
    script: '(java -jar app.jar >/dev/null 2>&1) &',
    ...both('closed')
  },
  {
    why: 'a group redirected as a whole',
    script: '{ java -jar app.jar; } >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'a function call in a redirected group',
    script: 'run() { java -jar app.jar; }\n{ run; } >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'a function whose job is redirected where it is called',
    script: 'start() {\n  java -jar app.jar &\n}\nstart >logs/start.log 2>&1',
    ...both('closed')
  },
  {
    why: 'redirections anywhere in the command, with descriptor numbers',
    script: '>/dev/null java -jar app.jar 2>&1 &',
    ...both('closed')
  },
  {
    why: '1> and 2>> to files',
    script: 'java -jar app.jar 1>logs/out.log 2>>logs/err.log &',
    ...both('closed')
  },
  { why: '>| to a file', script: 'java -jar app.jar >|logs/out.log 2>&1 &', ...both('closed') },
  {
    why: 'closing both outputs',
    script: 'java -jar app.jar >&- 2>&- &',
    ...both('closed')
  },
  {
    why: 'a saved descriptor closed for the job',
    script: 'exec 3>&1 >/dev/null 2>&1\njava -jar app.jar >/dev/null 2>&1 3>&- &',
    ...both('closed')
  },
  {
    why: 'a redirected pipeline',
    script: 'java -jar app.jar 2>&1 | tee -a logs/app.log >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'exec of the command in the list replaces the subshell',
    script: 'cd app && exec java -jar app.jar >/dev/null 2>&1 &',
    ...both('closed')
  },
  {
    why: 'systemd starts the service: no job of the script',
    script: 'systemctl start app',
    ...both('closed')
  },
  {
    why: '&& and || without &',
    script: 'true && echo ok || echo no; echo a',
    ...both('closed')
  },
  {
    why: '& inside quotes, $-quotes and escaped',
    script: "echo \"a & b\" 'c & d' $'e & f' g\\&h",
    ...both('closed')
  },
  { why: 'a commented-out job', script: '# java -jar app.jar &\necho ok', ...both('closed') },
  {
    why: 'a job in a here-document is text',
    script: 'cat <<EOF >/dev/null\njava -jar app.jar &\nEOF',
    ...both('closed')
  },
  {
    why: 'case with ;;',
    script: 'case x in\n  x) echo x ;;\n  *) echo y ;;\nesac',
    ...both('closed')
  },
  { why: '&& in [[ ]]', script: '[[ -d app && -d logs ]] && echo ok', ...both('closed') },
  { why: '& in arithmetic', script: 'echo $(( 6 & 3 ))', ...both('closed') },
  { why: '>&2 and 2>&1 are not jobs', script: 'echo failed >&2; echo ok 2>&1', ...both('closed') },
  {
    why: 'a redirected job inside a command substitution',
    script: 'pid=$(java -jar app.jar >/dev/null 2>&1 & echo $!)\necho "$pid" > app.pid',
    ...both('closed')
  },
  {
    why: 'a redirected job inside backticks',
    script: 'pid=`java -jar app.jar >/dev/null 2>&1 & echo $!`\necho "$pid" > app.pid',
    ...both('closed')
  },
  {
    why: "a job left on a command substitution's pipe: the script waits on it (a timeout)",
    script: 'started=$(java -jar app.jar &)\necho "$started"',
    ...both('runs')
  },
  {
    why: 'a job in a here-document indented with tabs (<<-) is text',
    script: 'cat <<-EOF >/dev/null\n\tjava -jar app.jar &\n\tEOF\necho ok',
    ...both('closed')
  },
  {
    why: 'a short builtin in the background',
    script: 'echo started &',
    ...both('closed')
  },
  {
    why: 'the job is stopped before the script ends',
    script: 'java -jar app.jar &\nkill $!',
    ...both('closed')
  },
  {
    why: 'the script waits for its jobs: a timeout if they run on, not this warning',
    script: 'java -jar app.jar &\nwait',
    ...both('runs')
  },
  {
    why: 'an exec that may have run (here it did) is taken to have redirected the script',
    script: 'if [ -d logs ]; then\n  exec >logs/deploy.log 2>&1\nfi\njava -jar app.jar &',
    ...both('closed')
  },

  // Where the reading knowingly errs, toward silence but for one
  {
    why: 'an exec that did not run',
    script: 'if [ -d missing ]; then\n  exec >logs/deploy.log 2>&1\nfi\njava -jar app.jar &',
    ...both('open'),
    line: 4,
    reading: { ...both('closed'), because: 'an exec in a branch is taken to have run' }
  },
  {
    why: 'a kill of another process',
    script: 'java -jar app.jar &\nkill $OLD_PID 2>/dev/null',
    ...both('open'),
    reading: { ...both('closed'), because: 'any later kill is taken to stop the job' }
  },
  {
    why: "a long command before the group's last one",
    script: '{ java -jar app.jar >/dev/null 2>&1; echo done >/dev/null; } &',
    ...both('open'),
    reading: {
      dash: 'closed',
      because: "commands before a group's or list's last one are taken to end at once"
    }
  },
  {
    why: 'a job started by eval',
    script: "eval 'java -jar app.jar &'",
    ...both('open'),
    reading: { ...both('closed'), because: 'text run by eval or sh -c is not read' }
  },
  {
    why: 'a short-lived program in the background',
    script: 'sleep 0.1 &',
    ...both('closed'),
    reading: { ...both('open'), because: 'a program is taken to run on, builtins aside' }
  }
]
