# The namespace and what every topic file of this module shares: names, labels, placement, the image, the
# sizing preset, which optional parts exist, the Secrets' names and the environment every Mastodon pod gets.
# chart.tf, routing.tf, secrets.tf, jobs.tf and maintenance.tf read their shared values from here, never from
# each other; outputs.tf reads what they compute.

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.mastodon.namespace
    labels = {
      "app.kubernetes.io/part-of" = var.name
    }
  }
}

# Every value Mastodon's setup tasks would generate (or the migrating instance's own).
module "secrets" {
  source           = "./modules/secrets"
  existing_secrets = var.existing_secrets
}

locals {
  # The chart's fullname rule (templates/_helpers.tpl): the release name when it contains "mastodon".
  fullname = substr(strcontains(var.name, "mastodon") ? var.name : "${var.name}-mastodon", 0, 63)
  image    = { repository = "ghcr.io/mastodon/mastodon", tag = var.mastodon.version }
  web_host = coalesce(var.domain.web_domain, var.domain.local_domain)
  # The ACME account registers with mastodon.acme_email, else the admin's (a validation requires one of them).
  acme_email      = var.mastodon.acme_email != null ? var.mastodon.acme_email : try(var.admin.email, null)
  tls_secret      = "${var.name}-tls"
  issuer_name     = "${var.name}-letsencrypt"
  body_limit_name = "${var.name}-body-limit"
  # The chart's ConfigMap (the environment of web and Sidekiq) and the module's own for its Jobs.
  chart_env_cm = "${local.fullname}-env"
  jobs_env_cm  = "${var.name}-jobs-env"
  # The chart's own pod labels (templates/_helpers.tpl), which the module's Jobs, CronJobs and PDBs share.
  selector_base = { "app.kubernetes.io/name" = "mastodon", "app.kubernetes.io/instance" = var.name }

  # Placement on the doks module's role pools; a role without a pool runs anywhere. `default` is where the
  # ingress controller and cert-manager run (the doks module's default pool).
  placement = {
    for role in ["web", "streaming", "sidekiq", "default"] : role => {
      nodeSelector = merge([
        for pool in compact([contains(keys(var.node_pools), role) ? role : ""]) :
        merge({ "doks.digitalocean.com/node-pool" = var.node_pools[pool].name }, var.node_pools[pool].labels)
      ]...)
      tolerations = flatten([
        for pool in compact([contains(keys(var.node_pools), role) ? role : ""]) : [
          for t in var.node_pools[pool].taints : { key = t.key, operator = "Equal", value = t.value, effect = t.effect }
        ]
      ])
    }
  }

  # Presets live in presets.yaml, which the root module reads too (what a preset turns on in the databases).
  presets = yamldecode(file("${path.module}/presets.yaml"))
  preset  = local.presets[var.mastodon.sizing.preset]

  # The Sidekiq pools: the operator's, else the preset's, in one shape. concat() of two filtered lists instead of
  # a conditional, so the two sources need not have the same type.
  sidekiq_pools = concat(
    [for p in local.preset.sidekiq : {
      name        = p.name
      queues      = [for q in p.queues : { name = q.name, weight = try(q.weight, null) }]
      concurrency = p.concurrency
      replicas    = p.replicas
      resources   = p.resources
      placement   = "sidekiq"
    } if var.mastodon.sizing.sidekiq == null],
    [for p in coalesce(var.mastodon.sizing.sidekiq, []) : {
      name        = p.name
      queues      = p.queues
      concurrency = p.concurrency
      replicas    = p.replicas
      resources   = { for k, v in p.resources : k => v if length(v) > 0 }
      placement   = p.placement
    }],
  )

  # Autoscaling: the preset's bounds and targets, each overridable. Without autoscaling the fixed counts apply.
  autoscaling_on = coalesce(var.mastodon.sizing.autoscaling.enabled, local.preset.autoscaling != null)
  # sizing.<role>_replicas, when set, is the floor; a preset's maximum never sits below the floor asked for.
  fixed_replicas = { web = var.mastodon.sizing.web_replicas, streaming = var.mastodon.sizing.streaming_replicas }
  autoscaling_min = {
    for role in ["web", "streaming"] : role => coalesce(var.mastodon.sizing.autoscaling[role].min_replicas, local.fixed_replicas[role], try(local.preset.autoscaling[role].min_replicas, null), local.preset[role].replicas)
  }
  autoscaling = {
    for role in ["web", "streaming"] : role => {
      min_replicas   = local.autoscaling_min[role]
      max_replicas   = coalesce(var.mastodon.sizing.autoscaling[role].max_replicas, max(local.autoscaling_min[role], try(local.preset.autoscaling[role].max_replicas, 2 * local.autoscaling_min[role])))
      cpu_percent    = coalesce(var.mastodon.sizing.autoscaling[role].cpu_percent, try(local.preset.autoscaling[role].cpu_percent, null), 70)
      memory_percent = coalesce(var.mastodon.sizing.autoscaling[role].memory_percent, try(local.preset.autoscaling[role].memory_percent, null), 80)
    }
  }

  web_replicas       = local.autoscaling_on ? local.autoscaling.web.min_replicas : coalesce(var.mastodon.sizing.web_replicas, local.preset.web.replicas)
  streaming_replicas = local.autoscaling_on ? local.autoscaling.streaming.min_replicas : coalesce(var.mastodon.sizing.streaming_replicas, local.preset.streaming.replicas)

  # Optional parts. Whether one is there is not secret, only its values; a comparison with a value that holds
  # a secret (the search password, the DNS-01 token) is, and the Secrets' for_each must not be.
  admin_enabled              = var.admin != null
  search_enabled             = try(nonsensitive(var.opensearch != null), var.opensearch != null)
  cache_enabled              = try(nonsensitive(var.valkey_cache != null), var.valkey_cache != null)
  dns01_enabled              = try(nonsensitive(var.dns01_digitalocean != null), var.dns01_digitalocean != null)
  postgres_bootstrap_enabled = nonsensitive(var.postgres_bootstrap != null)
  otp_migrated               = nonsensitive(module.secrets.otp_secret != null)

  # Names the chart's `existingSecret` values and the Jobs point at (secrets.tf creates them). They exist
  # before the release (and before the migration Jobs), because pre-install work reads them
  # (mastodon/helm-charts#80). The admin credentials have a fixed name, so operator tooling finds them in
  # any install's namespace.
  secret_names = {
    app              = "${var.name}-app-secrets"
    postgres         = "${var.name}-postgresql"
    postgres_admin   = "${var.name}-postgresql-admin"
    db_ca            = "${var.name}-db-ca"
    redis            = "${var.name}-redis"
    s3               = "${var.name}-s3"
    smtp             = "${var.name}-smtp"
    opensearch       = "${var.name}-opensearch"
    cache            = "${var.name}-redis-cache"
    admin            = "mastodon-admin-credentials"
    digitalocean_dns = "${var.name}-digitalocean-dns"
  }

  # Mastodon reaches TLS Valkey only through REDIS_URL (lib/mastodon/redis_configuration.rb), and hiredis
  # cannot do TLS. `$(REDIS_PASSWORD)` is expanded by Kubernetes from the Secret-backed variable the chart
  # defines earlier in the same `env` list, so the password never sits in a ConfigMap. The cache Valkey follows
  # the main one's TLS choice: Mastodon reads CACHE_REDIS_URL (else the CACHE_REDIS_HOST/PORT/PASSWORD the chart
  # sets from redis.cache) for Rails' cache only.
  redis_tls_env = merge(
    var.valkey.tls ? {
      REDIS_DRIVER = "ruby"
      REDIS_URL    = "rediss://default:$(REDIS_PASSWORD)@${var.valkey.host}:${var.valkey.port}"
    } : {},
    var.valkey.tls && local.cache_enabled ? {
      CACHE_REDIS_URL = "rediss://default:$(CACHE_REDIS_PASSWORD)@${try(var.valkey_cache.host, "")}:${try(var.valkey_cache.port, 25061)}"
    } : {},
  )

  # The module's Jobs and CronJobs check the database server against the cluster CA: DB_SSLMODE reaches
  # config/database.yml, and libpq reads the CA file from PGSSLROOTCERT. With `require` no CA file is given,
  # since libpq verifies against one whenever it exists.
  db_ca_volume = { name = "db-ca", secret = local.secret_names.db_ca, mount_path = "/etc/mastodon/db-ca" }
  db_tls_env = merge(
    { DB_SSLMODE = var.postgres.ssl_mode },
    var.postgres.ssl_mode == "require" ? {} : { PGSSLROOTCERT = "${local.db_ca_volume.mount_path}/ca.crt" },
  )
  # The chart's Rails pods (web, Sidekiq) cannot be given the CA file: chart 1.0.2's `mastodon.volumeMounts`
  # helper writes the `volumeMounts:` key again under the container's own, so any top-level `volumeMounts`
  # value turns the container's list into a map the API server rejects, and the chart has no other way to
  # mount a file into them. They encrypt without checking; the migration Job, which runs the same Rails code
  # over the direct connection before each release, and streaming still verify.
  chart_rails_db_env = { DB_SSLMODE = "require" }
  # What the chart's env ConfigMap has for search (templates/_env.tpl) and the module's own Jobs need too.
  search_env = var.opensearch == null ? { ES_ENABLED = "false" } : {
    ES_ENABLED = "true"
    ES_HOST    = "https://${var.opensearch.host}"
    ES_PORT    = tostring(var.opensearch.port)
    ES_PRESET  = var.opensearch.preset
  }


  # The same Secret-backed variables the chart's templates define (templates/_secrets.tpl), in its order, so
  # that `$(REDIS_PASSWORD)` in REDIS_URL resolves: Kubernetes only expands variables defined earlier.
  secret_env = concat(
    [
      { name = "SECRET_KEY_BASE", secret = local.secret_names.app, key = "secret-key-base" },
      { name = "VAPID_PRIVATE_KEY", secret = local.secret_names.app, key = "vapid-private-key" },
      { name = "VAPID_PUBLIC_KEY", secret = local.secret_names.app, key = "vapid-public-key" },
      { name = "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", secret = local.secret_names.app, key = "are-primary-key" },
      { name = "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY", secret = local.secret_names.app, key = "are-deterministic-key" },
      { name = "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", secret = local.secret_names.app, key = "are-derivation-salt" },
      { name = "DB_USER", secret = local.secret_names.postgres, key = "username" },
      { name = "DB_PASS", secret = local.secret_names.postgres, key = "password" },
      { name = "REDIS_PASSWORD", secret = local.secret_names.redis, key = "password" },
    ],
    # The cache Valkey's password right after the main one, as in the chart, before CACHE_REDIS_URL uses it.
    local.cache_enabled ? [{ name = "CACHE_REDIS_PASSWORD", secret = local.secret_names.cache, key = "password" }] : [],
    [
      { name = "AWS_ACCESS_KEY_ID", secret = local.secret_names.s3, key = "access-key-id" },
      { name = "AWS_SECRET_ACCESS_KEY", secret = local.secret_names.s3, key = "secret-access-key" },
      { name = "SMTP_LOGIN", secret = local.secret_names.smtp, key = "username" },
      { name = "SMTP_PASSWORD", secret = local.secret_names.smtp, key = "password" },
    ],
    local.search_enabled ? [
      { name = "ES_USER", secret = local.secret_names.opensearch, key = "username" },
      { name = "ES_PASS", secret = local.secret_names.opensearch, key = "password" },
    ] : [],
  )

  # What every one-off Job and CronJob pod shares (modules/job): the Mastodon image as its mastodon user
  # (uid 991), on the Sidekiq pool, with the database CA. Each adds its name, command and environment; the
  # PostgreSQL bootstrap Job its own image and user.
  job_pod = {
    image            = "${local.image.repository}:${local.image.tag}"
    security_context = { run_as_user = 991, run_as_group = 991, fs_group = 991 }
    node_selector    = local.placement.sidekiq.nodeSelector
    tolerations      = local.placement.sidekiq.tolerations
    volumes          = [local.db_ca_volume]
  }
}
