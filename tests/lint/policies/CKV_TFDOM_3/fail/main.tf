# Neither the database nor the Kubernetes cluster names a VPC: both land in the region's default VPC.
resource "digitalocean_database_cluster" "loose" {
  name       = "loose-pg"
  engine     = "pg"
  version    = "17"
  size       = "db-s-1vcpu-1gb"
  region     = "fra1"
  node_count = 1
}

resource "digitalocean_kubernetes_cluster" "loose" {
  name         = "loose"
  region       = "fra1"
  version      = "1.35.1-do.0"
  auto_upgrade = true

  maintenance_policy {
    day        = "sunday"
    start_time = "04:00"
  }

  node_pool {
    name       = "default"
    size       = "s-2vcpu-4gb"
    node_count = 2
  }
}
