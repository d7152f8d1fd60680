# Inputs: the domain, the managed services' connection details, SMTP, admin, and `mastodon` (the application
# layer: version, namespace, sizing, maintenance, chart sources, metrics), the root's input of that name as it is.

variable "name" {
  type        = string
  description = "Name of the Helm release and prefix of every object this module creates (DNS-safe, 1-40 characters)."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", var.name))
    error_message = "name must be 1-40 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "domain" {
  type = object({
    local_domain = string
    web_domain   = optional(string)
  })
  description = "LOCAL_DOMAIN (the handle domain, never changes once federating) and optional WEB_DOMAIN (where the site is served; then LOCAL_DOMAIN/.well-known must redirect there). Further domains: mastodon.alternate_domains."

  validation {
    condition = alltrue([
      for d in concat([var.domain.local_domain], compact([var.domain.web_domain])) :
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", d))
    ])
    error_message = "domain.local_domain and domain.web_domain must be lowercase fully qualified host names without scheme or trailing dot."
  }
}

variable "postgres" {
  type = object({
    pool_host      = string
    pool_port      = optional(number, 25061)
    pool_name      = string
    direct_host    = string
    direct_port    = optional(number, 25060)
    database       = string
    user           = string
    password       = string
    ca_certificate = string
    ssl_mode       = optional(string, "verify-ca")
    pool_size      = optional(number)
  })
  description = "Managed PostgreSQL from the databases module: the PgBouncer pool (what the app uses; database = pool name), the direct connection (migrations), the app user and password (pass a sensitive value), the cluster CA and how streaming, the Jobs and the CronJobs check the server with it (the chart's web and Sidekiq pods cannot mount the CA and use require), and the pool's size (when given, the plan checks that web and Sidekiq threads at their most replicas fit it). ssl_mode: verify-ca (default: the server certificate must be signed by ca_certificate), verify-full (also checks that the certificate names the host) or require (encrypted, the certificate is not checked: only to work around a broken chain)."

  validation {
    condition     = contains(["verify-full", "verify-ca", "require"], var.postgres.ssl_mode)
    error_message = "postgres.ssl_mode must be verify-full, verify-ca or require (every connection is encrypted; require skips the certificate check)."
  }

  validation {
    condition     = startswith(trimspace(var.postgres.ca_certificate), "-----BEGIN CERTIFICATE-----")
    error_message = "postgres.ca_certificate must be a PEM certificate."
  }
}

variable "valkey" {
  type = object({
    host     = string
    port     = optional(number, 25061)
    password = string
    tls      = optional(bool, true)
  })
  description = "Managed Valkey from the databases module. tls = true (DigitalOcean's default): every pod, including migration Jobs and CronJobs, connects with rediss:// (REDIS_URL built in the pod env from the Secret, REDIS_DRIVER=ruby). tls = false: plain redis:// inside the VPC; only valid when the Valkey cluster's ssl setting is turned off."
}

variable "valkey_cache" {
  type = object({
    host     = string
    port     = optional(number, 25061)
    password = string
  })
  description = "Optional separate managed Valkey for Rails' cache (allkeys-lru), so cache pressure never evicts Sidekiq's queues in the main Valkey. Reached the same way as the main one (valkey.tls): CACHE_REDIS_URL rediss:// built in the pod env from the Secret-backed CACHE_REDIS_PASSWORD. null (default): the cache shares the main Valkey."
  default     = null
}

variable "postgres_read_replica" {
  type = object({
    host     = string
    port     = optional(number, 25060)
    database = string
  })
  description = "Optional PostgreSQL read-only node Mastodon sends reads to (REPLICA_DB_*; streaming reads from it too). The app user and password are the primary's (users replicate) and TLS is verified as for the primary: the node's certificate comes from the same cluster CA. null (default): every read goes to the primary."
  default     = null
}

variable "s3" {
  type = object({
    bucket            = string
    region            = string
    endpoint          = string
    hostname          = string
    access_key_id     = string
    secret_access_key = string
    alias_host        = optional(string)
  })
  description = "Spaces from the spaces module: bucket, region, endpoint (https://<region>.digitaloceanspaces.com), hostname (<region>.digitaloceanspaces.com, no bucket), the bucket-scoped key (secret: pass a sensitive value) and the public media host (CDN or custom domain)."

  validation {
    condition     = startswith(var.s3.endpoint, "https://") && !strcontains(var.s3.hostname, "/") && !startswith(var.s3.hostname, "${var.s3.bucket}.")
    error_message = "s3.endpoint must start with https:// and s3.hostname must be a bare host without the bucket in it."
  }
}

