# Inputs of the whole instance: names, region, domain, DNS, and the settings passed to each submodule.
#
# One home per rule: an input the root hands to a submodule as it is (name, domain, tags, vpc, cluster,
# node_pools, postgres, valkey, opensearch, mastodon) has the submodule's type here and its validations there,
# under the same name, so an error names what was set here. The root validates only what no submodule sees whole:
# the region list of everything together, rules across inputs, and the inputs it takes apart. An input several
# submodules check reaches one of them, the others reading it back from that module's output (main.tf, module
# "doks"), so a bad value is reported once.
# tests/static/test_input_types.py keeps the repeated types in step.

variable "name" {
  description = "Base name every resource name derives from (cluster, VPC, databases, bucket, keys, project). Lowercase letters, digits and hyphens, 3-32 characters, starting with a letter."
  type        = string
}

variable "region" {
  description = "DigitalOcean region for everything (cluster, databases, bucket), one that offers DOKS, managed databases and Spaces: ams3, atl1, blr1, fra1, lon1, nyc3, sfo3, sgp1, syd1 or tor1."
  type        = string
  default     = "fra1"
  nullable    = false

  validation {
    condition     = contains(["ams3", "atl1", "blr1", "fra1", "lon1", "nyc3", "sfo3", "sgp1", "syd1", "tor1"], var.region)
    error_message = "Variable region must be a region with DOKS, managed databases and Spaces: ams3, atl1, blr1, fra1, lon1, nyc3, sfo3, sgp1, syd1 or tor1."
  }
}

variable "domain" {
  description = "The Mastodon web domain, e.g. social.example.com (lowercase FQDN). It cannot change once the instance federates."
  type        = string
}

variable "tags" {
  description = "DigitalOcean tags applied to the cluster, node pools and database clusters (letters, digits, :, - and _)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "vpc" {
  description = "Network: null `existing` creates a VPC `<name>-vpc` (with `ip_range`, an RFC1918 CIDR /16-/24 clear of the ranges DOKS reserves, or a DigitalOcean-chosen range when null) described by `description`; `existing = { id, ip_range }` places everything in a VPC you manage (give its ip_range to keep plans free of API reads). See modules/doks."
  type = object({
    ip_range = optional(string)
    existing = optional(object({
      id       = string
      ip_range = optional(string)
    }))
    description = optional(string, "Mastodon: cluster, databases and their private traffic")
  })
  default  = {}
  nullable = false
}

variable "cluster" {
  description = "DOKS cluster settings; see modules/doks (version prefix like \"1.35.\" or exact slug, explicit ha, auto/surge upgrade, maintenance window, destroy_all_associated_resources, control-plane allow-list, autoscaler, registry integration)."
  type = object({
    version                          = optional(string, "1.35.")
    ha                               = optional(bool, false)
    auto_upgrade                     = optional(bool, true)
    surge_upgrade                    = optional(bool, true)
    destroy_all_associated_resources = optional(bool, true)
    registry_integration             = optional(bool, false)
    maintenance_window = optional(object({
      day        = optional(string, "sunday")
      start_time = optional(string, "04:00")
    }), {})
    control_plane_allowed_addresses = optional(list(string))
    autoscaler = optional(object({
      scale_down_utilization_threshold = optional(number)
      scale_down_unneeded_time         = optional(string)
      expanders                        = optional(list(string))
    }))
  })
  default  = {}
  nullable = false
}

variable "node_pools" {
  description = "Node pools keyed by role: `default` (required) is the cluster's built-in pool; other keys (web, streaming, sidekiq, ...) become pools `<name>-<role>`. Each has a size slug and either node_count or min_nodes/max_nodes, plus labels, taints and tags. See modules/doks."
  type = map(object({
    size       = string
    node_count = optional(number)
    min_nodes  = optional(number)
    max_nodes  = optional(number)
    labels     = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = string
      effect = string
    })), [])
    tags = optional(list(string), [])
  }))
  default = {
    default = { size = "s-2vcpu-4gb", node_count = 2 }
  }
  nullable = false
}

variable "postgres" {
  description = "Managed PostgreSQL; see modules/databases (version, size, node_count 1-3 where >1 adds standby nodes, storage_size_mib, maintenance window, Mastodon's database/user, PgBouncer pool name and size, extra firewall sources, restore_from = { cluster_name, backup_created_at } to create it from a point-in-time backup, read_replicas = { count, size } for read-only nodes Mastodon reads from: count null = the sizing preset's, large: 1; size null = the primary's). ssl_mode (checked by modules/mastodon-helm): how streaming, the Jobs and the CronJobs check the server's certificate against the cluster CA (the chart's web and Sidekiq pods always use require): verify-ca (default), verify-full (also the host name) or require (encrypted, not checked)."
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
    ssl_mode = optional(string, "verify-ca")
    # count null: the sizing preset's (local.databases_postgres resolves it before modules/databases checks it).
    read_replicas = optional(object({
      count = optional(number)
      size  = optional(string)
    }), {})
  })
  default  = {}
  nullable = false
}

