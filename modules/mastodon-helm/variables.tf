# Inputs: the domain, the managed services' connection details, sizing, SMTP, admin and chart sources.

variable "name" {
  type        = string
  description = "Name of the Helm release and prefix of every object this module creates (DNS-safe, 1-40 characters)."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", var.name))
    error_message = "name must be 1-40 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace the module creates for Mastodon, its Secrets, PDBs and CronJobs."
  default     = "mastodon"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label: lowercase letters, digits and hyphens, at most 63 characters."
  }
}

variable "domain" {
  type = object({
    local_domain      = string
    web_domain        = optional(string)
    alternate_domains = optional(list(string), [])
  })
  description = "LOCAL_DOMAIN (the handle domain, never changes once federating), optional WEB_DOMAIN (where the site is served; then LOCAL_DOMAIN/.well-known must redirect there) and ALTERNATE_DOMAINS."

  validation {
    condition = alltrue([
      for d in concat([var.domain.local_domain], compact([var.domain.web_domain]), var.domain.alternate_domains) :
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", d))
    ])
    error_message = "domain.local_domain, domain.web_domain and domain.alternate_domains must be lowercase fully qualified host names without scheme or trailing dot."
  }
}

variable "mastodon_version" {
  type        = string
  description = "Mastodon image tag for web, sidekiq, streaming, migration Jobs and maintenance CronJobs. Pinned: upgrades are explicit."
  default     = "v4.6.2"

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$", var.mastodon_version))
    error_message = "mastodon_version must be a release tag such as v4.6.2 (mutable tags like latest are refused)."
  }
}

