# The inputs every native test of the root shares; `terraform test` and `tofu test` both read a terraform.tfvars
# in the test directory, and a file's or a run's own `variables` win over it.
name   = "mastodon"
domain = "social.example.com"
# Applies here are mocked: the wait for the new Spaces key would poll the real S3 API. Plans keep it on.
spaces = { key_wait_seconds = 0 }
admin  = { email = "admin@example.com" }
smtp = {
  server       = "smtp.example.net"
  login        = "apikey"
  password     = "mock-smtp-password"
  from_address = "notifications@example.com"
}
