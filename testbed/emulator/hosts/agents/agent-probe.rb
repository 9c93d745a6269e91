# Loaded into the real CodeDeploy agent's local mode (codedeploy-local) with RUBYOPT=-r by the test
# bed's `agent: real` instances (real.ts). It changes nothing the agent does; it reports, as
# one JSON line on stderr each, every lifecycle command the agent's CommandExecutor runs and the
# exception it fails with. The runner's own output cannot tell this: its log is configured at INFO
# (no per-event lines), and codedeploy-local swallows a ScriptError without printing its message.
require 'json'

# Hooks inherit the agent's environment: they must not load this file too.
ENV.delete('RUBYOPT')

module TestbedAgentProbe
  MARK = 'testbed-agent-event '

  def self.emit(fields)
    $stderr.puts(MARK + fields.to_json) # $stderr is unbuffered: each line arrives as it happens
  end

  # Script output is whatever bytes the hook printed; JSON needs valid UTF-8.
  def self.text(value)
    value.to_s.dup.force_encoding('UTF-8').scrub
  end

  module Executor
    def execute_command(command, deployment_specification)
      name = command.command_name
      TestbedAgentProbe.emit('event' => name, 'phase' => 'start')
      result = super
      # A hook command returns its ScriptLog entries (what the agent reports as the log tail).
      TestbedAgentProbe.emit('event' => name, 'phase' => 'end',
                             'log' => TestbedAgentProbe.text(Array(result).join))
      result
    rescue Exception => e
      fields = { 'event' => name, 'phase' => 'error', 'class' => e.class.name,
                 'message' => TestbedAgentProbe.text(e.message) }
      # The agent's ScriptError (not Ruby's ::ScriptError) carries its code, script and log.
      if e.respond_to?(:error_code)
        fields['errorCode'] = e.error_code
        fields['scriptName'] = TestbedAgentProbe.text(e.script_name)
        fields['log'] = TestbedAgentProbe.text(Array(e.log && e.log.log).join)
      end
      TestbedAgentProbe.emit(fields)
      raise
    end
  end
end

# RUBYOPT's -r runs after the runner's own -r (register_plugin), which has loaded the executor.
executor = InstanceAgent::Plugins::CodeDeployPlugin::CommandExecutor
executor.prepend(TestbedAgentProbe::Executor)