variable "smtp" {
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
  description = "Outgoing mail. DigitalOcean blocks 25, 465 and 587, hence port 2525 by default. `tls` is implicit TLS from the first byte (SMTPS), `enable_starttls` upgrades a plain connection (auto, always, never): the two exclude each other. login/password reach the chart only through a Secret (pass a sensitive password)."

  validation {
    condition     = can(regex("^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$", var.smtp.server)) || can(cidrhost("${var.smtp.server}/32", 0))
    error_message = "Variable smtp.server must be the relay's host name (e.g. smtp.mailgun.org) or IPv4 address, without scheme, port or path."
  }
  validation {
    condition     = try(var.smtp.port >= 1 && var.smtp.port <= 65535 && floor(var.smtp.port) == var.smtp.port, false) && !contains([25, 465, 587], var.smtp.port)
    error_message = "Variable smtp.port must be a TCP port other than 25, 465 and 587 (DigitalOcean blocks them): use 2525 or your mail provider's alternative port."
  }
  validation {
    condition     = can(regex("^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$", var.smtp.from_address)) || can(regex("^[^<>@]*<[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+>$", var.smtp.from_address))
    error_message = "Variable smtp.from_address must be an e-mail address, optionally with a display name (\"Mastodon <notifications@example.com>\")."
  }
  validation {
    condition     = contains(["plain", "login", "cram_md5", "none"], var.smtp.auth_method)
    error_message = "Variable smtp.auth_method must be plain, login, cram_md5 or none."
  }
  validation {
    condition     = var.smtp.auth_method == "none" || (trimspace(var.smtp.login) != "" && var.smtp.password != "")
    error_message = "Variable smtp.login and smtp.password must be set for auth_method plain, login or cram_md5 (auth_method = \"none\" sends without them)."
  }
  validation {
    condition     = contains(["auto", "always", "never"], var.smtp.enable_starttls)
    error_message = "Variable smtp.enable_starttls must be auto, always or never."
  }
  # Mastodon hands both to the mail gem, which refuses :tls together with :enable_starttls at the first mail.
  validation {
    condition     = !(var.smtp.tls && var.smtp.enable_starttls == "always")
    error_message = "Variable smtp: tls = true (implicit TLS) and enable_starttls = \"always\" exclude each other; set enable_starttls = \"never\" for an SMTPS relay, or tls = false to upgrade with STARTTLS."
  }
  validation {
    condition     = var.smtp.domain == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.smtp.domain, "-")))
    error_message = "Variable smtp.domain must be a lowercase host name (the HELO domain), or null for the instance's domain."
  }
}

variable "admin" {
  type = object({
    username = optional(string, "owner")
    email    = string
  })
  description = "First admin (Owner) account, created once by a Job after the first install with a password Terraform generates; its username, email and password are kept in the Secret mastodon-admin-credentials of the namespace (output admin_secret). null creates none."
  default     = null

  validation {
    condition     = var.admin == null || try(can(regex("^[A-Za-z0-9_]{1,30}$", var.admin.username)) && can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.admin.email)), false)
    error_message = "Variable admin needs username of 1-30 letters, digits or underscores and email an e-mail address (or admin = null)."
  }
}

variable "trusted_proxy_cidrs" {
  type        = list(string)
  description = "CIDRs whose X-Forwarded-For Mastodon trusts (TRUSTED_PROXY_IP) and that may send PROXY protocol headers to Traefik: the VPC range (load balancer, nodes) and the cluster's pod subnet (Traefik pods)."

  validation {
    condition     = length(var.trusted_proxy_cidrs) > 0 && alltrue([for c in var.trusted_proxy_cidrs : can(cidrhost(c, 0))])
    error_message = "trusted_proxy_cidrs must be a non-empty list of CIDR blocks."
  }
}

variable "node_pools" {
  type = map(object({
    name   = string
    labels = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string, "")
      effect = string
    })), [])
  }))
  description = "Node pools by role from the doks module. Pools keyed web, streaming and sidekiq receive those workloads (node selector + tolerations); absent roles run anywhere."
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue(flatten([for pool in values(var.node_pools) : [for t in pool.taints : contains(["NoSchedule", "PreferNoSchedule", "NoExecute"], t.effect)]]))
    error_message = "node_pools[*].taints[*].effect must be NoSchedule, PreferNoSchedule or NoExecute."
  }
}

