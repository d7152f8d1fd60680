# Managed PostgreSQL (database, user, PgBouncer pool), Valkey and optional OpenSearch, each behind a firewall.

locals {
  # DigitalOcean PostgreSQL allows 25 backend connections per GB of RAM and reserves 3. The PgBouncer pool and
  # the direct connections (migrations, maintenance jobs, psql) share that budget, so the default pool leaves 5
  # for direct use. In transaction mode extra clients queue for a pool slot instead of failing.
  pg_memory_gb           = try(tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]), null)
  pg_backend_connections = local.pg_memory_gb == null ? null : 25 * local.pg_memory_gb - 3
  pg_pool_size           = coalesce(var.postgres.pool_size, local.pg_backend_connections == null ? 20 : max(1, local.pg_backend_connections - 5))

  # The only sources any database admits: the DOKS cluster (type k8s), plus the caller's extra PostgreSQL rules.
  cluster_rule   = { type = "k8s", value = var.kubernetes_cluster_id }
  postgres_rules = concat([local.cluster_rule], var.postgres.extra_firewall_rules)

  # Keys are the roles, known at plan; the cluster names are those of earlier versions (state moves in place).
  valkey_clusters = merge(
    { valkey = { name = "${var.name}-valkey", settings = var.valkey, eviction_policy = "noeviction" } },
    var.valkey_cache == null ? {} : { valkey-cache = { name = "${var.name}-cache", settings = var.valkey_cache, eviction_policy = "allkeys-lru" } },
  )
  valkey = digitalocean_database_cluster.valkey["valkey"]
  # The cache cluster, or null without valkey_cache (the outputs' splat of null is empty).
  valkey_cache = lookup(digitalocean_database_cluster.valkey, "valkey-cache", null)
  valkey_user  = local.valkey.user

  # A restored cluster gets a name of its own (suffixed with the backup time), so it can exist beside the cluster
  # it comes from: the plan creates it first and moves the database, user, pool and firewall to it.
  pg_restore_from = var.postgres.restore_from
  pg_restore_suffix = local.pg_restore_from == null ? "" : (
    local.pg_restore_from.backup_created_at == null ? "-restored" : "-${formatdate("YYYYMMDDhhmm", local.pg_restore_from.backup_created_at)}"
  )
  pg_cluster_name = "${var.name}-pg${local.pg_restore_suffix}"
}

resource "digitalocean_database_cluster" "postgres" {
  name                 = local.pg_cluster_name
  engine               = "pg"
  version              = var.postgres.version
  size                 = var.postgres.size
  node_count           = var.postgres.node_count
  region               = var.region
  private_network_uuid = var.vpc_id
  storage_size_mib     = var.postgres.storage_size_mib == null ? null : tostring(var.postgres.storage_size_mib)
  tags                 = var.tags

  maintenance_window {
    day  = var.postgres.maintenance_window.day
    hour = var.postgres.maintenance_window.hour
  }

  # Point-in-time restore: DigitalOcean builds the new cluster from the source cluster's backups (database_name
  # is the source cluster's name); without a time it takes the latest backup.
  dynamic "backup_restore" {
    for_each = local.pg_restore_from == null ? [] : [local.pg_restore_from]
    content {
      database_name     = backup_restore.value.cluster_name
      backup_created_at = backup_restore.value.backup_created_at
    }
  }

  # Never destroy the only copy of the data first: a replacement (such as switching to a restored cluster)
  # creates the new cluster, moves everything to it, then deletes the old one. A replacement that keeps the same
  # name fails at the API instead of deleting the database.
  lifecycle {
    create_before_destroy = true
  }
}

# Mastodon gets its own database and user; the cluster's defaultdb and doadmin stay unused by the app.
resource "digitalocean_database_db" "mastodon" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = var.postgres.database
}

resource "digitalocean_database_user" "mastodon" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = var.postgres.user
}

# Transaction pooling is what Mastodon's web and Sidekiq processes want (with prepared statements off); the
# pool is bound to the app user so PgBouncer opens backend connections as that user, never as doadmin.
resource "digitalocean_database_connection_pool" "mastodon" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = var.postgres.pool_name
  mode       = "transaction"
  size       = local.pg_pool_size
  db_name    = digitalocean_database_db.mastodon.name
  user       = digitalocean_database_user.mastodon.name

  lifecycle {
    precondition {
      condition     = local.pg_backend_connections == null || local.pg_pool_size <= local.pg_backend_connections - 2
      error_message = "Variable postgres.pool_size (${local.pg_pool_size}) is too large for postgres.size ${var.postgres.size}: it must leave at least 2 of the plan's ${coalesce(local.pg_backend_connections, 0)} backend connections (25 per GB minus 3 reserved) for direct connections (migrations)."
    }
  }
}

