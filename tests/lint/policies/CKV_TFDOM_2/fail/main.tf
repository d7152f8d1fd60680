# A rule that admits the whole Internet is no named source.
resource "digitalocean_database_firewall" "wide" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"

  rule {
    type  = "k8s"
    value = "c0ffee00-0000-4000-8000-000000000002"
  }

  rule {
    type  = "ip_addr"
    value = "0.0.0.0/0"
  }
}
