// Bundled into dist/ in place of undici (scripts/build-dist.mjs). @actions/core imports its OIDC
// client at load, which imports @actions/http-client, which imports undici's ProxyAgent for
// fetch-based clients behind a proxy (Octokit). This action never asks for an OIDC token, and its
// one fetch (below) needs no more of undici than Node has built in, so the 0.9 MB of undici would
// only be parsed at every start (~0.07 CPU-s).
export class ProxyAgent {
  constructor() {
    throw new Error(
      'this version does not reach GitHub through a proxy (HTTPS_PROXY is set; undici is not bundled): fetch the history with actions/checkout fetch-depth: 0, or add the GitHub API host to NO_PROXY'
    )
  }
}

// @actions/github's Octokit (GitHub's compare API) sends through undici's fetch with a proxy
// dispatcher when one is configured; without a proxy the dispatcher is undefined and Node's own
// fetch (undici inside Node) does the same work. Behind a proxy, ProxyAgent above throws: the
// compare then reads as unanswered, and the action deploys and warns.
export const fetch = (...args) => globalThis.fetch(...args)
