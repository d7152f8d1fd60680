# What a sizing preset turns on in the databases, from modules/mastodon-helm's presets (the same file that module
# reads), and the one check on mastodon.sizing that needs a root-only input (variables.tf: a preset's read-only node
# against postgres.size). modules/mastodon-helm checks everything else on var.mastodon.

locals {
  sizing_presets = yamldecode(file("${path.module}/modules/mastodon-helm/presets.yaml"))

  # What the preset turns on unless the inputs say otherwise: the cache Valkey and the read-only nodes. An unknown
  # preset is modules/mastodon-helm's to refuse (mastodon.sizing.preset); the small one stands in meanwhile, so
  # that the databases' inputs evaluate and that error, naming the input, is the one shown.
  sizing_preset      = try(local.sizing_presets[var.mastodon.sizing.preset], local.sizing_presets.small)
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
