// S3's general purpose bucket naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
import { describe, expect, it } from '@jest/globals'
import { bucketNameProblem } from '../../src/settings/bucket-name.js'

describe('bucketNameProblem: names S3 accepts', () => {
  it.each([
    'abc',
    'a'.repeat(63),
    '123',
    'my-codedeploy-bucket',
    'my.bucket.name',
    'a-b.c-d',
    '1bucket',
    'bucket1',
    'a--b',
    'docexamplebucket1',
    'example.com',
    // IP-like but not four numbers: S3 accepts these.
    '192.168.5',
    '192.168.5.4.5',
    '192.168.5.4a',
    'v192.168.5.4',
    // Reserved affixes only count at the very start or end.
    'my-xn--bucket',
    'x-sthree-y',
    'my-s3alias-bucket',
    'mrap.bucket',
    's3alias',
    'xn-bucket'
  ])('%j', (name) => {
    expect(bucketNameProblem(name)).toBeUndefined()
  })
})

describe('bucketNameProblem: each rule', () => {
  it.each<[string, string]>([
    ['s3://my-bucket', 'is a URI or path, not a bucket name'],
    ['S3://my-bucket', 'is a URI or path, not a bucket name'],
    ['s3://my-bucket/prefix/', 'is a URI or path, not a bucket name'],
    ['my-bucket/prefix', 'is a URI or path, not a bucket name'],
    ['/my-bucket', 'is a URI or path, not a bucket name'],
    ['', 'is 0 characters long; S3 allows 3 to 63'],
    ['ab', 'is 2 characters long; S3 allows 3 to 63'],
    ['a'.repeat(64), 'is 64 characters long; S3 allows 3 to 63'],
    ['My-Bucket', 'has upper-case letters; S3 bucket names are lower-case'],
    ['mybucketX', 'has upper-case letters; S3 bucket names are lower-case'],
    ['my_bucket', 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'],
    ['my bucket', 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'],
    ['bücket', 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'],
    ['my:bucket', 'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'],
    [
      'arn:aws:s3:::my-bucket',
      'has characters S3 does not allow (only a-z, 0-9, dots and hyphens)'
    ],
    ['-bucket', 'must begin and end with a letter or digit'],
    ['bucket-', 'must begin and end with a letter or digit'],
    ['.bucket', 'must begin and end with a letter or digit'],
    ['bucket.', 'must begin and end with a letter or digit'],
    ['my..bucket', 'has two adjacent dots'],
    ['192.168.5.4', 'is formatted as an IP address'],
    ['10.0.0.1', 'is formatted as an IP address'],
    ['999.999.999.999', 'is formatted as an IP address'],
    ['xn--bucket', "starts with the reserved prefix 'xn--'"],
    ['sthree-bucket', "starts with the reserved prefix 'sthree-'"],
    ['sthree-configurator', "starts with the reserved prefix 'sthree-'"],
    ['amzn-s3-demo-bucket', "starts with the reserved prefix 'amzn-s3-demo-'"],
    ['my-bucket-s3alias', "ends with the reserved suffix '-s3alias'"],
    ['my-bucket--ol-s3', "ends with the reserved suffix '--ol-s3'"],
    ['my-bucket.mrap', "ends with the reserved suffix '.mrap'"],
    ['my-bucket--x-s3', "ends with the reserved suffix '--x-s3'"],
    ['my-bucket--table-s3', "ends with the reserved suffix '--table-s3'"]
  ])('%j → %s', (name, problem) => {
    expect(bucketNameProblem(name)).toBe(problem)
  })

  it('counts the length at the bounds: 3 and 63 are fine, 2 and 64 are not', () => {
    expect(bucketNameProblem('a'.repeat(3))).toBeUndefined()
    expect(bucketNameProblem('a'.repeat(63))).toBeUndefined()
    expect(bucketNameProblem('a'.repeat(2))).toMatch(/is 2 characters long/)
    expect(bucketNameProblem('a'.repeat(64))).toMatch(/is 64 characters long/)
  })

  it('names the URI problem before the length, so a long s3:// URI gets the useful message', () => {
    expect(bucketNameProblem(`s3://${'a'.repeat(80)}/key`)).toBe(
      'is a URI or path, not a bucket name'
    )
  })

  it('names upper case before other characters, so My_Bucket is told about case first', () => {
    expect(bucketNameProblem('My_Bucket')).toBe(
      'has upper-case letters; S3 bucket names are lower-case'
    )
  })

  it('refuses a name that is reserved at both ends with the prefix rule', () => {
    expect(bucketNameProblem('xn--bucket-s3alias')).toBe("starts with the reserved prefix 'xn--'")
  })
})
