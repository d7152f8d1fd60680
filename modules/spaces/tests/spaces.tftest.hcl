# Unit tests for modules/spaces with mocked DigitalOcean provider configurations (the default one for the
# DigitalOcean API and the `spaces` alias for the S3 API) and the real random provider: no account, no network.

mock_provider "digitalocean" {
  source = "../../tests/mocks/digitalocean"

  mock_resource "digitalocean_cdn" {
    defaults = {
      endpoint = "social-media-abc123.fra1.cdn.digitaloceanspaces.com"
    }
  }
}

mock_provider "digitalocean" {
  alias  = "spaces"
  source = "../../tests/mocks/digitalocean"

  mock_resource "digitalocean_spaces_bucket" {
    defaults = {
      bucket_domain_name = "social-media-abc123.fra1.digitaloceanspaces.com"
      urn                = "do:space:social-media-abc123"
    }
  }
}

variables {
  name   = "social"
  region = "fra1"
}

run "defaults_bucket_host_no_cdn" {
  command = apply

  assert {
    condition     = can(regex("^social-media-[0-9a-f]{6}$", digitalocean_spaces_bucket.this.name)) && output.bucket_name == digitalocean_spaces_bucket.this.name
    error_message = "The bucket name must derive from var.name plus a 6-hex suffix."
  }
  assert {
    condition     = digitalocean_spaces_bucket.this.acl == "private" && digitalocean_spaces_bucket.this.force_destroy == false
    error_message = "The bucket must be private and not force-destroyed by default."
  }
  assert {
    condition     = one(digitalocean_spaces_bucket.this.lifecycle_rule).abort_incomplete_multipart_upload_days == 7 && one(digitalocean_spaces_bucket.this.lifecycle_rule).enabled
    error_message = "A lifecycle rule must abort incomplete multipart uploads."
  }
  assert {
    condition     = toset(one(digitalocean_spaces_bucket_cors_configuration.this.cors_rule).allowed_methods) == toset(["GET", "HEAD"])
    error_message = "CORS must allow GET and HEAD for media."
  }
  assert {
    condition     = length(digitalocean_spaces_key.this.grant) == 1 && one(digitalocean_spaces_key.this.grant).bucket == digitalocean_spaces_bucket.this.name && one(digitalocean_spaces_key.this.grant).permission == "readwrite"
    error_message = "The app key must be read/write on this bucket only."
  }
  assert {
    condition     = length(digitalocean_cdn.this) == 0 && length(digitalocean_certificate.cdn) == 0 && length(digitalocean_record.cdn) == 0
    error_message = "Without cdn no CDN, certificate or record may be created."
  }
  assert {
    condition     = output.media_host == "social-media-abc123.fra1.digitaloceanspaces.com" && output.cdn_endpoint == null
    error_message = "Without a CDN media_host must fall back to the bucket host."
  }
  assert {
    condition     = output.s3_endpoint == "https://fra1.digitaloceanspaces.com" && output.s3_hostname == "fra1.digitaloceanspaces.com" && output.bucket_region == "fra1"
    error_message = "S3 endpoint and hostname must be the regional ones without the bucket."
  }
  assert {
    condition     = output.access_key_id == "DO00MOCKACCESSKEY" && output.secret_access_key == "mock-secret"
    error_message = "The bucket-scoped key must be exposed."
  }
}

run "name_override_and_options" {
  command = apply

  variables {
    spaces = {
      bucket_name          = "my-media"
      force_destroy        = true
      versioning           = true
      cors_allowed_origins = ["https://social.example.com"]
    }
  }

  assert {
    condition     = digitalocean_spaces_bucket.this.name == "my-media" && length(random_id.bucket) == 0
    error_message = "bucket_name must override the derived name and skip the random suffix."
  }
  assert {
    condition     = one(digitalocean_spaces_bucket.this.versioning).enabled && digitalocean_spaces_bucket.this.force_destroy
    error_message = "versioning and force_destroy must be passed through."
  }
  assert {
    condition     = one(digitalocean_spaces_bucket_cors_configuration.this.cors_rule).allowed_origins == toset(["https://social.example.com"])
    error_message = "CORS origins must be passed through."
  }
}

run "cdn_endpoint_without_custom_domain" {
  command = apply

  variables {
    spaces = { cdn = {} }
  }

  assert {
    condition     = length(digitalocean_cdn.this) == 1 && digitalocean_cdn.this[0].origin == "social-media-abc123.fra1.digitaloceanspaces.com"
    error_message = "cdn = {} must create one CDN endpoint in front of the bucket."
  }
  assert {
    condition     = length(digitalocean_certificate.cdn) == 0 && length(digitalocean_record.cdn) == 0
    error_message = "No custom domain: no certificate or DNS record."
  }
  assert {
    condition     = output.media_host == "social-media-abc123.fra1.cdn.digitaloceanspaces.com"
    error_message = "With a CDN and no custom domain media_host must be the CDN endpoint."
  }
}

run "cdn_custom_domain_in_do_zone" {
  command = apply

  variables {
    spaces       = { cdn = { custom_domain = "media.example.com" } }
    cdn_dns_zone = "example.com"
  }

  assert {
    condition     = length(digitalocean_certificate.cdn) == 1 && digitalocean_certificate.cdn[0].type == "lets_encrypt" && tolist(digitalocean_certificate.cdn[0].domains) == tolist(["media.example.com"])
    error_message = "A custom domain in a DigitalOcean zone must get a Let's Encrypt certificate."
  }
  assert {
    condition     = digitalocean_cdn.this[0].custom_domain == "media.example.com" && digitalocean_cdn.this[0].certificate_name == digitalocean_certificate.cdn[0].name
    error_message = "The CDN must serve the custom domain with the module's certificate."
  }
  assert {
    condition     = digitalocean_record.cdn[0].domain == "example.com" && digitalocean_record.cdn[0].name == "media" && digitalocean_record.cdn[0].type == "CNAME" && digitalocean_record.cdn[0].value == "social-media-abc123.fra1.cdn.digitaloceanspaces.com."
    error_message = "The CNAME must point the custom domain at the CDN endpoint."
  }
  assert {
    condition     = output.media_host == "media.example.com"
    error_message = "With a custom domain media_host must be that domain."
  }
}

run "cdn_custom_domain_with_existing_certificate" {
  command = apply

  variables {
    spaces = { cdn = { custom_domain = "media.example.org", certificate_name = "media-cert" } }
  }

  assert {
    condition     = length(digitalocean_certificate.cdn) == 0 && length(digitalocean_record.cdn) == 0
    error_message = "An existing certificate and DNS outside DigitalOcean: nothing but the CDN is created."
  }
  assert {
    condition     = digitalocean_cdn.this[0].certificate_name == "media-cert" && output.media_host == "media.example.org"
    error_message = "The given certificate must be used and media_host must be the custom domain."
  }
}

run "rejects_custom_domain_without_certificate_path" {
  command = plan

  variables {
    spaces = { cdn = { custom_domain = "media.example.com" } }
  }

  expect_failures = [var.cdn_dns_zone]
}

run "rejects_non_spaces_region" {
  command = plan

  variables {
    region = "nyc1"
  }

  expect_failures = [var.region]
}
