export const id = 41;
export const ids = [41];
export const modules = {

/***/ 4041:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ir: () => (/* binding */ stripQuotes),
  uploadBundle: () => (/* binding */ uploadBundle)
});

// UNUSED EXPORTS: DEFAULT_QUEUE_SIZE, MIN_PART_SIZE, choosePartSize, contentTypeFor

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/log.ts
var common_log = __webpack_require__(1095);
// EXTERNAL MODULE: ./src/aws/aws-errors.ts
var aws_errors = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/common/duration.ts
var duration = __webpack_require__(5541);
;// CONCATENATED MODULE: ./src/aws/upload-progress.ts
// Upload progress as log lines: one every few seconds at most, so a long upload shows it is
// moving without flooding the log. The clock is a parameter, so tests need not wait.
const PROGRESS_INTERVAL_MS = 5_000;
const MIB = 1024 * 1024;
function formatMiB(bytes) {
    return `${(bytes / MIB).toFixed(1)} MiB`;
}
function formatRate(bytes, ms) {
    return ms > 0 ? `${((bytes / MIB) * (1000 / ms)).toFixed(1)} MiB/s` : '-';
}
class UploadProgress {
    total;
    log;
    now;
    intervalMs;
    started;
    lastLine;
    constructor(total, log, now, intervalMs = PROGRESS_INTERVAL_MS) {
        this.total = total;
        this.log = log;
        this.now = now;
        this.intervalMs = intervalMs;
        this.started = now();
        this.lastLine = this.started;
    }
    /** Called with the bytes uploaded so far; prints a line if the last one is old enough. */
    update(loaded) {
        const t = this.now();
        if (loaded >= this.total || t - this.lastLine < this.intervalMs)
            return;
        this.lastLine = t;
        const percent = Math.floor((loaded / this.total) * 100);
        this.log.info(`Uploading: ${percent}% (${formatMiB(loaded)} of ${formatMiB(this.total)}) at ${formatRate(loaded, t - this.started)}`);
    }
    /** Milliseconds since the upload started. */
    elapsed() {
        return this.now() - this.started;
    }
}

;// CONCATENATED MODULE: ./src/aws/s3-upload.ts
// Puts the bundle in S3: reuses an identical object when one is there, otherwise streams the file
// up in parts with bounded memory, and never leaves a half-finished multipart upload behind.










const s3_upload_MIB = 1024 * 1024;
const MAX_PARTS = 10_000;
/**
 * Ten parts in flight, as `aws s3 cp` keeps (its max_concurrent_requests): far from the bucket,
 * each connection carries about a TCP window per round trip, so the number of connections sets
 * the speed (bench/REPORT.md, upload@RTT). Parts are streamed from the bundle file, so memory
 * does not grow with them: a read-ahead of PART_READ_AHEAD per part in flight.
 */
