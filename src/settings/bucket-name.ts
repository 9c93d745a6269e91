// S3's general purpose bucket naming rules, so a typo fails here and not after the bundle is built.

/** What is wrong with the name, or undefined when S3 would accept it. */
export function bucketNameProblem(name: string): string | undefined {
  if (/^s3:\/\//i.test(name) || name.includes('/')) return 'is a URI or path, not a bucket name'
  if (name.length < 3 || name.length > 63)
    return `is ${name.length} characters long; S3 allows 3 to 63`
  if (/[A-Z]/.test(name)) return 'has upper-case letters; S3 bucket names are lower-case'
  if (!/^[a-z0-9.-]+$/.test(name))
    return 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit'
  if (name.includes('..')) return 'has two adjacent dots'
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'is formatted as an IP address'
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-'])
    if (name.startsWith(prefix)) return `starts with the reserved prefix '${prefix}'`
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(suffix)) return `ends with the reserved suffix '${suffix}'`
  return undefined
}
