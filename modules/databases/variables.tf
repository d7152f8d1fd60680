# Inputs: names, region and VPC, and the settings of each database engine.

variable "name" {
  description = "Base name the database clusters derive from (`<name>-pg`, `<name>-valkey`, `<name>-search`). Lowercase letters, digits and hyphens, 3-32 characters, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "Variable name must be 3-32 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (DNS-safe)."
  }
}

variable "region" {
  description = "DigitalOcean region slug; must be the cluster's region so the databases share its VPC."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{3}[0-9]$", var.region))
    error_message = "Variable region must be a DigitalOcean region slug such as fra1, ams3, nyc3 or sfo3."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the database clusters join (the DOKS cluster's VPC): the app reaches them on private hosts only."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.vpc_id))
    error_message = "Variable vpc_id must be a VPC UUID."
  }
}

variable "kubernetes_cluster_id" {
  description = "ID of the DOKS cluster; every database firewall admits it with a `k8s` rule."
  type        = string

  validation {
    condition     = length(var.kubernetes_cluster_id) > 0
    error_message = "Variable kubernetes_cluster_id must be the DOKS cluster ID."
  }
}

variable "postgres" {
  description = <<-EOT
    Managed PostgreSQL for Mastodon.
    - `size`/`node_count`: `node_count` 1-3 (2 or 3 adds standby nodes for failover); the smallest size
      (db-s-1vcpu-1gb) cannot have standby nodes.
    - `database`/`user`: Mastodon's own database and user (never `defaultdb`/`doadmin`).
    - `pool_name`/`pool_size`: a PgBouncer pool in transaction mode; the app connects to it and uses the pool
      name as its database. `pool_size` null derives it from the plan's backend connections (25 per GB of RAM,
      minus 3 reserved) minus 5 kept for direct connections (migrations, maintenance jobs).
    - `extra_firewall_rules`: sources admitted besides the cluster, e.g. `{ type = "ip_addr", value = "203.0.113.7" }`.
    - `restore_from`: create the cluster from a point-in-time backup of the existing cluster `cluster_name` at
      `backup_created_at` (RFC 3339; null = its latest backup). The restored cluster is named
      `<name>-pg-<YYYYMMDDhhmm>` (`<name>-pg-restored` without a time) and replaces the current one, created first.
      Keep it set afterwards: removing it renames, and so replaces, the cluster again.
    - `read_replicas`: `count` read-only nodes (0-5, default 0) of `size` (null = the primary's), in the same
      region and VPC, admitting the same sources as the primary. DigitalOcean requires a read-only node at least
      as large as the primary, and replication needs a primary with at least 2 GB of RAM (so not db-s-1vcpu-1gb).
  EOT
  type = object({
    version          = optional(string, "17")
    size             = optional(string, "db-s-1vcpu-2gb")
    node_count       = optional(number, 1)
    storage_size_mib = optional(number)
    maintenance_window = optional(object({
      day  = optional(string, "sunday")
      hour = optional(string, "03:00")
    }), {})
    database  = optional(string, "mastodon")
    user      = optional(string, "mastodon")
    pool_name = optional(string, "mastodon-pool")
    pool_size = optional(number)
    extra_firewall_rules = optional(list(object({
      type  = string
      value = string
    })), [])
    restore_from = optional(object({
      cluster_name      = string
      backup_created_at = optional(string)
    }))
    read_replicas = optional(object({
      count = optional(number, 0)
      size  = optional(string)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^1[3-9]$", var.postgres.version))
    error_message = "Variable postgres.version must be a PostgreSQL major version from 13 to 19, e.g. \"17\"."
  }
  validation {
    condition     = can(regex("^(db|gd|so1_5|m|m3|c)-[a-z0-9-]+$", var.postgres.size))
    error_message = "Variable postgres.size must be a database size slug such as db-s-1vcpu-1gb, db-s-2vcpu-4gb or gd-2vcpu-8gb."
  }
  validation {
    condition     = contains([1, 2, 3], var.postgres.node_count)
    error_message = "Variable postgres.node_count must be 1, 2 or 3 (1 primary plus up to 2 standby nodes)."
  }
  validation {
    condition     = !(var.postgres.size == "db-s-1vcpu-1gb" && var.postgres.node_count > 1)
    error_message = "Variable postgres: db-s-1vcpu-1gb cannot have standby nodes; use node_count = 1 or a larger size."
  }
  validation {
    condition     = var.postgres.storage_size_mib == null || try(var.postgres.storage_size_mib >= 10240 && floor(var.postgres.storage_size_mib) == var.postgres.storage_size_mib, false)
    error_message = "Variable postgres.storage_size_mib must be a whole number of MiB, at least 10240 (10 GiB), or null for the plan's default."
  }
  validation {
    condition     = contains(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], var.postgres.maintenance_window.day) && can(regex("^([01][0-9]|2[0-3]):00$", var.postgres.maintenance_window.hour))
    error_message = "Variable postgres.maintenance_window needs day monday ... sunday and hour as HH:00 in UTC, e.g. 03:00."
  }
  validation {
    condition     = alltrue([for n in [var.postgres.database, var.postgres.user] : can(regex("^[a-z_][a-z0-9_]{0,62}$", n))]) && !contains(["doadmin", "postgres"], var.postgres.user) && !contains(["defaultdb", "postgres", "template0", "template1", "_dodb"], var.postgres.database)
    error_message = "Variable postgres.database and postgres.user must be lowercase SQL identifiers (letters, digits, _), and not the built-in doadmin/postgres user or defaultdb/postgres/template databases."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]{2,62}$", var.postgres.pool_name))
    error_message = "Variable postgres.pool_name must be 3-63 lowercase letters, digits, hyphens or underscores, starting with a letter."
  }
  validation {
    condition     = var.postgres.pool_size == null || try(var.postgres.pool_size >= 1 && floor(var.postgres.pool_size) == var.postgres.pool_size, false)
    error_message = "Variable postgres.pool_size must be a whole number >= 1, or null to derive it from the plan size."
  }
  validation {
    condition     = alltrue([for r in var.postgres.extra_firewall_rules : contains(["ip_addr", "droplet", "k8s", "tag", "app"], r.type) && length(r.value) > 0])
    error_message = "Variable postgres.extra_firewall_rules[*].type must be ip_addr, droplet, k8s, tag or app, with a non-empty value."
  }
  # The API takes any string and fails at apply (or, for a tag, admits nothing): check each value's form here.
  validation {
    condition = alltrue([for r in var.postgres.extra_firewall_rules : (
      r.type == "ip_addr" ? can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/([0-9]|[12][0-9]|3[0-2]))?$", r.value)) && can(cidrhost(strcontains(r.value, "/") ? r.value : "${r.value}/32", 0)) :
      r.type == "droplet" ? can(regex("^[1-9][0-9]*$", r.value)) :
      r.type == "tag" ? can(regex("^[A-Za-z0-9:_-]{1,255}$", r.value)) :
      # An unknown type is the rule above's to report.
      !contains(["k8s", "app"], r.type) || can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", r.value))
    )])
    error_message = "Variable postgres.extra_firewall_rules[*].value must match its type: ip_addr an IPv4 address or CIDR (203.0.113.7, 203.0.113.0/24), droplet a Droplet's numeric id, tag a tag name, k8s and app a UUID."
  }
  validation {
    condition     = contains([0, 1, 2, 3, 4, 5], var.postgres.read_replicas.count)
    error_message = "Variable postgres.read_replicas.count must be a whole number from 0 to 5."
  }
  # DigitalOcean: replication needs a primary with at least 2 GB of RAM (the standby-node rule, "due to the memory
  # requirements of replication"), and a read-only node's size must be equal to or larger than the primary's.
  validation {
    condition     = var.postgres.read_replicas.count == 0 || try(tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]) >= 2, false)
    error_message = "Variable postgres: DigitalOcean offers no read-only nodes for postgres.size ${var.postgres.size}; replication needs a plan with at least 2 GB of RAM, such as db-s-1vcpu-2gb (or set read_replicas.count = 0)."
  }
  validation {
    condition     = var.postgres.read_replicas.count == 0 || var.postgres.read_replicas.size == null || try(tonumber(regex("([0-9]+)gb$", coalesce(var.postgres.read_replicas.size, "-"))[0]) >= tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]) && can(regex("^(db|gd|so1_5|m|m3|c)-[a-z0-9-]+$", coalesce(var.postgres.read_replicas.size, "-"))), false)
    error_message = "Variable postgres.read_replicas.size must be a database size slug at least as large as postgres.size (DigitalOcean refuses smaller read-only nodes), or null for the primary's size."
  }
  validation {
    condition     = var.postgres.restore_from == null || try(can(regex("^[a-z][a-z0-9-]{1,61}[a-z0-9]$", var.postgres.restore_from.cluster_name)), false)
    error_message = "Variable postgres.restore_from.cluster_name must be the name of an existing PostgreSQL cluster of this account (lowercase letters, digits and hyphens), e.g. \"mastodon-pg\"."
  }
  validation {
    condition     = try(var.postgres.restore_from.backup_created_at == null, true) || try(can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$", var.postgres.restore_from.backup_created_at)) && can(formatdate("YYYY", var.postgres.restore_from.backup_created_at)), false)
    error_message = "Variable postgres.restore_from.backup_created_at must be an RFC 3339 time such as \"2026-11-30T04:00:00Z\" (a point within the source cluster's backup retention), or null for its latest backup."
  }
}