# Not part of the root's `mastodon`: a DigitalOcean token in the cluster is a choice for whoever calls this module
# directly (the root solves HTTP-01 and hands no token to the cluster).
variable "dns01_digitalocean" {
  type = object({
    token = string
  })
  description = "Solve cert-manager's ACME challenges with DNS-01 through DigitalOcean instead of HTTP-01 (null, the default: no DigitalOcean token in the cluster). The token (pass a sensitive value) is stored in a Secret in the cert-manager namespace."
  default     = null
}

variable "existing_secrets" {
  type = object({
    secret_key_base       = optional(string)
    vapid_private_key     = optional(string)
    vapid_public_key      = optional(string)
    are_primary_key       = optional(string)
    are_deterministic_key = optional(string)
    are_derivation_salt   = optional(string)
    otp_secret            = optional(string)
  })
  description = "Secrets of an instance migrating in; each value set replaces the generated one. The VAPID pair and the three ActiveRecord encryption values go together (a half replaced set breaks push subscriptions or encrypted columns). otp_secret (Mastodon < 4.3 instances) is given to the migration Jobs so legacy two-factor secrets can be migrated."
  default     = {}
  nullable    = false
  sensitive   = true
}

variable "opensearch" {
  type = object({
    host     = string
    port     = optional(number, 25060)
    user     = string
    password = string
    preset   = optional(string, "single_node_cluster")
  })
  description = "Optional full-text search. DigitalOcean's managed engine is OpenSearch, which Mastodon does not officially support: opt-in at your own risk; null (default) leaves search off."
  default     = null

  validation {
    condition     = var.opensearch == null || contains(["single_node_cluster", "small_cluster", "large_cluster"], try(var.opensearch.preset, ""))
    error_message = "opensearch.preset must be single_node_cluster, small_cluster or large_cluster."
  }
}

variable "timeouts" {
  type = object({
    release_seconds   = optional(number, 900)
    migration_minutes = optional(number, 30)
  })
  description = "How long to wait for Helm releases and for the migration Jobs."
  default     = {}
  nullable    = false
}

variable "postgres_bootstrap" {
  type = object({
    admin_user     = string
    admin_password = string
    statements     = list(string)
    image          = optional(string, "postgres:17-alpine")
    ssl_mode       = optional(string)
  })
  description = "One-off SQL run as the cluster's admin user before the first db:prepare: on managed PostgreSQL 15+ the database belongs to doadmin and only the owner may create tables in schema public. Pass the databases module's postgres_admin_user, postgres_admin_password and postgres_bootstrap_sql. image: a psql image with a pinned major (runs as uid 70, the alpine images' postgres user); ssl_mode: require, verify-ca or verify-full, null (default) for postgres.ssl_mode. The credentials only reach a Secret; null (default) runs nothing."
  default     = null
  sensitive   = true

  validation {
    condition     = var.postgres_bootstrap == null || try(length(var.postgres_bootstrap.statements) > 0 && alltrue([for s in var.postgres_bootstrap.statements : trimspace(trimsuffix(trimspace(s), ";")) != ""]), false)
    error_message = "postgres_bootstrap.statements must be a non-empty list of non-empty SQL statements."
  }

  validation {
    condition     = var.postgres_bootstrap == null || try(trimspace(var.postgres_bootstrap.admin_user) != "" && var.postgres_bootstrap.admin_password != "", false)
    error_message = "postgres_bootstrap.admin_user and postgres_bootstrap.admin_password must be set."
  }

  validation {
    condition     = var.postgres_bootstrap == null || try(can(regex("^[^@\\s]+:[0-9]+[0-9A-Za-z._-]*(@sha256:[0-9a-f]{64})?$", var.postgres_bootstrap.image)) || can(regex("^[^@\\s]+@sha256:[0-9a-f]{64}$", var.postgres_bootstrap.image)), false)
    error_message = "postgres_bootstrap.image must pin a major version (a tag starting with a digit, such as postgres:17-alpine) or a digest; latest, alpine or no tag are refused."
  }

  validation {
    condition     = var.postgres_bootstrap == null || contains(["require", "verify-ca", "verify-full"], try(coalesce(var.postgres_bootstrap.ssl_mode, "verify-ca"), ""))
    error_message = "postgres_bootstrap.ssl_mode must be require, verify-ca or verify-full: the admin password never crosses an unencrypted connection."
  }

  # Cross-variable (Terraform >= 1.9): the admin is for the grants only; the app must never run as it.
  validation {
    condition     = var.postgres_bootstrap == null || try(var.postgres_bootstrap.admin_user != var.postgres.user, false)
    error_message = "postgres_bootstrap.admin_user must differ from postgres.user: the app never connects as the admin user."
  }
}