const MIN_PART_SIZE = 8 * s3_upload_MIB;
const DEFAULT_QUEUE_SIZE = 10;
const PART_READ_AHEAD = 256 * 1024;
/** The part size for a file: at least MIN_PART_SIZE, grown in whole MiB so there are at most 10,000 parts. */
function choosePartSize(size, min = MIN_PART_SIZE) {
    return Math.max(min, Math.ceil(Math.ceil(size / MAX_PARTS) / s3_upload_MIB) * s3_upload_MIB);
}
function contentTypeFor(name) {
    if (/\.zip$/i.test(name))
        return 'application/zip';
    if (/\.(tgz|tar\.gz)$/i.test(name))
        return 'application/gzip';
    if (/\.tar$/i.test(name))
        return 'application/x-tar';
    return 'application/octet-stream';
}
function stripQuotes(etag) {
    return etag.replace(/"/g, '');
}
async function uploadBundle(opts) {
    const { bucket, key, log } = opts;
    const uri = `s3://${bucket}/${key}`;
    throwIfCancelled(opts.signal, uri, false);
    const sdk = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const where = await whereIs(opts.s3);
    const existing = await findExisting(sdk, opts, where);
    if (existing.kind === 'same') {
        log.info(`Reusing ${uri}: an object with the same sha256 and size is already there (ETag ${existing.etag}` +
            `${existing.versionId ? `, version ${existing.versionId}` : ''}); not uploading.`);
        return { etag: existing.etag, versionId: existing.versionId, uploaded: false };
    }
    if (existing.kind === 'different') {
        log.warning(`${uri} already exists with different content (sha256 ${existing.sha256 ?? 'not recorded'}, ` +
            `${existing.size ?? '?'} bytes) and is being overwritten. A deployment still running from the old object ` +
            'fails unless the bucket is versioned; keep {bundle_hash} in `key` so different content gets its own key.');
    }
    if (existing.kind === 'other-commit') {
        log.info(`${uri} already holds this bundle, built from ${existing.commit ? `commit ${existing.commit}` : 'no recorded commit'}; ` +
            `uploading it again so the object records commit ${opts.metadata?.['git-commit'] ?? ''}.`);
    }
    if (existing.kind === 'unknown') {
        log.debug(`HeadObject on ${uri} was refused (403), so whether it already exists is unknown; uploading anyway ` +
            '(with the default key, one key always holds one bundle). Grant s3:GetObject and s3:ListBucket to let re-runs reuse it.');
    }
    const sent = await transfer(sdk, opts, uri, where, existing.kind === 'unknown');
    return { ...(await completeResult(sdk, opts, uri, sent)), uploaded: true };
}
async function findExisting(sdk, opts, where) {
    let head;
    try {
        head = await opts.s3.send(new sdk.HeadObjectCommand({
            Bucket: opts.bucket,
            Key: opts.key,
            ExpectedBucketOwner: opts.expectedBucketOwner
        }), { abortSignal: opts.signal });
    }
    catch (err) {
        const { code, status } = (0,aws_errors/* describeAwsError */.Pp)(err);
        // S3 answers 404 both for a missing key and a missing bucket; the upload names which.
        if (status === 404 || code === 'NotFound' || code === 'NoSuchKey')
            return { kind: 'absent' };
        // Without s3:ListBucket, S3 says 403 for a missing key, so 403 cannot mean "present".
        // A 403 from a bucket of another account looks the same; the upload's error body says which.
        if (status === 403)
            return { kind: 'unknown' };
        if ((0,aws_errors/* isAbortError */.zf)(err) || opts.signal?.aborted)
            throwIfCancelled(opts.signal, `s3://${opts.bucket}/${opts.key}`, false);
        throw (0,aws_errors/* toAwsCallError */.Dz)('S3 HeadObject', err, s3Hints(opts, where, err, ['s3:GetObject', 's3:ListBucket']));
    }
    const sha256 = head.Metadata?.sha256;
    const commit = opts.metadata?.['git-commit'];
    const sameCommit = !commit || head.Metadata?.['git-commit'] === commit;
    if (sha256 === opts.sha256 && head.ContentLength === opts.size && head.ETag) {
        if (!sameCommit)
            return { kind: 'other-commit', commit: head.Metadata?.['git-commit'] ?? '' };
        return { kind: 'same', etag: stripQuotes(head.ETag), versionId: versionOf(head.VersionId) };
    }
    return { kind: 'different', sha256, size: head.ContentLength };
}
/**
 * Runs the multipart (or single PUT) upload; on any failure or cancel, aborts it before throwing.
 * Each part is read from the file into one of `queueSize` reused buffers and sent as a Buffer
 * body (a stream would be sent aws-chunked, which some S3-compatible servers refuse), so memory
 * stays at queueSize × partSize and no dropped part buffers wait for the garbage collector.
 */
async function transfer(sdk, opts, uri, where, headRefused) {
    const { s3, log } = opts;
    const partSize = opts.partSize ?? choosePartSize(opts.size);
    const queueSize = Math.max(1, opts.queueSize ?? DEFAULT_QUEUE_SIZE);
    const parts = Math.max(1, Math.ceil(opts.size / partSize));
    const progress = new UploadProgress(opts.size, log, opts.now ?? Date.now);
    log.info(`Uploading ${(0,external_node_path_.basename)(opts.filePath)} (${formatMiB(opts.size)}) to ${uri}` +
        (parts > 1 ? ` in ${parts} parts of ${formatMiB(partSize)}` : ''));
    // One controller for everything in flight: the first failed request or the caller's signal
    // cancels the other parts at once instead of letting the rest of the file go up.
    const stop = new AbortController();
    let failure;
    /** Sends one request; a failure is recorded (the first one wins) and stops the rest. */
    const step = async (call, request) => {
        if (stop.signal.aborted)
            throw cancelled();
        try {
            return await request();
        }
        catch (err) {
            if (!stop.signal.aborted) {
                failure = { call: `S3 ${call}`, err };
                stop.abort();
            }
            throw err;
        }
    };
    const onCancel = () => stop.abort();
    opts.signal?.addEventListener('abort', onCancel, { once: true });
    const target = {
        Bucket: opts.bucket,
        Key: opts.key,
        ExpectedBucketOwner: opts.expectedBucketOwner
    };
    const object = {
        ...target,
        ContentType: contentTypeFor(opts.filePath),
        Metadata: { ...opts.metadata, sha256: opts.sha256 },
        ServerSideEncryption: opts.sse,
        SSEKMSKeyId: opts.sse === 'aws:kms' ? opts.sseKmsKeyId : undefined
    };
    const cancellable = { abortSignal: stop.signal };
    let file;
    let uploadId;
    let completed = false;
    try {
        if (opts.signal?.aborted)
            onCancel();
        file = await (0,promises_.open)(opts.filePath, 'r');
        let out;
        if (parts === 1) {
            const body = await readPart(file, opts.filePath, 0, Buffer.allocUnsafe(opts.size));
            out = await step('PutObject', () => s3.send(new sdk.PutObjectCommand({ ...object, Body: body, ContentLength: opts.size }), cancellable));
        }
        else {
            // Create and Complete are short and change server state: they are let finish, so an
            // upload that was created is known and can be aborted, and a completed one is not lost.
            const created = await step('CreateMultipartUpload', () => s3.send(new sdk.CreateMultipartUploadCommand(object)));
            uploadId = created.UploadId;
            const id = uploadId;
            const etags = [];
            let next = 0;
            let loaded = 0;
            const attempts = await s3.config.maxAttempts();
            const worker = async (source) => {
                while (!stop.signal.aborted && next < parts) {
                    const index = next++;
                    const start = index * partSize;
                    const length = Math.min(partSize, opts.size - start);
                    // The checksum S3 verifies, computed first: sent as a header, the part's bytes can
                    // then stream from the file (a stream the SDK checksums itself goes aws-chunked,
                    // which some S3-compatible servers refuse). Reading twice costs page-cache reads only.
                    const checksum = await partCrc32(source, opts.filePath, start, length);
                    const sent = await step('UploadPart', () => 
                    // The SDK does not retry a streamed body (it cannot rewind it): each attempt here
                    // opens the part afresh, with the client's number of attempts.
                    (0,retry/* retry */.L5)(() => s3.send(new sdk.UploadPartCommand({
                        ...target,
                        UploadId: id,
                        PartNumber: index + 1,
                        Body: (0,external_node_fs_.createReadStream)(opts.filePath, {
                            start,
                            end: start + length - 1,
                            highWaterMark: PART_READ_AHEAD
                        }),
                        ContentLength: length,
                        ChecksumCRC32: checksum
                    }), cancellable), {
                        attempts,
                        retryable: (err) => (0,aws_errors/* isTransient */.dg)(err) && !(0,aws_errors/* isAbortError */.zf)(err),
                        delayMs: (attempt, err) => (0,retry/* backoffMs */.jo)(attempt, (0,aws_errors/* isThrottling */.E2)(err)),
                        sleep: opts.sleep ?? common_log/* realSleep */.u,
                        signal: stop.signal,
                        onRetry: (err, attempt, ms) => log.debug(`UploadPart ${index + 1} failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); attempt ${attempt + 1} of ${attempts} in ${ms} ms.`)
                    }));
                    etags[index] = sent.ETag;
                    loaded += length;
                    progress.update(loaded);
                }
            };
            const source = file;
            await Promise.all(Array.from({ length: Math.min(queueSize, parts) }, () => worker(source).catch((err) => {
                // A read error: recorded like a failed request, so the other parts stop too.
                if (!stop.signal.aborted) {
                    failure = { call: 'S3 Upload', err };
                    stop.abort();
                }
            })));
            if (stop.signal.aborted)
                throw failure?.err ?? cancelled();
            // A file that grew was read only up to its recorded size: not what was hashed.
            if ((await source.stat()).size !== opts.size)
                throw sizeChanged(opts.filePath);
            out = await step('CompleteMultipartUpload', () => s3.send(new sdk.CompleteMultipartUploadCommand({
                ...target,
                UploadId: id,
                MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }
            })));
            completed = true;
        }
        progress.update(opts.size);
        const ms = progress.elapsed();
        log.info(`Uploaded ${formatMiB(opts.size)} to ${uri} in ${(0,duration/* formatDuration */.a)(ms, { precise: true })} (${formatRate(opts.size, ms)})`);
        return {
            etag: out.ETag ? stripQuotes(out.ETag) : undefined,
            versionId: versionOf(out.VersionId)
        };
    }
    catch (err) {
        if (!stop.signal.aborted)
            stop.abort();
        if (uploadId && !completed)
            await abortMultipart(sdk, opts, uri, uploadId);
        if (opts.signal?.aborted)
            throwIfCancelled(opts.signal, uri, true);
        const cause = failure ?? { call: 'S3 Upload', err };
        throw uploadError(opts, where, cause.call, cause.err, headRefused);
    }
    finally {
        opts.signal?.removeEventListener('abort', onCancel);
        await file?.close();
    }
}
function cancelled() {
    return Object.assign(new Error('Upload aborted.'), { name: 'AbortError' });
}
/** Fills `into` from the file at `start`; the file ending early means it changed. */
async function readPart(file, path, start, into) {
    let at = 0;
    while (at < into.length) {
        const { bytesRead } = await file.read(into, at, into.length - at, start + at);
        if (bytesRead === 0)
            throw sizeChanged(path);
        at += bytesRead;
    }
    return into;
}
/** CRC-32 of a part, base64 as S3 wants it, read in PART_READ_AHEAD pieces; the file ending early means it changed. */
async function partCrc32(file, path, start, length) {
    const piece = Buffer.allocUnsafe(Math.min(PART_READ_AHEAD, length));
    let crc = 0;
    for (let at = 0; at < length;) {
        const want = Math.min(piece.length, length - at);
        const { bytesRead } = await file.read(piece, 0, want, start + at);
        if (bytesRead === 0)
            throw sizeChanged(path);
        crc = (0,external_node_zlib_.crc32)(piece.subarray(0, bytesRead), crc);
        at += bytesRead;
    }
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc >>> 0);
    return out.toString('base64');
}
/** Reported as a read failure of the bundle (uploadError: an error with a path, no code). */
function sizeChanged(path) {
    return Object.assign(new Error(`${path} changed size during the upload`), { path });
}
/**
 * Tries this long in all (the SDK's own retries aside) to abort when S3 is unreachable or failing:
 * an upload that broke because S3 went away is usually aborted once it is back.
 */
