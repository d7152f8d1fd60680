# What the root's plan-time checks on mastodon.sizing compare against: modules/mastodon-helm's presets (the same
# file that module reads) and the PgBouncer pool size of modules/databases; and what a preset turns on in the
# databases. The checks on var.mastodon spell their own arithmetic out in variables.tf: a validation may not
# read locals built from its own variable (that is a cycle).

locals {
  sizing_presets = yamldecode(file("${path.module}/modules/mastodon-helm/presets.yaml"))

  # The pool modules/databases creates: postgres.pool_size, else 25 connections per GB of the plan's RAM minus 3
  # reserved and 5 kept for direct connections (20 for a size slug without a GB figure).
  postgres_memory_gb = try(tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]), null)
  postgres_pool_size = coalesce(var.postgres.pool_size, local.postgres_memory_gb == null ? 20 : max(1, 25 * local.postgres_memory_gb - 8))

  # What the preset turns on unless the inputs say otherwise: the cache Valkey and the read-only nodes.
  sizing_preset      = local.sizing_presets[var.mastodon.sizing.preset]
  valkey_cache_on    = coalesce(var.valkey_cache.enabled, local.sizing_preset.cache)
  read_replica_count = coalesce(var.postgres.read_replicas.count, local.sizing_preset.read_replicas)
  databases_postgres = merge(var.postgres, { read_replicas = { count = local.read_replica_count, size = var.postgres.read_replicas.size } })
  databases_valkey_cache = local.valkey_cache_on ? {
    version            = var.valkey_cache.version
    size               = var.valkey_cache.size
    node_count         = var.valkey_cache.node_count
    maintenance_window = var.valkey_cache.maintenance_window
  } : null
}
