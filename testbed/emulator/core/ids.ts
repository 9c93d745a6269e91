// Identifiers shaped like CodeDeploy's and EC2's.
import { createHash, randomInt, randomUUID } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export function deploymentId(): string {
  let s = 'd-'
  for (let i = 0; i < 9; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return s
}

// Stable across restarts, so a config names the same instances every time.
export function instanceId(application: string, group: string, index: number): string {
  return `i-${createHash('sha256').update(`${application}/${group}/${index}`).digest('hex').slice(0, 17)}`
}

export function uuid(): string {
  return randomUUID()
}

export const ACCOUNT = '123456789012'
export const REGION = 'us-east-1'

export function instanceArn(id: string): string {
  return `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`
}
