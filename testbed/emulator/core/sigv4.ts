// Verifies AWS Signature Version 4 on incoming requests by signing the same canonical request
// again with the bed's secret (via @smithy/signature-v4) and comparing the signatures.
import { SignatureV4 } from '@smithy/signature-v4'
import { Hash } from '@smithy/hash-node'
import { AwsError } from './aws-error.ts'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface IncomingSigned {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: Buffer
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

const MAX_SKEW_MS = 15 * 60 * 1000

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!m) return undefined
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

export async function verifySignature(
  req: IncomingSigned,
  credentials: Credentials,
  now: Date
): Promise<void> {
  const authorization = req.headers['authorization']
  if (!authorization) {
    throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
  }
  const m = AUTH_PATTERN.exec(authorization)
  if (!m) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization}`,
      403
    )
  }
  const [, accessKeyId, day, region, service, signedHeaderList, signature] =
    m as unknown as string[]
  if (accessKeyId !== credentials.accessKeyId) {
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403
    )
  }
  const amzDate = req.headers['x-amz-date'] ?? ''
  const signingDate = parseAmzDate(amzDate)
  if (!signingDate || !amzDate.startsWith(day!)) {
    throw new AwsError(
      'IncompleteSignatureException',
      'Date must be in ISO-8601 basic format.',
      403
    )
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    throw new AwsError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${new Date(now.getTime() - MAX_SKEW_MS).toISOString().replace(/[-:]|\.\d{3}/g, '')}`,
      403
    )
  }
  const signed = signedHeaderList!.split(';')
  const headers: Record<string, string> = {}
  for (const name of signed) {
    const value = req.headers[name]
    if (value === undefined) throw new AwsError('InvalidSignatureException', MISMATCH, 403)
    headers[name] = value
  }
  const signer = new SignatureV4({
    credentials,
    region: region!,
    service: service!,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false
  })
  const resigned = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: req.path,
      query: req.query,
      headers,
      body: req.body
    },
    { signingDate, signableHeaders: new Set(signed) }
  )
  const expected = /Signature=([0-9a-f]{64})/.exec(resigned.headers['authorization'] ?? '')?.[1]
  if (expected !== signature) throw new AwsError('InvalidSignatureException', MISMATCH, 403)
}
