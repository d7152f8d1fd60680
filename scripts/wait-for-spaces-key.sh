#!/bin/sh
# Waits until a freshly created Spaces key is accepted by the S3 API, so that the bucket created with it in the
# same apply does not fail: a new key can answer InvalidAccessKeyId or AccessDenied for a while, and the
# provider retries bucket creation only on OperationAborted. Polls ListBuckets (GET /, signed with AWS SigV4 by
# curl >= 7.75) until it answers 200 or TIMEOUT_SECONDS pass.
#
# Environment: SPACES_ENDPOINT (https://<region>.digitaloceanspaces.com), SPACES_REGION, SPACES_ACCESS_KEY_ID,
# SPACES_SECRET_KEY, TIMEOUT_SECONDS; INTERVAL_SECONDS (default 5). The secret reaches curl on its standard
# input, never on a command line.
set -eu

fail() {
  echo "wait-for-spaces-key: $*" >&2
  exit 1
}

command -v curl >/dev/null 2>&1 || fail "curl is needed to check the new Spaces key; install it (7.75 or later) or set spaces.key_wait_seconds = 0"
curl --help all 2>/dev/null | grep -q -- '--aws-sigv4' || fail "this curl cannot sign S3 requests (--aws-sigv4 needs 7.75 or later); upgrade it or set spaces.key_wait_seconds = 0"

deadline=$(($(date +%s) + TIMEOUT_SECONDS))
attempts=0
while :; do
  attempts=$((attempts + 1))
  status=$(printf 'user = "%s:%s"\n' "$SPACES_ACCESS_KEY_ID" "$SPACES_SECRET_KEY" |
    curl --config - --silent --output /dev/null --write-out '%{http_code}' --max-time 10 \
      --aws-sigv4 "aws:amz:${SPACES_REGION}:s3" "${SPACES_ENDPOINT}/") || status="no answer"
  if [ "$status" = 200 ]; then
    echo "wait-for-spaces-key: key ${SPACES_ACCESS_KEY_ID} accepted by ${SPACES_ENDPOINT} after ${attempts} attempt(s)"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    fail "the new Spaces key ${SPACES_ACCESS_KEY_ID} was not accepted by ${SPACES_ENDPOINT} within ${TIMEOUT_SECONDS} s (${attempts} attempts, last answer: ${status}); apply again once it works, or raise spaces.key_wait_seconds"
  fi
  sleep "${INTERVAL_SECONDS:-5}"
done
