# Both in the VPC the configuration creates.
resource "digitalocean_vpc" "this" {
  name   = "placed-vpc"
  region = "fra1"
}

resource "digitalocean_database_cluster" "placed" {
  name                 = "placed-pg"
  engine               = "pg"
  version              = "17"
  size                 = "db-s-1vcpu-1gb"
  region               = "fra1"
  node_count           = 1
  private_network_uuid = digitalocean_vpc.this.id
}

resource "digitalocean_kubernetes_cluster" "placed" {
  name         = "placed"
  region       = "fra1"
  version      = "1.35.1-do.0"
  vpc_uuid     = digitalocean_vpc.this.id
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
