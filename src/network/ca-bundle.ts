// AWS_CA_BUNDLE, read as the AWS CLI reads it: a PEM file of CA certificates. The JavaScript SDK
// ignores it, and Node reads NODE_EXTRA_CA_CERTS only when the process starts, so the action
// adds these CAs to what Node already trusts, for every connection it makes.
import { readFileSync } from 'node:fs'
import * as tls from 'node:tls'
import { X509Certificate } from 'node:crypto'
import { ActionError } from '../common/errors.js'

export interface CaBundle {
  /** The file, as AWS_CA_BUNDLE names it. */
  path: string
  /** The PEM certificates it holds. */
  certificates: string[]
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** The bundle AWS_CA_BUNDLE names, or undefined when it is unset; an unreadable or empty file is an error. */
export function readCaBundle(
  env: NodeJS.ProcessEnv,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8')
): CaBundle | undefined {
  const path = env.AWS_CA_BUNDLE?.trim()
  if (!path) return undefined
  let text: string
  try {
    text = read(path)
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new ActionError(
      `AWS_CA_BUNDLE is '${path}', which cannot be read (${why}).`,
      'Set it to the path of a PEM file of CA certificates on the runner (for instance written by an earlier step), or unset it.'
    )
  }
  const certificates = text.match(PEM) ?? []
  const bad = certificates.findIndex((pem) => !parses(pem))
  if (certificates.length === 0 || bad >= 0) {
    throw new ActionError(
      certificates.length === 0
        ? `AWS_CA_BUNDLE is '${path}', which holds no PEM certificate (-----BEGIN CERTIFICATE-----).`
        : `AWS_CA_BUNDLE is '${path}', whose certificate number ${bad + 1} cannot be read.`,
      'Give it the CA certificates in PEM form (openssl x509 -inform der -in ca.der -out ca.pem converts a DER file).'
    )
  }
  return { path, certificates }
}

/** What Node trusts (its roots, NODE_EXTRA_CA_CERTS, the system store when enabled) plus the bundle. */
export function trustedCas(bundle: CaBundle | undefined): string[] | undefined {
  if (!bundle) return undefined
  // tls.getCACertificates (Node 22.15+) includes NODE_EXTRA_CA_CERTS; rootCertificates does not.
  const base =
    typeof tls.getCACertificates === 'function'
      ? tls.getCACertificates('default')
      : [...tls.rootCertificates]
  return [...base, ...bundle.certificates]
}

function parses(pem: string): boolean {
  try {
    new X509Certificate(pem)
    return true
  } catch {
    return false
  }
}
