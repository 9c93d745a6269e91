# Records what Psych (the agent's YAML reader) loads each plain scalar as. Reads a JSON array of
# scalar texts on stdin; writes a JSON array of records on stdout, one per text that YAML reads
# as one plain scalar (`v: <text>`): its Ruby class and value, or the exception YAML.load raises.
require 'json'
require 'yaml'

forms = JSON.parse($stdin.read)
records = forms.map do |text|
  doc = "v: #{text}\n"
  node = begin
    Psych.parse(doc).root.children[1]
  rescue Psych::SyntaxError
    nil
  end
  unless node.is_a?(Psych::Nodes::Scalar) && node.plain && node.value == text
    abort "not one plain scalar in YAML: #{text.inspect} (take it out of forms.ts)"
  end

  begin
    value = YAML.load(doc)['v']
    record = { 'text' => text, 'class' => value.class.name }
    # The value in JSON's terms: texts as they are, numbers as Ruby prints them.
    case value
    when String, Symbol, Integer then record['value'] = value.to_s
    when Float then record['value'] = value.inspect
    end
    record
  rescue StandardError, Psych::Exception => e
    { 'text' => text, 'error' => e.class.name, 'message' => e.message }
  end
end
puts JSON.pretty_generate(
  'recordedWith' => "ruby #{RUBY_VERSION}, psych #{Psych::VERSION}",
  'records' => records
)
