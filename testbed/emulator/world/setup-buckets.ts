// Creates the bed's two buckets on radosgw (idempotent): TESTBED_BUCKET with versioning on,
// TESTBED_BUCKET_UNVERSIONED without.
import { S3Client, CreateBucketCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3'

const s3 = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: process.env.AWS_ENDPOINT_URL_S3,
  forcePathStyle: true
})

async function ensureBucket(name: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }))
  } catch (e) {
    const n = (e as Error).name
    if (n !== 'BucketAlreadyOwnedByYou' && n !== 'BucketAlreadyExists') throw e
  }
}

const versioned = process.env.TESTBED_BUCKET ?? 'testbed-bucket'
const plain = process.env.TESTBED_BUCKET_UNVERSIONED ?? 'testbed-bucket-unversioned'
await ensureBucket(versioned)
await ensureBucket(plain)
await s3.send(
  new PutBucketVersioningCommand({
    Bucket: versioned,
    VersioningConfiguration: { Status: 'Enabled' }
  })
)
console.log(`buckets ready: ${versioned} (versioned), ${plain}`)
