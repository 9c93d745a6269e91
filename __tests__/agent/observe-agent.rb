# Loaded into the real agent's local mode (RUBYOPT=-r<this file>) by the conformance suite. It
# changes nothing the agent does: it notes which lifecycle event each command runs and the
# exception that ends the deployment, and prints them as one JSON line on stderr at exit, because
# codedeploy-local itself swallows a failed script's message.
require 'json'
require 'instance_agent/plugins/codedeploy/register_plugin'
require 'instance_agent/plugins/codedeploy/command_executor'

module ConformanceObserver
  @events = []
  @failure = nil
  class << self
    attr_accessor :events, :failure
  end

  def execute_command(command, deployment_specification)
    ConformanceObserver.events << command.command_name
    super
  rescue Exception => e
    ConformanceObserver.failure ||= {
      'event' => command.command_name,
      'class' => e.class.name,
      'message' => e.message,
      'errorCode' => e.respond_to?(:error_code) ? e.error_code : nil,
      'scriptName' => e.respond_to?(:script_name) ? e.script_name : nil
    }
    raise
  end
end

InstanceAgent::Plugins::CodeDeployPlugin::CommandExecutor.prepend(ConformanceObserver)

at_exit do
  $stderr.puts('CONFORMANCE-OUTCOME ' + JSON.generate(
    'events' => ConformanceObserver.events,
    'failure' => ConformanceObserver.failure
  ))
end
