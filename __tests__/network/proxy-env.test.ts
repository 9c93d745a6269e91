import { describe, expect, test } from '@jest/globals'
import { proxyFor, proxySecrets, readProxyEnv, showProxy } from '../../src/network/proxy-env.js'
import { describeNetwork } from '../../src/network/network.js'

const via = (url: string, env: NodeJS.ProcessEnv): string | undefined =>
  proxyFor(new URL(url), readProxyEnv(env))?.shown

describe('which proxy a URL goes through', () => {
  test('https URLs take https_proxy, http URLs http_proxy; nothing set means direct', () => {
    const env = { HTTPS_PROXY: 'http://tls-proxy:3128', HTTP_PROXY: 'http://plain-proxy:8080' }
    expect(via('https://s3.us-east-1.amazonaws.com/b/k', env)).toBe('http://tls-proxy:3128')
    expect(via('http://minio.corp:9000/', env)).toBe('http://plain-proxy:8080')
    expect(via('https://codedeploy.eu-west-1.amazonaws.com', {})).toBeUndefined()
    expect(via('http://x.corp', { HTTPS_PROXY: 'http://p:1' })).toBeUndefined()
  })

  test('lower case wins over upper case, as in the runner and curl; blank counts as unset', () => {
    expect(
      via('https://a.example', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })
    ).toBe('http://lower:1')
    expect(via('https://a.example', { https_proxy: ' ', HTTPS_PROXY: 'http://upper:2' })).toBe(
      'http://upper:2'
    )
    const env = { HTTPS_PROXY: 'http://p:1', no_proxy: 'a.example', NO_PROXY: 'b.example' }
    expect(via('https://a.example', env)).toBeUndefined()
    expect(via('https://b.example', env)).toBe('http://p:1')
  })

  test('a proxy without a scheme is an http proxy (curl)', () => {
    expect(via('https://a.example', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe(
      'http://proxy.corp:3128'
    )
  })

  test.each([
    ['*', 'https://anything.example', true],
    ['amazonaws.com', 'https://s3.us-east-1.amazonaws.com', true],
    ['amazonaws.com', 'https://amazonaws.com', true],
    ['.amazonaws.com', 'https://s3.us-east-1.amazonaws.com', true],
    ['*.amazonaws.com', 'https://codedeploy.us-east-1.amazonaws.com', true],
    ['amazonaws.com', 'https://notamazonaws.com', false],
    ['s3.amazonaws.com', 'https://codedeploy.amazonaws.com', false],
    ['minio.corp:9000', 'http://minio.corp:9000', true],
    ['minio.corp:9000', 'http://minio.corp:9001', false],
    ['github.corp:443', 'https://github.corp', true],
    ['10.0.0.0/8', 'https://10.1.2.3', true],
    ['10.0.0.0/8', 'https://11.1.2.3', false],
    ['192.168.1.5', 'http://192.168.1.5:8080', true],
    ['[fd00::1]:443', 'https://[fd00::1]', true],
    ['fd00::/8', 'https://[fd12::9]', true],
    ['  a.example , b.example  c.example', 'https://c.example', true],
    ['A.EXAMPLE', 'https://www.a.example', true],
    ['a.example', 'https://a.example.', true]
  ])('no_proxy %j and %s: direct = %s', (noProxy, url, direct) => {
    const env = { https_proxy: 'http://p:1', http_proxy: 'http://p:1', no_proxy: noProxy }
    expect(via(url, env) === undefined).toBe(direct)
  })

  test('loopback always goes direct: a proxy cannot reach the runner itself', () => {
    const env = { https_proxy: 'http://p:1', http_proxy: 'http://p:1' }
    for (const url of [
      'http://127.0.0.1:7480',
      'http://127.9.9.9',
      'http://localhost:9000',
      'https://[::1]:443',
      'http://bed.localhost'
    ])
      expect(via(url, env)).toBeUndefined()
  })
})

describe('proxy credentials are never shown', () => {
  test('user and password become ***, in the shown URL and in the description', () => {
    const env = {
      HTTPS_PROXY: 'http://alice:s3cr%40t@proxy.corp:3128',
      http_proxy: 'http://tokenonly@proxy.corp:8080',
      NO_PROXY: '.corp'
    }
    const proxies = readProxyEnv(env)
    expect(proxies.https?.shown).toBe('http://***@proxy.corp:3128')
    expect(proxies.http?.shown).toBe('http://***@proxy.corp:8080')
    const line = describeNetwork(proxies)
    expect(line).toBe(
      'Network: https:// through http://***@proxy.corp:3128 (HTTPS_PROXY); http:// through http://***@proxy.corp:8080 (http_proxy); except what NO_PROXY names and loopback.'
    )
    expect(line).not.toMatch(/alice|s3cr|tokenonly/)
    // What the runner is asked to mask: the password (encoded and decoded), a lone user name.
    expect(proxySecrets(proxies).sort()).toEqual(['s3cr%40t', 's3cr@t', 'tokenonly'])
  })

  test('a malformed proxy variable names the variable, hides the credentials and says the fix', () => {
    expect(() => readProxyEnv({ HTTPS_PROXY: 'http://bob:hunter2@' })).toThrow(
      "HTTPS_PROXY is 'http://***@', which is not a proxy URL."
    )
    expect(() => readProxyEnv({ https_proxy: 'socks5://bob:hunter2@p:1080' })).toThrow(
      'https_proxy names a socks5 proxy (socks5://***@p:1080); this action speaks to HTTP(S) proxies only.'
    )
    try {
      readProxyEnv({ HTTP_PROXY: 'http://bob:hunter2@' })
    } catch (err) {
      expect((err as { fix?: string }).fix).toMatch(/http:\/\/user:password@host:port/)
      expect(String((err as Error).message)).not.toContain('hunter2')
    }
    expect.assertions(4)
  })

  test('showProxy keeps scheme, host and port', () => {
    expect(showProxy(new URL('https://u:p@[fd00::1]:8443/path'))).toBe('https://***@[fd00::1]:8443')
    expect(showProxy(new URL('http://proxy:3128'))).toBe('http://proxy:3128')
  })
})
