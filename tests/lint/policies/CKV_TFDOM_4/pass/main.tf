# Private: objects are made public one by one by the application.
resource "digitalocean_spaces_bucket" "media" {
  name   = "private-media"
  region = "fra1"
  acl    = "private"
}
