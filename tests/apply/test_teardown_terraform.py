"""The teardown's terraform commands run by real terraform, on a small root with the instance's addresses.

The root mirrors the addresses the teardown acts on (the application layer `module.mastodon.module.mastodon`,
the bucket and its CORS settings in `module.mastodon.module.spaces`, a VPC for the infrastructure) with the
DigitalOcean provider (or its schema double where the real one cannot be installed): the targeted destroy,
`state rm` and `-var=media_force_destroy=true` must be accepted by terraform itself and leave an empty state.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import Routes
from tooling import doapi, teardown, tfrun
from tooling.instance import Terraform

pytestmark = pytest.mark.providers("digitalocean")

PROVIDER = 'terraform {\n  required_providers {\n    digitalocean = { source = "digitalocean/digitalocean" }\n  }\n}\n'
FILES = {
    "main.tf": PROVIDER
    + """
variable "name" {
  type    = string
  default = "social"
}

variable "media_force_destroy" {
  type    = bool
  default = false
}

provider "digitalocean" {}

module "mastodon" {
  source        = "./instance"
  force_destroy = var.media_force_destroy
}

output "cluster_id" {
  value = module.mastodon.cluster_id
}

output "spaces_bucket_name" {
  value = module.mastodon.bucket
}
""",
    "instance/main.tf": PROVIDER
    + """
variable "force_destroy" {
  type = bool
}

module "doks" {
  source = "./doks"
}

module "spaces" {
  source        = "./spaces"
  force_destroy = var.force_destroy
}

module "mastodon" {
  source = "./app"
  vpc_id = module.doks.vpc_id
  bucket = module.spaces.bucket
}

output "cluster_id" {
  value = module.doks.vpc_id
}

output "bucket" {
  value = module.spaces.bucket
}
""",
    "instance/doks/main.tf": PROVIDER
    + """
resource "digitalocean_vpc" "this" {
  name   = "social-vpc"
  region = "fra1"
}

output "vpc_id" {
  value = digitalocean_vpc.this.id
}
""",
    "instance/spaces/main.tf": PROVIDER
    + """
variable "force_destroy" {
  type = bool
}

resource "digitalocean_spaces_bucket" "this" {
  name          = "social-media-1a2b3c"
  region        = "fra1"
  force_destroy = var.force_destroy
}

resource "digitalocean_spaces_bucket_cors_configuration" "this" {
  bucket = digitalocean_spaces_bucket.this.name
  region = "fra1"

  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}

output "bucket" {
  value = digitalocean_spaces_bucket.this.name
}
""",
    "instance/app/main.tf": """
variable "vpc_id" {
  type = string
}

variable "bucket" {
  type = string
}

resource "terraform_data" "release" {
  input = { vpc = var.vpc_id, bucket = var.bucket }
}
""",
}
EMPTY_API = Routes({path: (200, {key: [], "links": {}, "meta": {"total": 0}}) for _, path, key in doapi.LISTS})


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "instance"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "terraform.tfvars").write_text('name = "social"\n')
    return root


@pytest.mark.parametrize("delete_media", [False, True], ids=["keep-media", "delete-media"])
def test_real_terraform_accepts_the_teardown_sequence(
    delete_media: bool, tmp_path: Path, terraform: tfrun.Runner, api, monkeypatch
) -> None:
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", "dop_v1_offline")
    root = _root(tmp_path)
    tf = Terraform(binary=terraform.binary, cwd=root, env=dict(terraform.env), log=lambda _: None)
    tf.init()
    applied = tf.run(["apply", "-input=false", "-auto-approve"], capture=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "module.mastodon.module.spaces.digitalocean_spaces_bucket.this" in tf.state_list()

    base = api(EMPTY_API)
    lines: list[str] = []
    options = teardown.Options(yes=True, confirm_name="social", delete_media=delete_media, load_balancer_wait_seconds=0)
    found = teardown.teardown(
        root,
        options,
        log=lines.append,
        terraform=lambda d, log: Terraform(binary=terraform.binary, cwd=d, env=dict(terraform.env), log=log),
        api=lambda token: doapi.Api(token, base),
    )
    assert found == []
    assert tf.state_list() == [], "everything left the state: destroyed, or (the bucket) taken out of it"
    text = "\n".join(lines)
    assert text.index("== application layer") < text.index("== media") < text.index("== infrastructure")
    assert (root / teardown.KEPT_NOTE).exists() is not delete_media
    again = teardown.teardown(
        root,
        options,
        log=lines.append,
        terraform=lambda d, log: Terraform(binary=terraform.binary, cwd=d, env=dict(terraform.env), log=log),
        api=lambda token: doapi.Api(token, base),
    )
    assert again == [], "a second teardown of an empty state finishes cleanly"
