# A database cluster with its firewall.
resource "digitalocean_database_cluster" "closed" {
  name                 = "closed-pg"
  engine               = "pg"
  version              = "17"
  size                 = "db-s-1vcpu-1gb"
  region               = "fra1"
  node_count           = 1
  private_network_uuid = "7c4e1c6a-0000-4000-8000-000000000001"
}

resource "digitalocean_database_firewall" "closed" {
  cluster_id = digitalocean_database_cluster.closed.id

  rule {
    type  = "k8s"
    value = "c0ffee00-0000-4000-8000-000000000002"
  }
}