resource "digitalocean_database_firewall" "postgres" {
  cluster_id = digitalocean_database_cluster.postgres.id

  dynamic "rule" {
    for_each = local.postgres_rules
    content {
      type  = rule.value.type
      value = rule.value.value
    }
  }
}

# Read-only nodes: in the primary's region and VPC, reached on their private host. Users and databases
# replicate from the primary; each node has trusted sources of its own (DigitalOcean's API takes the node's
# uuid as the firewall's cluster), given the primary's rules below, so the same sources are admitted and no others.
resource "digitalocean_database_replica" "postgres" {
  count = var.postgres.read_replicas.count

  cluster_id           = digitalocean_database_cluster.postgres.id
  name                 = "${local.pg_cluster_name}-read-${count.index + 1}"
  region               = var.region
  size                 = coalesce(var.postgres.read_replicas.size, var.postgres.size)
  private_network_uuid = var.vpc_id
  tags                 = var.tags
}

resource "digitalocean_database_firewall" "postgres_replica" {
  count = var.postgres.read_replicas.count

  cluster_id = digitalocean_database_replica.postgres[count.index].uuid

  dynamic "rule" {
    for_each = local.postgres_rules
    content {
      type  = rule.value.type
      value = rule.value.value
    }
  }
}

# Streaming (Node) must be given this CA explicitly, or it either skips TLS or rejects the self-signed chain.
data "digitalocean_database_ca" "postgres" {
  cluster_id = digitalocean_database_cluster.postgres.id
}

# The Valkey clusters, one per role. "valkey" holds Sidekiq's queues and scheduled jobs, streaming's pub/sub and,
# without a cache cluster, Rails' cache: evicting keys would silently drop jobs, so it never evicts (a full
# Valkey refusing writes is loud and recoverable; lost jobs are not). "valkey-cache", with valkey_cache, holds
# Rails' cache alone: allkeys-lru evicts the least recently used entries when full, which is what a cache is for.
resource "digitalocean_database_cluster" "valkey" {
  for_each = local.valkey_clusters

  name                 = each.value.name
  engine               = "valkey"
  version              = each.value.settings.version
  size                 = each.value.settings.size
  node_count           = each.value.settings.node_count
  region               = var.region
  private_network_uuid = var.vpc_id
  tags                 = var.tags
  eviction_policy      = each.value.eviction_policy

  maintenance_window {
    day  = each.value.settings.maintenance_window.day
    hour = each.value.settings.maintenance_window.hour
  }
}

resource "digitalocean_database_firewall" "valkey" {
  for_each = local.valkey_clusters

  cluster_id = digitalocean_database_cluster.valkey[each.key].id

  rule {
    type  = local.cluster_rule.type
    value = local.cluster_rule.value
  }
}

# Where earlier versions kept them: the main Valkey without a key, the cache one counted.
moved {
  from = digitalocean_database_cluster.valkey
  to   = digitalocean_database_cluster.valkey["valkey"]
}

moved {
  from = digitalocean_database_firewall.valkey
  to   = digitalocean_database_firewall.valkey["valkey"]
}

moved {
  from = digitalocean_database_cluster.valkey_cache[0]
  to   = digitalocean_database_cluster.valkey["valkey-cache"]
}

moved {
  from = digitalocean_database_firewall.valkey_cache[0]
  to   = digitalocean_database_firewall.valkey["valkey-cache"]
}

resource "digitalocean_database_cluster" "opensearch" {
  count = var.opensearch == null ? 0 : 1

  name                 = "${var.name}-search"
  engine               = "opensearch"
  version              = var.opensearch.version
  size                 = var.opensearch.size
  node_count           = var.opensearch.node_count
  region               = var.region
  private_network_uuid = var.vpc_id
  tags                 = var.tags

  maintenance_window {
    day  = var.opensearch.maintenance_window.day
    hour = var.opensearch.maintenance_window.hour
  }
}

resource "digitalocean_database_firewall" "opensearch" {
  count = var.opensearch == null ? 0 : 1

  cluster_id = one(digitalocean_database_cluster.opensearch[*].id)

  rule {
    type  = local.cluster_rule.type
    value = local.cluster_rule.value
  }
}