const ABORT_RETRY_DELAYS_MS = [2000, 4000, 6000, 8000];
async function abortMultipart(sdk, opts, uri, uploadId) {
    try {
        await (0,retry/* retry */.L5)(() => opts.s3.send(new sdk.AbortMultipartUploadCommand({
            Bucket: opts.bucket,
            Key: opts.key,
            UploadId: uploadId,
            ExpectedBucketOwner: opts.expectedBucketOwner
        })), {
            attempts: ABORT_RETRY_DELAYS_MS.length + 1,
            retryable: aws_errors/* isTransient */.dg,
            delayMs: (attempt) => ABORT_RETRY_DELAYS_MS[attempt - 1] ?? 0,
            sleep: opts.sleep ?? common_log/* realSleep */.u,
            onRetry: (err) => opts.log.debug(`Aborting multipart upload ${uploadId} failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); trying again.`)
        });
        opts.log.debug(`Aborted multipart upload ${uploadId} of ${uri}; no parts remain.`);
    }
    catch (err) {
        const { code } = (0,aws_errors/* describeAwsError */.Pp)(err);
        if (code === 'NoSuchUpload')
            return;
        const why = (0,aws_errors/* isTransient */.dg)(err) ? '' : ' The role needs s3:AbortMultipartUpload.';
        opts.log.warning(`Could not abort multipart upload ${uploadId} of ${uri} (${code}): its parts stay in the bucket (not as an object) ` +
            `until an AbortIncompleteMultipartUpload lifecycle rule removes them.${why}`);
    }
}
function uploadError(opts, where, call, err, headRefused) {
    // File-system errors name the file; a socket's EPIPE or ECONNRESET (S3 going away mid-upload)
    // has a syscall too, but no path, and is reported as the S3 call that failed.
    const e = err;
    if (typeof e.path === 'string') {
        return new errors/* ActionError */.lZ(`Could not read the bundle ${opts.filePath} while uploading (${String(e.code ?? 'size changed')}).`, 'It was changed or removed during the upload; re-run the job.');
    }
    const actions = [
        's3:PutObject',
        ...(opts.sse === 'aws:kms' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : [])
    ];
    const mapped = (0,aws_errors/* toAwsCallError */.Dz)(call, err, s3Hints(opts, where, err, actions));
    if (headRefused && mapped.code !== 'NoSuchBucket') {
        return new errors/* ActionError */.lZ(mapped.message, `${mapped.fix} (HeadObject on the key was refused too: s3:GetObject / s3:ListBucket.)`);
    }
    return mapped;
}
function s3Hints(opts, { region, endpoint }, err, iamActions) {
    const bucketRegion = headerOf(err, 'x-amz-bucket-region');
    const wrongRegion = `Bucket '${opts.bucket}' is not in region ${region}${bucketRegion ? ` (it is in ${bucketRegion})` : ''}: set \`region\` ` +
        "to the bucket's region; CodeDeploy needs the bucket in the same region as the deployment group.";
    const byCode = {
        NoSuchBucket: `Bucket '${opts.bucket}' does not exist in region ${region}: check \`bucket\` and \`region\`.`,
        PermanentRedirect: wrongRegion,
        TemporaryRedirect: wrongRegion,
        AuthorizationHeaderMalformed: wrongRegion,
        IllegalLocationConstraintException: wrongRegion,
        NoSuchUpload: 'The multipart upload was removed while it ran (a lifecycle rule or another process): re-run the job.',
        InvalidEncryptionAlgorithmError: 'Check `sse`: it must be AES256 or aws:kms.',
        'KMS.NotFoundException': `The KMS key in \`sse-kms-key-id\` was not found in region ${region}: check the key id or alias and its region.`,
        'KMS.DisabledException': 'The KMS key in `sse-kms-key-id` is disabled: enable it or use another key.',
        'KMS.KMSInvalidStateException': 'The KMS key in `sse-kms-key-id` is pending deletion or not usable: use another key.'
    };
    if (opts.expectedBucketOwner) {
        const owner = `Access to bucket '${opts.bucket}' was denied: either it belongs to another account than ` +
            `${opts.expectedBucketOwner} (check \`expected-bucket-owner\`), or the role lacks ${iamActions.join(', ')} ` +
            `on arn:aws:s3:::${opts.bucket}/${opts.key}.`;
        byCode.AccessDenied = owner;
        byCode.Forbidden = owner;
    }
    return {
        iamActions,
        endpoint,
        resource: `arn:aws:s3:::${opts.bucket}/${opts.key}`,
        byCode,
        fallback: 'Check `bucket`, `key`, `sse` and `sse-kms-key-id`.'
    };
}
async function whereIs(s3) {
    const region = await s3.config.region().catch(() => 'the configured region');
    const custom = await s3.config.endpoint?.().catch(() => undefined);
    const endpoint = custom
        ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}`
        : `S3 in ${region}`;
    return { region, endpoint };
}
async function completeResult(sdk, opts, uri, sent) {
    let { etag, versionId } = sent;
    // Some S3-compatible servers leave VersionId (or even the ETag) out of CompleteMultipartUpload;
    // a HEAD on the key has both. On an unversioned bucket it simply has no version.
    if (!etag || !versionId) {
        try {
            const head = await opts.s3.send(new sdk.HeadObjectCommand({
                Bucket: opts.bucket,
                Key: opts.key,
                ExpectedBucketOwner: opts.expectedBucketOwner
            }), { abortSignal: opts.signal });
            const headEtag = head.ETag ? stripQuotes(head.ETag) : undefined;
            // Only trust the HEAD if it sees the object we wrote, not one written after it.
            if (!etag)
                etag = headEtag;
            if (!versionId && headEtag === etag && head.Metadata?.sha256 === opts.sha256)
                versionId = versionOf(head.VersionId);
        }
        catch (err) {
            opts.log.debug(`HeadObject after the upload failed (${(0,aws_errors/* describeAwsError */.Pp)(err).code}); version id unknown.`);
        }
    }
    if (!etag) {
        throw new errors/* ActionError */.lZ(`S3 returned no ETag for ${uri}.`, 'CodeDeploy needs it to pin the revision: check that the endpoint is S3 or fully S3-compatible.');
    }
    return { etag, versionId };
}
function versionOf(id) {
    // 'null' is what S3 reports for objects written while versioning was off or suspended.
    return id && id !== 'null' ? id : undefined;
}
function headerOf(err, name) {
    const headers = err?.$response?.headers;
    return headers?.[name];
}
function throwIfCancelled(signal, uri, started) {
    if (!signal?.aborted)
        return;
    throw new errors/* ActionError */.lZ(`Upload to ${uri} was cancelled.`, started
        ? 'The multipart upload was aborted; no partial object was left in the bucket.'
        : 'Nothing was uploaded.');
}


/***/ })

};
