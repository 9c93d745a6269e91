// Bundled into dist/ in place of undici (scripts/build-dist.mjs). @actions/core imports its OIDC
// client at load, which imports @actions/http-client, which imports undici's ProxyAgent for
// fetch-based clients behind a proxy (Octokit). This action never asks for an OIDC token, and
// gives Octokit its own fetch (src/network/agent-fetch.ts: the AWS clients' proxy, no_proxy and
// CAs), so the 0.9 MB of undici would only be parsed at every start (~0.07 CPU-s).

// @actions/github builds its default dispatcher when it is imported, behind a proxy too: it must
// be constructible. It is never used (the action passes its own fetch); if it ever were, it says so.
export class ProxyAgent {
  dispatch() {
    throw new Error(
      "undici is not bundled: this request should have gone through the action's own fetch (src/network/agent-fetch.ts); please report it"
    )
  }
}

// @actions/github's default fetch; the action always passes its own, so this is Node's for completeness.
export const fetch = (...args) => globalThis.fetch(...args)