# The root's `mastodon` input as it is (the root declares the same type; tests/static/test_input_types.py keeps the
# two in step), so every rule on it lives here once and its messages name mastodon.* as the root's user wrote it.
variable "mastodon" {
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
  description = <<-EOT
    The application layer:
    - `version`: the Mastodon image tag for web, Sidekiq, streaming, the migration Jobs and the CronJobs (pinned:
      upgrades are explicit). `namespace`: the Kubernetes namespace created for it.
    - `alternate_domains`: ALTERNATE_DOMAINS, further domains the instance answers for.
    - `acme_email` (null = admin.email) and `acme_server`: the ACME account cert-manager registers.
    - `max_request_body_mb`: the largest request body Traefik accepts, in MiB (Mastodon's video limit is 99 MB).
    - `sizing`: the preset (presets.yaml; small: one all-queues Sidekiq, no autoscaling; large: queues split over
      several Deployments with one scheduler replica, autoscaling on) and what overrides it: `web_replicas`/
      `streaming_replicas` (fixed counts, the floor with autoscaling), `sidekiq` (pools replacing the preset's:
      `name`, `queues` in priority order with optional `weight`, `concurrency`, `replicas`, `resources` and
      `placement`, the node-pool role it runs on; exactly one pool holds the `scheduler` queue, with one replica)
      and `autoscaling` (HorizontalPodAutoscalers for web and streaming, `enabled` null = the preset's choice,
      min/max replicas, CPU/memory targets in percent of the requests, `metrics_server` installs the
      metrics-server chart DOKS lacks).
    - `maintenance`: the cleanup CronJobs the chart lacks: remote media and preview cards older than their
      retention in days, and orphaned media weekly, each on its cron schedule.
    - `charts`: where each chart comes from: a repository URL, chart name and version, or repository = null and
      chart = a local path or .tgz (plans offline and serves air-gapped installs; the helm provider downloads
      remote charts on every plan).
    - `metrics`: Mastodon's Prometheus exporter (null = off; {} = web pods get a `prometheus-exporter` sidecar and
      Sidekiq pods serve their own, on container port `prometheus`, `port` 9394, at /metrics, with prometheus.io
      scrape annotations; `detailed` adds per-controller and per-job series).
  EOT
  default     = {}
  nullable    = false

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$", var.mastodon.version))
    error_message = "Variable mastodon.version must be a Mastodon release tag such as v4.6.2 (mutable tags like latest are refused)."
  }
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.mastodon.namespace))
    error_message = "Variable mastodon.namespace must be a DNS label: lowercase letters, digits and hyphens, at most 63 characters."
  }
  validation {
    condition     = alltrue([for d in var.mastodon.alternate_domains : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", d))])
    error_message = "Variable mastodon.alternate_domains must be lowercase fully qualified host names without scheme or trailing dot."
  }
  validation {
    condition     = var.mastodon.acme_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.mastodon.acme_email, "x")))
    error_message = "Variable mastodon.acme_email must be an e-mail address."
  }
  # Across inputs: the ACME account's address falls back to the admin's.
  validation {
    condition     = var.mastodon.acme_email != null || var.admin != null
    error_message = "Variable mastodon.acme_email is needed when admin is null: the ACME account needs an e-mail address."
  }
  validation {
    condition     = startswith(var.mastodon.acme_server, "https://")
    error_message = "Variable mastodon.acme_server must be an https URL (an ACME directory, e.g. Let's Encrypt's production or staging one)."
  }
  validation {
    condition     = var.mastodon.max_request_body_mb >= 100 && var.mastodon.max_request_body_mb <= 1024
    error_message = "Variable mastodon.max_request_body_mb must be from 100 (Mastodon's 99 MB video limit) to 1024."
  }
  validation {
    condition     = contains(["small", "large"], var.mastodon.sizing.preset)
    error_message = "Variable mastodon.sizing.preset must be small or large."
  }
  validation {
    condition     = alltrue([for r in [var.mastodon.sizing.web_replicas, var.mastodon.sizing.streaming_replicas] : r == null || try(r >= 1 && r <= 20 && floor(r) == r, false)])
    error_message = "Variable mastodon.sizing.web_replicas and mastodon.sizing.streaming_replicas must be whole numbers from 1 to 20."
  }
  validation {
    condition     = var.mastodon.sizing.sidekiq == null || try(length([for p in var.mastodon.sizing.sidekiq : p if contains([for q in p.queues : q.name], "scheduler")]) == 1, false)
    error_message = "Variable mastodon.sizing.sidekiq must give the scheduler queue to exactly one pool: without one, scheduled jobs never run; with two, every scheduled job runs twice."
  }
  validation {
    condition     = var.mastodon.sizing.sidekiq == null || try(alltrue([for p in var.mastodon.sizing.sidekiq : p.replicas == 1 if contains([for q in p.queues : q.name], "scheduler")]), false)
    error_message = "Variable mastodon.sizing.sidekiq: the pool holding the scheduler queue must have replicas = 1 (the chart refuses more)."
  }
  validation {
    condition = var.mastodon.sizing.sidekiq == null || try(
      length(var.mastodon.sizing.sidekiq) >= 1 && length(distinct([for p in var.mastodon.sizing.sidekiq : p.name])) == length(var.mastodon.sizing.sidekiq) &&
      alltrue([for p in var.mastodon.sizing.sidekiq : can(regex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$", p.name)) && length(p.queues) >= 1 && length(distinct([for q in p.queues : q.name])) == length(p.queues)]),
    false)
    error_message = "Variable mastodon.sizing.sidekiq: pool names must be unique, 1-20 lowercase letters, digits or hyphens, each pool with at least one queue and no queue twice."
  }
  validation {
    condition = var.mastodon.sizing.sidekiq == null || try(alltrue(flatten([for p in var.mastodon.sizing.sidekiq : concat(
      [p.concurrency >= 1 && p.concurrency <= 100 && floor(p.concurrency) == p.concurrency, p.replicas >= 1 && p.replicas <= 20 && floor(p.replicas) == p.replicas],
      [for q in p.queues : can(regex("^[a-z][a-z0-9_]*$", q.name)) && (q.weight == null || try(q.weight >= 1 && floor(q.weight) == q.weight, false)) && !(q.name == "scheduler" && q.weight != null)],
    )])), false)
    error_message = "Variable mastodon.sizing.sidekiq: concurrency must be a whole number from 1 to 100, replicas from 1 to 20, queue names lowercase words and weights whole numbers >= 1 (the scheduler queue takes no weight)."
  }
  # Across inputs: a pool runs on the node pool of its role; `sidekiq` also runs anywhere when there is none.
  validation {
    condition     = var.mastodon.sizing.sidekiq == null || try(alltrue([for p in var.mastodon.sizing.sidekiq : p.placement == "sidekiq" || contains(keys(var.node_pools), p.placement)]), false)
    error_message = "Variable mastodon.sizing.sidekiq[*].placement must be sidekiq or a key of node_pools (the role whose pool the Sidekiq pool runs on)."
  }
  # The validations spell the preset's values out (local.presets is read from the file alone): a validation may
  # not read the locals built from its own variable, which would be a cycle. An unknown preset is the preset
  # rule's to report, not these.
  validation {
    condition = !contains(keys(local.presets), var.mastodon.sizing.preset) ? true : alltrue([for role, a in { web = var.mastodon.sizing.autoscaling.web, streaming = var.mastodon.sizing.autoscaling.streaming } :
      a.max_replicas == null || try(a.max_replicas >= coalesce(a.min_replicas, role == "web" ? var.mastodon.sizing.web_replicas : var.mastodon.sizing.streaming_replicas, try(local.presets[var.mastodon.sizing.preset].autoscaling[role].min_replicas, null), local.presets[var.mastodon.sizing.preset][role].replicas), false)
    ])
    error_message = "Variable mastodon.sizing.autoscaling: min_replicas (or the sizing preset's minimum, or web_replicas/streaming_replicas) must not be above max_replicas."
  }
  validation {
    condition = alltrue([for a in [var.mastodon.sizing.autoscaling.web, var.mastodon.sizing.autoscaling.streaming] :
      alltrue([for r in [a.min_replicas, a.max_replicas] : r == null || try(r >= 1 && r <= 50 && floor(r) == r, false)])
    ])
    error_message = "Variable mastodon.sizing.autoscaling: min_replicas and max_replicas must be whole numbers from 1 to 50."
  }
  validation {
    condition     = alltrue([for a in [var.mastodon.sizing.autoscaling.web, var.mastodon.sizing.autoscaling.streaming] : alltrue([for t in [a.cpu_percent, a.memory_percent] : t == null || try(t >= 10 && t <= 100, false)])])
    error_message = "Variable mastodon.sizing.autoscaling: cpu_percent and memory_percent must be from 10 to 100 (percent of the pods' requests)."
  }
  # Across inputs, the connection budget: one connection per Puma thread (workers x threads x replicas, at the
  # autoscaler's maximum when it is on) and per Sidekiq thread (concurrency x replicas over every pool) against
  # the PgBouncer pool (postgres.pool_size: from the root, the pool modules/databases created; null skips this).
  validation {
    condition = var.postgres.pool_size == null || !contains(keys(local.presets), var.mastodon.sizing.preset) ? true : (
      local.presets[var.mastodon.sizing.preset].web.workers * local.presets[var.mastodon.sizing.preset].web.threads * (
        coalesce(var.mastodon.sizing.autoscaling.enabled, local.presets[var.mastodon.sizing.preset].autoscaling != null)
        ? coalesce(var.mastodon.sizing.autoscaling.web.max_replicas, max(
          coalesce(var.mastodon.sizing.autoscaling.web.min_replicas, var.mastodon.sizing.web_replicas, try(local.presets[var.mastodon.sizing.preset].autoscaling.web.min_replicas, null), local.presets[var.mastodon.sizing.preset].web.replicas),
          try(local.presets[var.mastodon.sizing.preset].autoscaling.web.max_replicas, 2 * coalesce(var.mastodon.sizing.autoscaling.web.min_replicas, var.mastodon.sizing.web_replicas, try(local.presets[var.mastodon.sizing.preset].autoscaling.web.min_replicas, null), local.presets[var.mastodon.sizing.preset].web.replicas)),
        ))
        : coalesce(var.mastodon.sizing.web_replicas, local.presets[var.mastodon.sizing.preset].web.replicas)
      )
      + sum(concat(
        [0],
        [for p in local.presets[var.mastodon.sizing.preset].sidekiq : p.concurrency * p.replicas if var.mastodon.sizing.sidekiq == null],
        [for p in coalesce(var.mastodon.sizing.sidekiq, []) : p.concurrency * p.replicas],
      ))
    ) <= coalesce(var.postgres.pool_size, 0)
    error_message = "Variable mastodon.sizing needs more database connections at its most replicas than the PgBouncer pool has (${coalesce(var.postgres.pool_size, 0)}: postgres.pool_size, or what postgres.size allows). Count web as Puma workers x threads x replicas (max_replicas with autoscaling) and Sidekiq as concurrency x replicas over all pools; lower Sidekiq concurrency or replicas, cap web's max_replicas, or give PostgreSQL a larger plan."
  }
  validation {
    condition     = var.mastodon.maintenance.media_retention_days >= 1 && var.mastodon.maintenance.preview_cards_retention_days >= 14
    error_message = "Variable mastodon.maintenance.media_retention_days must be at least 1 and mastodon.maintenance.preview_cards_retention_days at least 14 (tootctl refuses less)."
  }
  validation {
    condition = alltrue([for s in [var.mastodon.maintenance.media_schedule, var.mastodon.maintenance.preview_cards_schedule, var.mastodon.maintenance.orphans_schedule] :
      can(regex("^[0-9*/,-]+( +[0-9A-Za-z*/,?-]+){4}$", s)) || contains(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"], s)
    ])
    error_message = "Variable mastodon.maintenance: media_schedule, preview_cards_schedule and orphans_schedule must be cron schedules of five fields (minute hour day-of-month month day-of-week, e.g. \"17 3 * * *\") or a macro such as @daily."
  }
  validation {
    condition     = var.mastodon.metrics == null || try(var.mastodon.metrics.port >= 1024 && var.mastodon.metrics.port <= 65535 && floor(var.mastodon.metrics.port) == var.mastodon.metrics.port && !contains([3000, 4000], var.mastodon.metrics.port), false)
    error_message = "Variable mastodon.metrics.port must be a whole number from 1024 to 65535 other than 3000 and 4000 (the web and streaming ports)."
  }
}
