# The cluster, and one operator address.
resource "digitalocean_database_firewall" "named" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"

  rule {
    type  = "k8s"
    value = "c0ffee00-0000-4000-8000-000000000002"
  }

  rule {
    type  = "ip_addr"
    value = "203.0.113.7"
  }
}
