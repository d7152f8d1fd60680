# The inputs the native tests of this module share (minimal settings); `terraform test` and `tofu test` both
# read a terraform.tfvars in the test directory, and a file's or a run's own `variables` win over it
# (production.tftest.hcl sets every one of them itself).
name = "social"
domain = {
  local_domain = "social.example.org"
}
postgres = {
  pool_host      = "private-db.example.db.ondigitalocean.com"
  pool_name      = "mastodon-pool"
  direct_host    = "private-db.example.db.ondigitalocean.com"
  database       = "mastodon"
  user           = "mastodon"
  password       = "pg-password-not-in-values"
  ca_certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
}
valkey = {
  host     = "private-valkey.example.db.ondigitalocean.com"
  password = "valkey-password-not-in-values"
}
s3 = {
  bucket            = "social-media"
  region            = "ams3"
  endpoint          = "https://ams3.digitaloceanspaces.com"
  hostname          = "ams3.digitaloceanspaces.com"
  access_key_id     = "DO00ACCESSKEY"
  secret_access_key = "spaces-secret-not-in-values"
  alias_host        = "social-media.ams3.cdn.digitaloceanspaces.com"
}
smtp = {
  server       = "smtp.example.net"
  login        = "mailer"
  password     = "smtp-password-not-in-values"
  from_address = "notifications@social.example.org"
}
trusted_proxy_cidrs = ["10.110.0.0/20", "10.244.0.0/16"]
# No admin here, so the ACME account needs its own address.
mastodon = {
  namespace  = "mastodon"
  acme_email = "admin@social.example.org"
}
