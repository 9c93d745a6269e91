// A web service revision for load-balanced fleets: a small Python server on port 8080 answering
// its version on / and `health` (200 unless told otherwise) on /health, started by
// ApplicationStart, stopped by ApplicationStop (its pid outside the install folder).
import type { Tree } from '../support/fixtures.js'

// A bare socket server (no http.server import: a hundred of them start at once in the scale
// test), one request per connection, as the load balancer and its health checks send them.
const SERVER = `import os, socket
here = os.path.dirname(os.path.abspath(__file__))
version = open(os.path.join(here, 'VERSION')).read().strip()
health = int(open(os.path.join(here, 'HEALTH')).read().strip())
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 8080))
s.listen(64)
while True:
    c, _ = s.accept()
    try:
        c.settimeout(5)
        data = b''
        while b'\\r\\n\\r\\n' not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        path = data.split(b' ')[1].decode() if data.count(b' ') > 1 else '/'
        code = health if path == '/health' else 200
        body = (version + '\\n').encode()
        c.sendall(b'HTTP/1.1 %d X\\r\\ncontent-type: text/plain\\r\\ncontent-length: %d\\r\\nconnection: close\\r\\n\\r\\n' % (code, len(body)) + body)
    except OSError:
        pass
    finally:
        c.close()
`

// Forks the server (one interpreter start, not two) and waits until it accepts connections.
const START = `#!/usr/bin/python3 -IS
import os, socket, sys, time
os.chdir('/opt/web')
pid = os.fork()
if pid == 0:
    os.setsid()
    fd = os.open('/dev/null', os.O_RDWR)
    for n in (0, 1, 2):
        os.dup2(fd, n)
    code = compile(open('server.py').read(), '/opt/web/server.py', 'exec')
    exec(code, {'__file__': '/opt/web/server.py', '__name__': '__main__'})
    sys.exit(0)
open('/tmp/web.pid', 'w').write(str(pid))
for _ in range(200):
    try:
        socket.create_connection(('127.0.0.1', 8080), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
print('the server did not start', file=sys.stderr)
sys.exit(1)
`

const STOP = `#!/bin/sh
[ -f /tmp/web.pid ] || exit 0
read -r pid < /tmp/web.pid
kill "$pid" 2>/dev/null || true
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
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
    - location: start.py
      timeout: 20
${extraHooks}`,
    'app/server.py': SERVER,
    'app/VERSION': `${version}\n`,
    'app/HEALTH': `${health}\n`,
    'start.py': START,
    'stop.sh': STOP
  }
}
