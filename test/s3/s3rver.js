// A real S3-compatible server for mlsync's media tests: the npm package
// s3rver (buckets, objects, S3 errors, on disk), behind a front on
// 127.0.0.1 that checks every request's AWS Signature Version 4 against the
// test's secret, and the x-amz-content-sha256 of every upload against its
// bytes.  s3rver alone checks that a known access key id signed, not the
// signature itself; the front makes a wrong secret or a wrong signing
// method fail as it would on AWS (403 SignatureDoesNotMatch).
//
// It writes its port to PORT_FILE once it listens, and stops by itself when
// the process PARENT_PID is gone or LIFETIME seconds have passed.
//
//   node s3rver.js DIRECTORY PORT_FILE BUCKET ACCESS_KEY_ID SECRET PARENT_PID LIFETIME
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const [directory, portFile, bucket, keyId, secret, parentPid, lifetime] = process.argv.slice(2);
AWSAccount.DUMMY_ACCOUNT.createKeyPair(keyId, secret);
const backend = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = data => crypto.createHash('sha256').update(data).digest('hex');

// Why the request's signature is wrong, or null when it is right.
function checkSignature(req, body) {
  const auth = req.headers.authorization || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'no AWS4-HMAC-SHA256 Authorization header';
  const [, id, date, region, signedHeaders, signature] = m;
  if (id !== keyId) return 'unknown access key id';
  const payload = req.headers['x-amz-content-sha256'];
  if (!payload) return 'no x-amz-content-sha256';
  if (payload !== 'UNSIGNED-PAYLOAD' && payload !== sha256(body)) return 'x-amz-content-sha256 is not the hash of the body';
  const [path, query = ''] = req.url.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const headers = names.map(n => `${n}:${String(req.headers[n] || '').trim()}\n`).join('');
  const canonical = [req.method, path, canonicalQuery, headers, signedHeaders, payload].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), 's3'), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature ? null : 'signature does not match';
}

function refuse(res, code, message) {
  res.writeHead(code === 'SignatureDoesNotMatch' ? 403 : 400, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

function stop() {
  backend.close().finally(() => process.exit(0));
}

backend.run().then(({ port: backendPort }) => {
  const front = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = checkSignature(req, body);
      if (problem) return refuse(res, 'SignatureDoesNotMatch', problem);
      const forward = http.request({ host: '127.0.0.1', port: backendPort, method: req.method,
                                     path: req.url, headers: req.headers }, reply => {
        res.writeHead(reply.statusCode, reply.headers);
        reply.pipe(res);
      });
      forward.on('error', e => refuse(res, 'InternalError', e.message));
      forward.end(body);
    });
  });
  front.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(portFile + '.tmp', front.address().port + '\n');
    fs.renameSync(portFile + '.tmp', portFile);
  });
});
setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch (e) {
    stop();
  }
}, 1000).unref();
setTimeout(stop, Number(lifetime) * 1000).unref();
process.on('SIGTERM', stop);