variable "valkey" {
  description = "Managed Valkey for Sidekiq, cache and streaming; eviction policy is always noeviction. See modules/databases."
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
}

variable "valkey_cache" {
  description = "A separate managed Valkey for Rails' cache, eviction policy allkeys-lru, so cache pressure never evicts Sidekiq's queues from the main (noeviction) Valkey; same VPC, firewall admitting only the cluster, wired over TLS like the main one. enabled null = the sizing preset's choice (large: on). The other attributes are modules/databases' valkey_cache, checked there when the cache is on."
  type = object({
    enabled    = optional(bool)
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
}

variable "opensearch" {
  description = "Optional managed OpenSearch (null = off, {} = on with defaults). Mastodon does not officially support OpenSearch (it supports Elasticsearch); opt in knowingly. See modules/databases."
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
}

variable "spaces" {
  description = <<-EOT
    Media storage; see modules/spaces, which checks these settings (the root checks key_wait_seconds and that the
    CDN's domain is not the web domain).
    - `region`: Spaces region, null = `region`.
    - `bucket_name`: null derives `<name>-media-<6 hex>`.
    - `create_admin_key`: create the account-wide Spaces key (bucket-creating `fullaccess`) that the caller's
      `digitalocean.spaces` provider configuration uses; false if you supply Spaces credentials yourself.
    - `key_wait_seconds`: how long the apply waits for that new key to be accepted by the S3 API before the
      bucket is created with it (polled with curl >= 7.75 on the machine running Terraform); 0 skips the wait.
    - `cdn`: null = no CDN; `{}` = CDN endpoint; `custom_domain` serves media from e.g. media.example.com (inside
      `dns.zone`: certificate and CNAME are created; elsewhere: give `certificate_name`).
  EOT
  type = object({
    region                                 = optional(string)
    bucket_name                            = optional(string)
    force_destroy                          = optional(bool, false)
    versioning                             = optional(bool, false)
    abort_incomplete_multipart_upload_days = optional(number, 7)
    cors_allowed_origins                   = optional(list(string), ["*"])
    create_admin_key                       = optional(bool, true)
    key_wait_seconds                       = optional(number, 300)
    cdn = optional(object({
      ttl              = optional(number, 3600)
      custom_domain    = optional(string)
      certificate_name = optional(string)
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.spaces.key_wait_seconds >= 0 && var.spaces.key_wait_seconds <= 1800 && floor(var.spaces.key_wait_seconds) == var.spaces.key_wait_seconds
    error_message = "Variable spaces.key_wait_seconds must be a whole number of seconds from 0 (no wait) to 1800."
  }
  validation {
    condition     = try(var.spaces.cdn.custom_domain, null) == null || try(var.spaces.cdn.custom_domain != var.domain, false)
    error_message = "Variable spaces.cdn.custom_domain must differ from var.domain: the web domain serves Mastodon itself."
  }
  # Across inputs: the module sees only the zone it is given, so only here can the error name dns.zone.
  validation {
    condition = try(var.spaces.cdn.custom_domain, null) == null || try(var.spaces.cdn.certificate_name, null) != null || try(
      var.dns.zone != null && endswith(var.spaces.cdn.custom_domain, ".${var.dns.zone}"), false
    )
    error_message = "Variable spaces.cdn.custom_domain must lie inside dns.zone (DNS managed in DigitalOcean: certificate and CNAME are created) or come with spaces.cdn.certificate_name (an existing certificate)."
  }
}

variable "project" {
  description = "Optional DigitalOcean project grouping every resource (cluster, databases, bucket, domain); null = resources stay in the account's default project. `name` null = `name`."
  type = object({
    name        = optional(string)
    description = optional(string, "Mastodon instance managed by terraform-digitalocean-mastodon")
    purpose     = optional(string, "Web Application")
    environment = optional(string, "Production")
  })
  default = null

  validation {
    condition     = var.project == null || contains(["Development", "Staging", "Production"], try(var.project.environment, ""))
    error_message = "Variable project.environment must be Development, Staging or Production."
  }
  validation {
    condition     = try(var.project.name, null) == null || can(regex("^.{1,175}$", try(var.project.name, "")))
    error_message = "Variable project.name must be 1-175 characters."
  }
  validation {
    condition     = var.project == null || length(try(var.project.description, "")) <= 255
    error_message = "Variable project.description must be at most 255 characters."
  }
}

variable "dns" {
  description = <<-EOT
    DNS in DigitalOcean. `zone` is the DigitalOcean-managed zone that holds `domain` (the domain itself or a
    parent, e.g. example.com for social.example.com); null means DNS is handled elsewhere and no records are
    created. `create_zone = true` creates that zone (`digitalocean_domain`); then delegate it to DigitalOcean's
    name servers at your registrar.
  EOT
  type = object({
    zone        = optional(string)
    create_zone = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.dns.zone == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.dns.zone, "x")))
    error_message = "Variable dns.zone must be a lowercase domain name such as example.com."
  }
  validation {
    # Compared in lowercase: a zone in capitals is the rule above's to report, not this one's.
    condition     = var.dns.zone == null || try(lower(var.domain) == lower(var.dns.zone) || endswith(lower(var.domain), ".${lower(var.dns.zone)}"), false)
    error_message = "Variable dns.zone must be the web domain itself or one of its parents (e.g. example.com for social.example.com)."
  }
  validation {
    condition     = !var.dns.create_zone || var.dns.zone != null
    error_message = "Variable dns.create_zone needs dns.zone: name the zone to create."
  }
}

variable "admin" {
  description = "The instance's first admin (Owner) account, created once after the first install; its e-mail also registers the ACME (Let's Encrypt) account unless mastodon.acme_email is set. Set null to create no admin. See modules/mastodon-helm."
  type = object({
    username = optional(string, "owner")
    email    = string
  })
}

variable "smtp" {
  description = "Outgoing mail (sign-up confirmations, notifications). DigitalOcean blocks ports 25, 465 and 587, so the port defaults to 2525; `tls` (implicit TLS) and `enable_starttls` (auto, always, never) exclude each other; `domain` is the HELO domain (null = the instance's). Login and password reach the cluster only as a Kubernetes Secret. See modules/mastodon-helm."
  type = object({
    server          = string
    port            = optional(number, 2525)
    login           = string
    password        = string
    from_address    = string
    domain          = optional(string)
    auth_method     = optional(string, "plain")
    enable_starttls = optional(string, "auto")
    tls             = optional(bool, false)
  })
  sensitive = true
}

variable "mastodon" {
  description = "The application layer: image tag, namespace, alternate domains, ACME account (acme_email null = admin.email), request body limit, sizing preset and its overrides (replicas, Sidekiq pools, autoscaling), cleanup CronJobs (retention and schedules), chart sources (a local path or .tgz with repository = null plans offline and serves air-gapped installs), and `metrics` (null = off; {} = the chart's Prometheus exporter for web and Sidekiq on container port `prometheus`, 9394, at /metrics). modules/mastodon-helm takes it as it is and checks it."
  type = object({
    version             = optional(string, "v4.6.2")
    namespace           = optional(string, "mastodon")
    alternate_domains   = optional(list(string), [])
    acme_email          = optional(string)
    acme_server         = optional(string, "https://acme-v02.api.letsencrypt.org/directory")
    max_request_body_mb = optional(number, 128)
    sizing = optional(object({
      preset             = optional(string, "small")
      web_replicas       = optional(number)
      streaming_replicas = optional(number)
      sidekiq = optional(list(object({
        name        = string
        queues      = list(object({ name = string, weight = optional(number) }))
        concurrency = optional(number, 10)
        replicas    = optional(number, 1)
        resources = optional(object({
          requests = optional(map(string), {})
          limits   = optional(map(string), {})
        }), {})
        placement = optional(string, "sidekiq")
      })))
      autoscaling = optional(object({
        enabled        = optional(bool)
        metrics_server = optional(bool, true)
        web = optional(object({
          min_replicas   = optional(number)
          max_replicas   = optional(number)
          cpu_percent    = optional(number)
          memory_percent = optional(number)
        }), {})
        streaming = optional(object({
          min_replicas   = optional(number)
          max_replicas   = optional(number)
          cpu_percent    = optional(number)
          memory_percent = optional(number)
        }), {})
      }), {})
    }), {})
    maintenance = optional(object({
      media_retention_days         = optional(number, 7)
      preview_cards_retention_days = optional(number, 30)
      media_schedule               = optional(string, "17 3 * * *")
      preview_cards_schedule       = optional(string, "47 3 * * *")
      orphans_schedule             = optional(string, "23 4 * * 0")
    }), {})
    charts = optional(object({
      mastodon       = optional(object({ repository = optional(string), chart = string, version = optional(string) }), { repository = "https://mastodon.github.io/helm-charts/", chart = "mastodon", version = "1.0.2" })
      traefik        = optional(object({ repository = optional(string), chart = string, version = optional(string) }), { repository = "https://traefik.github.io/charts", chart = "traefik", version = "37.4.0" })
      cert_manager   = optional(object({ repository = optional(string), chart = string, version = optional(string) }), { repository = "https://charts.jetstack.io", chart = "cert-manager", version = "v1.19.1" })
      metrics_server = optional(object({ repository = optional(string), chart = string, version = optional(string) }), { repository = "https://kubernetes-sigs.github.io/metrics-server/", chart = "metrics-server", version = "3.13.0" })
    }), {})
    metrics = optional(object({
      port     = optional(number, 9394)
      detailed = optional(bool, false)
    }))
  })
  default  = {}
  nullable = false

  # DigitalOcean's rule for read-only nodes (a primary with at least 2 GB of RAM), for a count left to the preset;
  # modules/databases checks a count given in postgres.read_replicas itself. Root-only: modules/mastodon-helm
  # never sees postgres.size. It reads the presets file, not local.sizing_preset, which is built from this very
  # variable (a cycle); an unknown preset is modules/mastodon-helm's to refuse.
  validation {
    condition     = var.postgres.read_replicas.count != null || try(local.sizing_presets[var.mastodon.sizing.preset].read_replicas, 0) == 0 || try(tonumber(regex("([0-9]+)gb$", var.postgres.size)[0]) >= 2, false)
    error_message = "Variable mastodon.sizing.preset ${var.mastodon.sizing.preset} asks for a PostgreSQL read-only node, but DigitalOcean offers no read-only nodes for postgres.size ${var.postgres.size} (replication needs a primary with at least 2 GB of RAM): choose a larger postgres.size or set postgres.read_replicas.count = 0."
  }
}

variable "existing_secrets" {
  description = "Application secrets of an instance migrating in (secret_key_base, the VAPID pair, the three ActiveRecord encryption values, and otp_secret for instances older than 4.3); each value set replaces the generated one. The VAPID pair and the three encryption values come whole; values are checked in modules/mastodon-helm/modules/secrets."
  type = object({
    secret_key_base       = optional(string)
    vapid_private_key     = optional(string)
    vapid_public_key      = optional(string)
    are_primary_key       = optional(string)
    are_deterministic_key = optional(string)
    are_derivation_salt   = optional(string)
    otp_secret            = optional(string)
  })
  default   = {}
  nullable  = false
  sensitive = true
}

variable "monitoring" {
  description = <<-EOT
    Alerts from DigitalOcean's own monitoring, on by default; null turns them all off. Every alert e-mails the admin
    (`admin.email`) plus `extra_emails` (addresses verified on the DigitalOcean account) and, with `slack`, posts to
    a Slack incoming webhook.
    - `uptime`: a check on https://<domain>/health from `regions`, alerting when down for `down_period`, slower than
      `latency_ms` for `latency_period`, or when the TLS certificate expires within `tls_expiry_days`.
    - `databases` / `nodes`: CPU, memory and disk alerts in percent for every managed database (OpenSearch only when
      on) and for every cluster node (selected by the cluster's node tag), fired after `window` above threshold.
    See modules/monitoring, which checks these settings.
  EOT
  type = object({
    extra_emails = optional(list(string), [])
    slack = optional(object({
      url     = string
      channel = string
    }))
    uptime = optional(object({
      regions         = optional(list(string), ["us_east", "eu_west"])
      down_period     = optional(string, "2m")
      latency_ms      = optional(number, 2000)
      latency_period  = optional(string, "5m")
      tls_expiry_days = optional(number, 14)
    }), {})
    window = optional(string, "10m")
    databases = optional(object({
      cpu_percent    = optional(number, 80)
      memory_percent = optional(number, 90)
      disk_percent   = optional(number, 80)
    }), {})
    nodes = optional(object({
      cpu_percent    = optional(number, 85)
      memory_percent = optional(number, 90)
      disk_percent   = optional(number, 85)
    }), {})
  })
  default = {}

  # Across inputs: the module only sees the addresses; where they come from (the admin) is decided here.
  validation {
    condition     = var.monitoring == null || var.admin != null || length(try(var.monitoring.extra_emails, [])) > 0
    error_message = "Variable monitoring needs someone to tell: with admin = null, list monitoring.extra_emails (or set monitoring = null)."
  }
}
