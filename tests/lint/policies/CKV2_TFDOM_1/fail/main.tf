# A database cluster that no database firewall names.
resource "digitalocean_database_cluster" "open" {
  name                 = "open-pg"
  engine               = "pg"
  version              = "17"
  size                 = "db-s-1vcpu-1gb"
  region               = "fra1"
  node_count           = 1
  private_network_uuid = "7c4e1c6a-0000-4000-8000-000000000001"
}

# Clusters by role (for_each) that no database firewall names.
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
