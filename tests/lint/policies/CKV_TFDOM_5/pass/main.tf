# Patch upgrades on Sunday mornings.
resource "digitalocean_kubernetes_cluster" "upgraded" {
  name         = "upgraded"
  region       = "fra1"
  version      = "1.35.1-do.0"
  vpc_uuid     = "7c4e1c6a-0000-4000-8000-000000000001"
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
