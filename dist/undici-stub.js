// Bundled into dist/ in place of undici (scripts/build-dist.mjs). @actions/core imports its OIDC
// client at load, which imports @actions/http-client, which imports undici's ProxyAgent for
// fetch-based clients behind a proxy (Octokit). This action never asks for an OIDC token and
// makes no fetch through @actions/http-client (the AWS SDK has its own HTTP handler), so the
// 0.9 MB of undici would only be parsed at every start (~0.07 CPU-s).
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled in this action (scripts/build-dist.mjs): @actions/http-client proxy dispatchers are not available.'
    )
  }
}
