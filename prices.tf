# The monthly cost estimate (output cost_estimate_monthly_usd): DigitalOcean's list prices and what the inputs
# make of them. A rough guide, not a quote: bandwidth overage, volumes, snapshots and backups are not included,
# and sizes missing from the table are reported as unpriced instead of guessed.
#
# Prices in USD per month; source of record https://www.digitalocean.com/pricing. Checked on 2026-12-01:
# - HA control plane 40: as docs.digitalocean.com/products/kubernetes/details/pricing states.
# - Droplets (worker nodes are billed as Droplets): the table in force since 1 July 2022 (Basic s-2vcpu-4gb 24,
#   Premium AMD/Intel s-2vcpu-4gb 28), as published with that change.
# - Spaces 5, including 250 GiB of storage and 1 TiB of outbound transfer.
# - Load balancer 12 per node (one node here), the July 2022 price; the load balancer docs page available to the
#   check still showed the earlier 10, so this is the least certain figure.
# - Managed databases, single node, approximate: db-s-1vcpu-1gb 15, larger sizes in proportion. The cache Valkey
#   is priced like the main one; a PostgreSQL read-only node like a single-node cluster of its size.
# - Uptime 1 per check; alert policies and the metrics agent cost nothing.

locals {
  droplet_prices = {
    "s-1vcpu-2gb"       = 12, "s-2vcpu-2gb" = 18, "s-2vcpu-4gb" = 24, "s-4vcpu-8gb" = 48, "s-8vcpu-16gb" = 96,
    "s-2vcpu-4gb-intel" = 28, "s-2vcpu-4gb-amd" = 28, "s-4vcpu-8gb-intel" = 56, "s-4vcpu-8gb-amd" = 56,
  }
  database_prices = {
    "db-s-1vcpu-1gb" = 15, "db-s-1vcpu-2gb" = 30, "db-s-2vcpu-4gb" = 60, "db-s-4vcpu-8gb" = 120,
  }
  ha_control_plane_price = 40
  load_balancer_price    = 12
  spaces_price           = 5
  uptime_check_price     = 1

  # The trailing 0: a pool with no count at all is modules/doks' error to report, not a failing coalesce here.
  node_cost = {
    for role, pool in var.node_pools : role => {
      min = coalesce(pool.node_count, pool.min_nodes, 0) * lookup(local.droplet_prices, pool.size, 0)
      max = coalesce(pool.node_count, pool.max_nodes, 0) * lookup(local.droplet_prices, pool.size, 0)
    }
  }
  database_cost = merge(
    {
      postgres = var.postgres.node_count * lookup(local.database_prices, var.postgres.size, 0)
      valkey   = var.valkey.node_count * lookup(local.database_prices, var.valkey.size, 0)
    },
    var.opensearch == null ? {} : { opensearch = var.opensearch.node_count * lookup(local.database_prices, var.opensearch.size, 0) },
    local.valkey_cache_on ? { valkey_cache = var.valkey_cache.node_count * lookup(local.database_prices, var.valkey_cache.size, 0) } : {},
    # A read-only node is billed like a single-node cluster of its size.
    local.read_replica_count == 0 ? {} : { postgres_read_replicas = local.read_replica_count * lookup(local.database_prices, coalesce(var.postgres.read_replicas.size, var.postgres.size), 0) },
  )
  fixed_cost = {
    control_plane = var.cluster.ha ? local.ha_control_plane_price : 0
    load_balancer = local.load_balancer_price
    spaces        = local.spaces_price
    uptime_check  = var.monitoring == null ? 0 : local.uptime_check_price
  }
  unpriced_sizes = sort(distinct(concat(
    [for p in values(var.node_pools) : p.size if !contains(keys(local.droplet_prices), p.size)],
    [for s in compact([
      var.postgres.size, var.valkey.size, try(var.opensearch.size, null),
      local.valkey_cache_on ? var.valkey_cache.size : null,
      local.read_replica_count == 0 ? null : coalesce(var.postgres.read_replicas.size, var.postgres.size),
    ]) : s if !contains(keys(local.database_prices), s)],
  )))
  cost_fixed_total = sum(concat(values(local.database_cost), values(local.fixed_cost)))
}
