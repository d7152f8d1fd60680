# Bucket, endpoint, media host and the app's key (sensitive) for Mastodon's S3 settings.

output "bucket_name" {
  description = "Name of the media bucket (S3_BUCKET)."
  value       = digitalocean_spaces_bucket.this.name
}

output "bucket_region" {
  description = "Region of the media bucket (S3_REGION)."
  value       = digitalocean_spaces_bucket.this.region
}

output "bucket_urn" {
  description = "URN of the media bucket, for project assignment."
  value       = digitalocean_spaces_bucket.this.urn
}

output "bucket_domain_name" {
  description = "Virtual-host name of the bucket, <bucket>.<region>.digitaloceanspaces.com."
  value       = digitalocean_spaces_bucket.this.bucket_domain_name
}

output "s3_endpoint" {
  description = "S3 API endpoint URL (S3_ENDPOINT), https://<region>.digitaloceanspaces.com; no bucket in it."
  value       = "https://${local.region}.digitaloceanspaces.com"
}

output "s3_hostname" {
  description = "S3 API host (S3_HOSTNAME), <region>.digitaloceanspaces.com; no bucket in it."
  value       = "${local.region}.digitaloceanspaces.com"
}

output "access_key_id" {
  description = "Access key id of the bucket-scoped read/write Spaces key the app uses."
  value       = digitalocean_spaces_key.this.access_key
  sensitive   = true
}

output "secret_access_key" {
  description = "Secret of the bucket-scoped Spaces key."
  value       = digitalocean_spaces_key.this.secret_key
  sensitive   = true
}

output "cdn_endpoint" {
  description = "DigitalOcean CDN endpoint host, or null without a CDN."
  value       = one(digitalocean_cdn.this[*].endpoint)
}

output "media_host" {
  description = "Public host media is served from (S3_ALIAS_HOST): the custom domain, else the CDN endpoint, else the bucket host."
  value       = local.media_host
}
