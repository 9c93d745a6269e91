// A web service revision for load-balanced fleets: a Python HTTP server on port 8080 answering
// its version on / and `health` (200 unless told otherwise) on /health, started by
// ApplicationStart, stopped by ApplicationStop (its pid outside the install folder).
import type { Tree } from './bed.js'

const SERVER = `import http.server, os
here = os.path.dirname(os.path.abspath(__file__))
version = open(os.path.join(here, 'VERSION')).read().strip()
health = int(open(os.path.join(here, 'HEALTH')).read().strip())
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = health if self.path == '/health' else 200
        body = (version + '\\n').encode()
        self.send_response(code)
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer.allow_reuse_address = True
http.server.ThreadingHTTPServer(('0.0.0.0', 8080), Handler).serve_forever()
`

const START = `#!/bin/sh
cd /opt/web
setsid /usr/bin/python3 server.py </dev/null >/dev/null 2>&1 &
echo $! > /tmp/web.pid
for i in $(seq 1 100); do
  curl -s -o /dev/null http://127.0.0.1:8080/ && exit 0
  sleep 0.05
done
echo "the server did not start" >&2
exit 1
`

const STOP = `#!/bin/sh
[ -f /tmp/web.pid ] || exit 0
pid=$(cat /tmp/web.pid)
kill "$pid" 2>/dev/null || true
for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
rm -f /tmp/web.pid
`

/** The revision's files: `version` served on /, `health` the status of /health. */
export function webApp(version: string, health = 200, extraHooks = ''): Tree {
  return {
    'appspec.yml': `version: 0.0
os: linux
files:
  - source: /app
    destination: /opt/web
hooks:
  ApplicationStop:
    - location: stop.sh
      timeout: 20
  ApplicationStart:
    - location: start.sh
      timeout: 20
${extraHooks}`,
    'app/server.py': SERVER,
    'app/VERSION': `${version}\n`,
    'app/HEALTH': `${health}\n`,
    'start.sh': START,
    'stop.sh': STOP
  }
}