variable "charts" {
  type = object({
    mastodon = optional(object({
      repository = optional(string)
      chart      = string
      version    = optional(string)
    }), { repository = "https://mastodon.github.io/helm-charts/", chart = "mastodon", version = "1.0.2" })
    traefik = optional(object({
      repository = optional(string)
      chart      = string
      version    = optional(string)
    }), { repository = "https://traefik.github.io/charts", chart = "traefik", version = "37.4.0" })
    cert_manager = optional(object({
      repository = optional(string)
      chart      = string
      version    = optional(string)
    }), { repository = "https://charts.jetstack.io", chart = "cert-manager", version = "v1.19.1" })
    metrics_server = optional(object({
      repository = optional(string)
      chart      = string
      version    = optional(string)
    }), { repository = "https://kubernetes-sigs.github.io/metrics-server/", chart = "metrics-server", version = "3.13.0" })
  })
  description = "Where each chart comes from: a repository URL + chart name + version, or repository = null and chart = a local path or .tgz (plans offline; the helm provider downloads remote charts on every plan)."
  default     = {}
  nullable    = false
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

variable "sizing" {
  type = object({
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
  })
  description = <<-EOT
    Size preset (presets.yaml; small: one all-queues Sidekiq, no autoscaling; large: queues split over several
    Deployments with one scheduler replica, autoscaling on) and what overrides it:
    - `web_replicas`/`streaming_replicas`: fixed replica counts (without autoscaling).
    - `sidekiq`: the Sidekiq pools, replacing the preset's: `name`, `queues` (in priority order, each with an
      optional `weight`), `concurrency` (threads), `replicas`, `resources` and `placement` (the node-pool role it
      runs on, default `sidekiq`). Exactly one pool holds the `scheduler` queue, with one replica.
    - `autoscaling`: HorizontalPodAutoscalers for web and streaming (`enabled` null = the preset's choice),
      `min_replicas`/`max_replicas` and CPU/memory utilisation targets in percent of the requests, and
      `metrics_server` (install the metrics-server chart, which DOKS lacks; false when the cluster has one).
  EOT
  default     = {}
  nullable    = false

  validation {
    condition     = contains(["small", "large"], var.sizing.preset)
    error_message = "sizing.preset must be small or large."
  }

  validation {
    condition     = alltrue([for r in [var.sizing.web_replicas, var.sizing.streaming_replicas] : r == null || try(r >= 1 && r <= 20 && floor(r) == r, false)])
    error_message = "sizing.web_replicas and sizing.streaming_replicas must be whole numbers from 1 to 20."
  }

  validation {
    condition     = var.sizing.sidekiq == null || try(length([for p in var.sizing.sidekiq : p if contains([for q in p.queues : q.name], "scheduler")]) == 1, false)
    error_message = "sizing.sidekiq must give the scheduler queue to exactly one pool: without one, scheduled jobs never run; with two, every scheduled job runs twice."
  }

  validation {
    condition     = var.sizing.sidekiq == null || try(alltrue([for p in var.sizing.sidekiq : p.replicas == 1 if contains([for q in p.queues : q.name], "scheduler")]), false)
    error_message = "sizing.sidekiq: the pool holding the scheduler queue must have replicas = 1 (the chart refuses more)."
  }

  validation {
    condition = var.sizing.sidekiq == null || try(
      length(var.sizing.sidekiq) >= 1 && length(distinct([for p in var.sizing.sidekiq : p.name])) == length(var.sizing.sidekiq) &&
      alltrue([for p in var.sizing.sidekiq : can(regex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$", p.name)) && length(p.queues) >= 1 && length(distinct([for q in p.queues : q.name])) == length(p.queues)]),
    false)
    error_message = "sizing.sidekiq: pool names must be unique, 1-20 lowercase letters, digits or hyphens, each pool with at least one queue and no queue twice."
  }

  validation {
    condition = var.sizing.sidekiq == null || try(alltrue(flatten([for p in var.sizing.sidekiq : concat(
      [p.concurrency >= 1 && p.concurrency <= 100 && floor(p.concurrency) == p.concurrency, p.replicas >= 1 && p.replicas <= 20 && floor(p.replicas) == p.replicas],
      [for q in p.queues : can(regex("^[a-z][a-z0-9_]*$", q.name)) && (q.weight == null || try(q.weight >= 1 && floor(q.weight) == q.weight, false)) && !(q.name == "scheduler" && q.weight != null)],
    )])), false)
    error_message = "sizing.sidekiq: concurrency must be a whole number from 1 to 100, replicas from 1 to 20, queue names lowercase words and weights whole numbers >= 1 (the scheduler queue takes no weight)."
  }

  validation {
    condition = alltrue([for a in [var.sizing.autoscaling.web, var.sizing.autoscaling.streaming] : (
      alltrue([for r in [a.min_replicas, a.max_replicas] : r == null || try(r >= 1 && r <= 50 && floor(r) == r, false)]) &&
      alltrue([for t in [a.cpu_percent, a.memory_percent] : t == null || try(t >= 10 && t <= 100, false)]) &&
      (a.min_replicas == null || a.max_replicas == null || try(a.min_replicas <= a.max_replicas, false))
    )])
    error_message = "sizing.autoscaling: min_replicas must not be above max_replicas (both whole numbers from 1 to 50), and cpu_percent/memory_percent must be from 10 to 100."
  }
}

variable "tls" {
  type = object({
    acme_email  = optional(string)
    acme_server = optional(string, "https://acme-v02.api.letsencrypt.org/directory")
    dns01_digitalocean = optional(object({
      token = string
    }))
  })
  description = "ACME account for cert-manager: `acme_email` null = the admin's e-mail address. HTTP-01 by default (no DigitalOcean token in the cluster); dns01_digitalocean = { token } solves DNS-01 through DigitalOcean instead (the token is stored in a Secret in the cert-manager namespace)."

  validation {
    condition     = (var.tls.acme_email == null || can(regex("^[^@\\s]+@[^@\\s]+$", coalesce(var.tls.acme_email, "x")))) && startswith(var.tls.acme_server, "https://")
    error_message = "tls.acme_email must be an e-mail address (or null for the admin's) and tls.acme_server an https URL."
  }
  # The admin's address is the admin rule's to check; here only that there is one.
  validation {
    condition     = var.tls.acme_email != null || var.admin != null
    error_message = "tls.acme_email is needed when admin is null: the ACME account needs an e-mail address."
  }
}

variable "max_request_body_mb" {
  type        = number
  description = "Largest request body Traefik accepts, in MiB; must cover Mastodon's largest upload (video, 99 MB by default)."
  default     = 128

  validation {
    condition     = var.max_request_body_mb >= 100 && var.max_request_body_mb <= 1024
    error_message = "max_request_body_mb must be from 100 (Mastodon's 99 MB video limit) to 1024."
  }
}

variable "maintenance" {
  type = object({
    media_retention_days         = optional(number, 7)
    preview_cards_retention_days = optional(number, 30)
    media_schedule               = optional(string, "17 3 * * *")
    preview_cards_schedule       = optional(string, "47 3 * * *")
    orphans_schedule             = optional(string, "23 4 * * 0")
  })
  description = "Cleanup CronJobs the chart lacks: remote media cache removal, preview card removal (retention in days) and weekly orphaned media removal."
  default     = {}
  nullable    = false

  validation {
    condition     = var.maintenance.media_retention_days >= 1 && var.maintenance.preview_cards_retention_days >= 14
    error_message = "maintenance.media_retention_days must be at least 1 and preview_cards_retention_days at least 14 (tootctl refuses less)."
  }
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

variable "metrics" {
  type = object({
    port     = optional(number, 9394)
    detailed = optional(bool, false)
  })
  description = "Mastodon's Prometheus exporter (null = off): web pods get a `prometheus-exporter` sidecar and Sidekiq pods serve their own, both on container port `prometheus` (`port`, default 9394) at /metrics, with prometheus.io/* scrape annotations. `detailed` adds per-controller and per-job series (more cardinality)."
  default     = null

  validation {
    condition     = var.metrics == null || try(var.metrics.port >= 1024 && var.metrics.port <= 65535 && floor(var.metrics.port) == var.metrics.port && !contains([3000, 4000], var.metrics.port), false)
    error_message = "metrics.port must be a whole number from 1024 to 65535 other than 3000 and 4000 (the web and streaming ports)."
  }
}
