# The media bucket with CORS and lifecycle rules, its bucket-scoped key, and an optional CDN on a custom domain.

locals {
  region      = coalesce(var.spaces.region, var.region)
  bucket_name = var.spaces.bucket_name != null ? var.spaces.bucket_name : "${var.name}-media-${one(random_id.bucket[*].hex)}"

  custom_domain      = try(var.spaces.cdn.custom_domain, null)
  create_certificate = local.custom_domain != null && try(var.spaces.cdn.certificate_name, null) == null
  create_record      = local.custom_domain != null && var.cdn_dns_zone != null
  certificate_name   = local.create_certificate ? one(digitalocean_certificate.cdn[*].name) : try(var.spaces.cdn.certificate_name, null)

  # Mastodon's S3_ALIAS_HOST: the custom domain, else the CDN endpoint, else the bucket's own host.
  media_host = coalesce(local.custom_domain, one(digitalocean_cdn.this[*].endpoint), digitalocean_spaces_bucket.this.bucket_domain_name)
}

resource "random_id" "bucket" {
  count = var.spaces.bucket_name == null ? 1 : 0

  byte_length = 3
  keepers = {
    name = var.name
  }
}

# Private ACL: Mastodon uploads each object with its own public-read ACL, so only media is readable, never a
# listing of the bucket.
resource "digitalocean_spaces_bucket" "this" {
  provider = digitalocean.spaces

  name          = local.bucket_name
  region        = local.region
  acl           = "private"
  force_destroy = var.spaces.force_destroy

  versioning {
    enabled = var.spaces.versioning
  }

  # Interrupted uploads of large videos leave invisible parts that are billed until aborted.
  lifecycle_rule {
    id                                     = "abort-incomplete-multipart-uploads"
    enabled                                = true
    abort_incomplete_multipart_upload_days = var.spaces.abort_incomplete_multipart_upload_days
  }
}

resource "digitalocean_spaces_bucket_cors_configuration" "this" {
  provider = digitalocean.spaces

  bucket = digitalocean_spaces_bucket.this.name
  region = local.region

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = var.spaces.cors_allowed_origins
    allowed_headers = ["*"]
    max_age_seconds = 3000
  }
}

# The key the app uses at run time: read/write on this bucket only, so a leaked pod secret cannot touch
# any other bucket of the account.
resource "digitalocean_spaces_key" "this" {
  name = "${var.name}-media"

  grant {
    bucket     = digitalocean_spaces_bucket.this.name
    permission = "readwrite"
  }
}

# Let's Encrypt issuance through DigitalOcean works only for names in a DigitalOcean-managed zone.
resource "digitalocean_certificate" "cdn" {
  count = local.create_certificate ? 1 : 0

  name    = "${var.name}-media-cdn"
  type    = "lets_encrypt"
  domains = [local.custom_domain]

  lifecycle {
    create_before_destroy = true
  }
}

resource "digitalocean_cdn" "this" {
  count = var.spaces.cdn == null ? 0 : 1

  origin           = digitalocean_spaces_bucket.this.bucket_domain_name
  ttl              = var.spaces.cdn.ttl
  custom_domain    = local.custom_domain
  certificate_name = local.certificate_name
}

resource "digitalocean_record" "cdn" {
  count = local.create_record ? 1 : 0

  domain = var.cdn_dns_zone
  type   = "CNAME"
  name   = trimsuffix(local.custom_domain, ".${var.cdn_dns_zone}")
  # DNS needs the absolute name; the provider also reads CNAME targets back with the trailing dot.
  value = "${one(digitalocean_cdn.this[*].endpoint)}."
  ttl   = 1800
}
