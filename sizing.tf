# What the root's plan-time checks on mastodon.sizing compare against: modules/mastodon-helm's presets (the same
# file that module reads) and the PgBouncer pool size of modules/databases. Nothing here derives from
# var.mastodon: a validation may not read locals built from its own variable (that is a cycle), so those checks
# spell their arithmetic out in variables.tf.

locals {
  sizing_presets = yamldecode(file("${path.module}/modules/mastodon-helm/presets.yaml"))

  # The pool modules/databases creates: postgres.pool_size, else 25 connections per GB of the plan's RAM minus 3
  # reserved and 5 kept for direct connections (20 for a size slug without a GB figure).
  postgres_memory_gb = try(tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]), null)
  postgres_pool_size = coalesce(var.postgres.pool_size, local.postgres_memory_gb == null ? 20 : max(1, 25 * local.postgres_memory_gb - 8))
}
