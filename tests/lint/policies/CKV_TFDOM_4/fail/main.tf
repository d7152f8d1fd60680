# A bucket whose listing anyone may read.
resource "digitalocean_spaces_bucket" "listed" {
  name   = "listed-media"
  region = "fra1"
  acl    = "public-read"
}
