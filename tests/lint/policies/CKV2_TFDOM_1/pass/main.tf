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

# Clusters by role (for_each), each with its firewall: both iterate the same map (as modules/databases' Valkey
# clusters do), and the firewall names the instance by its own key.
resource "digitalocean_database_cluster" "keyed" {
  for_each = { queue = "noeviction", cache = "allkeys-lru" }

  name                 = "keyed-${each.key}"
  engine               = "valkey"
  version              = "8"
  size                 = "db-s-1vcpu-1gb"
  region               = "fra1"
  node_count           = 1
  private_network_uuid = "7c4e1c6a-0000-4000-8000-000000000001"
  eviction_policy      = each.value
}

resource "digitalocean_database_firewall" "keyed" {
  for_each = { queue = "noeviction", cache = "allkeys-lru" }

  cluster_id = digitalocean_database_cluster.keyed[each.key].id

  rule {
    type  = "k8s"
    value = "c0ffee00-0000-4000-8000-000000000002"
  }
}
