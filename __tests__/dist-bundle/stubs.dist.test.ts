// dist/ bundles a stub in place of undici (scripts/build-dist.mjs): @actions/core's OIDC client
// imports @actions/http-client, which imports undici's ProxyAgent (a proxy dispatcher), and
// @actions/github's Octokit imports its fetch, which the stub hands to Node's own. These checks
// fail if undici comes back into the bundle, or if the packages we bundle start importing more of
// it than the stub stands in for.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO } from '../e2e/harness.js'

const DIST = path.join(REPO, 'dist')
const chunks = readdirSync(DIST)
  .filter((f) => f.endsWith('.js') && !f.endsWith('-stub.js'))
  .map((f) => readFileSync(path.join(DIST, f), 'utf8'))

describe('the undici stub in dist/', () => {
  it('undici itself is not bundled', () => {
    for (const code of chunks) expect(code).not.toMatch(/node_modules\/undici\//)
  })

  it('the bundle imports the stub once', () => {
    expect(chunks.join('\n').match(/from "\.\/undici-stub\.js"/g)).toHaveLength(1)
  })

  it('what the bundled packages import from undici is only what the stub stands in for', () => {
    // @actions/http-client's one use (both copies: @actions/github has its own 3.x):
    // `new ProxyAgent(...)`, a fetch dispatcher behind a proxy; @actions/github's: `fetch`.
    const imports: string[] = []
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory() && e.name !== 'undici') walk(p)
        else if (e.name.endsWith('.js'))
          for (const m of readFileSync(p, 'utf8').matchAll(
            /import\s*(\{[^}]*\}|\*\s*as\s*\w+|\w+)\s*from\s*['"]undici['"]|require\(['"]undici['"]\)/g
          ))
            imports.push(`${path.relative(REPO, p)}: ${m[0]}`)
      }
    }
    walk(path.join(REPO, 'node_modules', '@actions'))
    expect(imports.sort()).toEqual([
      "node_modules/@actions/github/lib/internal/utils.js: import { fetch } from 'undici'",
      'node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js: require("undici")',
      "node_modules/@actions/http-client/lib/index.js: import { ProxyAgent } from 'undici'"
    ])
  })

  it('the stub can be constructed (as @actions/github does at import behind a proxy) and says what is wrong if ever used', async () => {
    const { ProxyAgent } = (await import(path.join(DIST, 'undici-stub.js'))) as {
      ProxyAgent: new () => { dispatch(): unknown }
    }
    const agent = new ProxyAgent()
    expect(() => agent.dispatch()).toThrow(/undici is not bundled: .*the action's own fetch/)
  })

  it("the stub's fetch is Node's own", async () => {
    const { fetch } = (await import(path.join(DIST, 'undici-stub.js'))) as {
      fetch: typeof globalThis.fetch
    }
    const seen: unknown[] = []
    const real = globalThis.fetch
    globalThis.fetch = ((...args: unknown[]) => {
      seen.push(args[0])
      return Promise.resolve(new Response('ok'))
    }) as typeof globalThis.fetch
    try {
      expect(await (await fetch('http://127.0.0.1:9/x')).text()).toBe('ok')
      expect(seen).toEqual(['http://127.0.0.1:9/x'])
    } finally {
      globalThis.fetch = real
    }
  })
})

describe('the debug stub in dist/', () => {
  it('debug is not bundled: the proxy agents would print the proxy URL, credentials included, with DEBUG set', () => {
    for (const code of chunks) expect(code).not.toMatch(/node_modules\/debug\//)
    expect(chunks.join('\n')).toMatch(/from "\.\/debug-stub\.js"/)
  })

  it('its loggers are disabled and print nothing', async () => {
    const { default: createDebug } = (await import(path.join(DIST, 'debug-stub.js'))) as {
      default: (ns: string) => ((...args: unknown[]) => unknown) & { enabled: boolean }
    }
    const log = createDebug('https-proxy-agent')
    expect(log.enabled).toBe(false)
    expect(
      log('Creating new HttpsProxyAgent instance: %o', 'http://user:secret@proxy:3128')
    ).toBeUndefined()
  })
})