variable "valkey" {
  description = <<-EOT
    Managed Valkey (Redis-compatible) for Sidekiq queues, cache and streaming. Its eviction policy is always
    `noeviction`: Sidekiq's jobs must never be evicted; size it so queue spikes fit (a full Valkey refuses writes).
    `node_count` 2 adds the one standby node DigitalOcean allows a caching cluster, on plans of 2 GB or more.
  EOT
  type = object({
    version    = optional(string, "8")
    size       = optional(string, "db-s-1vcpu-1gb")
    node_count = optional(number, 1)
    maintenance_window = optional(object({
      day  = optional(string, "sunday")
      hour = optional(string, "04:00")
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^[7-9]$", var.valkey.version))
    error_message = "Variable valkey.version must be a Valkey major version such as \"8\"."
  }
  validation {
    condition     = can(regex("^(db|gd|m|m3|c)-[a-z0-9-]+$", var.valkey.size))
    error_message = "Variable valkey.size must be a database size slug such as db-s-1vcpu-1gb or db-s-1vcpu-2gb."
  }
  # DigitalOcean: a caching cluster has at most one standby node, and standby nodes need a plan with at least
  # 2 GB of RAM ("due to the memory requirements of replication"). The plan rule judges node_count 2 alone:
  # another count is the count rule's error.
  validation {
    condition     = contains([1, 2], var.valkey.node_count)
    error_message = "Variable valkey.node_count must be 1 or 2: a primary plus at most one standby node (DigitalOcean's limit for caching clusters)."
  }
  validation {
    condition     = var.valkey.node_count != 2 || try(tonumber(regex("([0-9]+)gb$", var.valkey.size)[0]) >= 2, false)
    error_message = "Variable valkey: standby nodes (node_count = 2) need a plan with at least 2 GB of RAM, such as db-s-1vcpu-2gb; valkey.size ${var.valkey.size} has less (or set node_count = 1)."
  }
  validation {
    condition     = contains(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], var.valkey.maintenance_window.day) && can(regex("^([01][0-9]|2[0-3]):00$", var.valkey.maintenance_window.hour))
    error_message = "Variable valkey.maintenance_window needs day monday ... sunday and hour as HH:00 in UTC, e.g. 04:00."
  }
}

variable "valkey_cache" {
  description = <<-EOT
    Optional second managed Valkey holding only Rails' cache, with eviction policy `allkeys-lru`: under memory
    pressure it drops the least recently used entries, while the main Valkey (`noeviction`) keeps Sidekiq's
    queues. Same region and VPC, behind a firewall admitting only the cluster; null (default) creates nothing.
  EOT
  type = object({
    version    = optional(string, "8")
    size       = optional(string, "db-s-1vcpu-1gb")
    node_count = optional(number, 1)
    maintenance_window = optional(object({
      day  = optional(string, "sunday")
      hour = optional(string, "04:00")
    }), {})
  })
  default = null

  validation {
    condition     = var.valkey_cache == null || can(regex("^[7-9]$", try(var.valkey_cache.version, "")))
    error_message = "Variable valkey_cache.version must be a Valkey major version such as \"8\"."
  }
  validation {
    condition     = var.valkey_cache == null || can(regex("^(db|gd|m|m3|c)-[a-z0-9-]+$", try(var.valkey_cache.size, "")))
    error_message = "Variable valkey_cache.size must be a database size slug such as db-s-1vcpu-1gb or db-s-1vcpu-2gb."
  }
  validation {
    condition     = var.valkey_cache == null || contains([1, 2], try(var.valkey_cache.node_count, 0))
    error_message = "Variable valkey_cache.node_count must be 1 or 2: a primary plus at most one standby node (DigitalOcean's limit for caching clusters)."
  }
  validation {
    condition     = try(var.valkey_cache.node_count, 1) != 2 || try(tonumber(regex("([0-9]+)gb$", var.valkey_cache.size)[0]) >= 2, false)
    error_message = "Variable valkey_cache: standby nodes (node_count = 2) need a plan with at least 2 GB of RAM, such as db-s-1vcpu-2gb (or set node_count = 1)."
  }
  validation {
    condition     = var.valkey_cache == null || (contains(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], try(var.valkey_cache.maintenance_window.day, "")) && can(regex("^([01][0-9]|2[0-3]):00$", try(var.valkey_cache.maintenance_window.hour, ""))))
    error_message = "Variable valkey_cache.maintenance_window needs day monday ... sunday and hour as HH:00 in UTC."
  }
}

variable "opensearch" {
  description = <<-EOT
    Optional managed OpenSearch for full-text search; null (the default) creates nothing. Mastodon officially
    supports Elasticsearch; OpenSearch works with its Elasticsearch client in practice but is not an officially
    supported backend: opt in knowingly.
  EOT
  type = object({
    version    = optional(string, "2")
    size       = optional(string, "db-s-1vcpu-2gb")
    node_count = optional(number, 1)
    maintenance_window = optional(object({
      day  = optional(string, "sunday")
      hour = optional(string, "05:00")
    }), {})
  })
  default = null

  validation {
    condition     = var.opensearch == null || can(regex("^[1-3]$", try(var.opensearch.version, "")))
    error_message = "Variable opensearch.version must be an OpenSearch major version such as \"2\"."
  }
  validation {
    condition     = var.opensearch == null || can(regex("^(db|gd|m|m3|c)-[a-z0-9-]+$", try(var.opensearch.size, "")))
    error_message = "Variable opensearch.size must be a database size slug such as db-s-1vcpu-2gb."
  }
  validation {
    condition     = var.opensearch == null || contains([1, 2, 3], try(var.opensearch.node_count, 0))
    error_message = "Variable opensearch.node_count must be 1, 2 or 3."
  }
  validation {
    condition     = var.opensearch == null || (contains(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], try(var.opensearch.maintenance_window.day, "")) && can(regex("^([01][0-9]|2[0-3]):00$", try(var.opensearch.maintenance_window.hour, ""))))
    error_message = "Variable opensearch.maintenance_window needs day monday ... sunday and hour as HH:00 in UTC."
  }
}

variable "tags" {
  description = "DigitalOcean tags applied to every database cluster."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for t in var.tags : can(regex("^[A-Za-z0-9:_-]{1,255}$", t))])
    error_message = "Variable tags must be DigitalOcean tag names: 1-255 letters, digits, colons, hyphens or underscores."
  }
}
