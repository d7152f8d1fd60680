# No automatic patch upgrades and no maintenance window.
resource "digitalocean_kubernetes_cluster" "frozen" {
  name         = "frozen"
  region       = "fra1"
  version      = "1.35.1-do.0"
  vpc_uuid     = "7c4e1c6a-0000-4000-8000-000000000001"
  auto_upgrade = false

  node_pool {
    name       = "default"
    size       = "s-2vcpu-4gb"
    node_count = 2
  }
}
