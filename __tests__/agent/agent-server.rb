# Runs the real CodeDeploy agent's local mode (codedeploy-local) many times from one Ruby process
# that has loaded the agent once: each run is a fork that executes the agent's own bin script
# unchanged. Loading the agent and its gems is ~1.2 CPU-s of every codedeploy-local run on this
# machine, and the conformance suites deploy some 150 bundles (real-agent.ts).
#
#   RUBYLIB=<as the installer's runner sets it> ruby -W0 agent-server.rb AGENT_HOME PROBE
#
# Requests on stdin, one JSON object per line:
#   {"id": 1, "args": [...codedeploy-local's arguments], "cwd": DIR, "root": DEPLOYMENT_ROOT,
#    "out": FILE, "nice": 5, "timeoutMs": 60000}
# Answers on stdout when a run ends (or is killed at its timeout): {"id": 1}. The run's stdout and
# stderr go to FILE: the probe's lines there say what it did. What the runner script does around
# Ruby (the agent configuration with the deployment root in it) is done here the same way, per run.
require 'json'
require 'fileutils'
require 'tempfile'

home, probe = ARGV
abort 'usage: agent-server.rb AGENT_HOME PROBE' unless home && probe
bin = File.join(home, 'bin', 'codedeploy-local')
template = File.read(File.join(home, 'agent.yml'))

# What `ruby -r instance_agent/plugins/codedeploy/register_plugin bin/codedeploy-local` loads
# before the first deployment, then the probe (RUBYOPT=-r in the runner).
require 'instance_agent/plugins/codedeploy/register_plugin'
Gem.use_paths(nil, Gem.path << File.join(home, 'vendor'))
require 'docopt'
require 'aws/codedeploy/local/deployer'
require 'instance_agent'
require 'instance_agent/config'
require probe

$stdout.sync = true

# One thread, asleep in select between events: a parent that runs (threads, garbage collection)
# while its children run makes them all copy the pages they share, each fault an IPI on this VM.
def start(req, bin, template)
  root = req.fetch('root')
  FileUtils.mkdir_p(root)
  File.chmod(0o755, root)
  conf = Tempfile.new(['agent', '.yml'])
  conf.write(template.gsub('@ROOT@', root))
  conf.close
  pid = fork do
    Process.setpriority(Process::PRIO_PROCESS, 0, req.fetch('nice', 0))
    Dir.chdir(req.fetch('cwd'))
    $stdin.reopen(File::NULL) # the requests are not the agent's to read
    out = File.open(req.fetch('out'), 'w')
    out.sync = true
    $stdout.reopen(out)
    $stderr.reopen(out)
    ARGV.replace(['-c', conf.path, *req.fetch('args')])
    status = 0
    begin
      load bin
    rescue SystemExit => e
      status = e.status
    rescue Exception => e # rubocop:disable Lint/RescueException: what Ruby prints and exits with
      $stderr.write(e.full_message(highlight: false))
      status = 1
    end
    # Not exit: at exit Ruby walks the whole heap for finalizers, and in a fork every page it
    # touches is copied (~0.3 CPU-s a run here). The agent's files are closed by then.
    exit!(status)
  end
  deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + req.fetch('timeoutMs', 60_000) / 1000.0
  { id: req['id'], conf: conf, deadline: deadline, killed: false, pid: pid }
end

runs = {}
open = true
while open || !runs.empty?
  if open && IO.select([$stdin], nil, nil, 0.02)
    line = $stdin.gets
    if line.nil?
      open = false
    else
      run = start(JSON.parse(line), bin, template)
      runs[run[:pid]] = run
    end
  elsif !open
    sleep 0.02
  end
  while !runs.empty? && (done = Process.wait2(-1, Process::WNOHANG))
    run = runs.delete(done.first) or next
    run[:conf].unlink
    $stdout.puts({ 'id' => run[:id] }.to_json)
  end
  now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  runs.each_value do |r|
    next if r[:killed] || now < r[:deadline]
    r[:killed] = true
    Process.kill('KILL', r[:pid])
  end
end
# The agent's libraries may have threads of their own: leave without waiting for them.
exit!(0)
