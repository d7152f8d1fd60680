"""`./run backend`: keep the Terraform state in a Spaces bucket instead of the clone.

Creates the state bucket once (private, versioned so every earlier state can be recovered), then writes two
files next to the configuration: `backend.tf` (an empty `backend "s3"` block) and `spaces.s3.tfbackend` (where
the state lives; no credentials). The S3 backend and this task read the Spaces key from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. Spaces speaks S3 but is not AWS, hence the skip_* settings.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling.instance import BACKEND_CONFIG, OperateError

ENDPOINT_ENV = "TFDOM_SPACES_ENDPOINT"  # an S3 endpoint other than https://<region>.digitaloceanspaces.com
BACKEND_FILE = "backend.tf"
BUCKET_NAME_RULE = "3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"


@dataclass(frozen=True)
class Backend:
    bucket: str
    key: str
    region: str
    endpoint: str


def endpoint(region: str) -> str:
    return os.environ.get(ENDPOINT_ENV) or f"https://{region}.digitaloceanspaces.com"


def credentials() -> tuple[str, str]:
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID", ""), os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not key or not secret:
        raise OperateError(
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a Spaces access key (control panel: Spaces Object "
            "Storage > Access Keys); terraform's S3 backend reads the same two variables"
        )
    return key, secret


def config_text(backend: Backend) -> str:
    """The partial backend configuration (`terraform init -backend-config=spaces.s3.tfbackend`)."""
    return f"""# Terraform state in DigitalOcean Spaces, written by ./run backend. Credentials are not here: export
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a Spaces key) before any terraform command.
bucket = "{backend.bucket}"
key    = "{backend.key}"
region = "us-east-1" # Spaces ignores it; the S3 client needs one

endpoints = {{
  s3 = "{backend.endpoint}"
}}

use_path_style              = true
skip_credentials_validation = true # no AWS STS behind Spaces
skip_requesting_account_id  = true
skip_metadata_api_check     = true
skip_region_validation      = true
skip_s3_checksum            = true # Spaces rejects the newer checksum headers
"""


BACKEND_BLOCK = """# The state lives where spaces.s3.tfbackend says (both written by ./run backend).
terraform {
  backend "s3" {}
}
"""


def _client(backend: Backend) -> Any:  # boto3 builds its clients at run time: no static type
    # Imported here, not at the top: boto3 is a good part of every `./run` task's start-up (tasks.py imports
    # this module) and only `./run backend` needs it.
    import boto3

    key, secret = credentials()
    return boto3.client(
        "s3",
        endpoint_url=backend.endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def create_bucket(backend: Backend) -> bool:
    """Create the bucket if it does not exist and turn versioning on; True when it was created now."""
    from botocore.exceptions import BotoCoreError, ClientError

    s3 = _client(backend)
    try:
        try:
            s3.head_bucket(Bucket=backend.bucket)
            created = False
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
                raise
            s3.create_bucket(Bucket=backend.bucket, ACL="private")
            created = True
        s3.put_bucket_versioning(Bucket=backend.bucket, VersioningConfiguration={"Status": "Enabled"})
    except (ClientError, BotoCoreError) as exc:
        raise OperateError(f"state bucket {backend.bucket} at {backend.endpoint}: {exc}") from exc
    return created


def setup(directory: Path, bucket: str, region: str, key: str) -> tuple[Backend, bool]:
    if not re.match(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", bucket):
        raise OperateError(f"bucket name {bucket!r} must be {BUCKET_NAME_RULE}")
    backend = Backend(bucket=bucket, key=key, region=region, endpoint=endpoint(region))
    created = create_bucket(backend)
    (directory / BACKEND_CONFIG).write_text(config_text(backend))
    (directory / BACKEND_FILE).write_text(BACKEND_BLOCK)
    return backend, created
