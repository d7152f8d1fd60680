# Minimal settings: small preset, no role pools, no admin, HTTP-01. Kubernetes and Helm are mocked (no
# cluster, no chart download); random and tls run for real, so the generated secrets are real values.

mock_provider "kubernetes" {
  source = "../../tests/mocks/kubernetes"
}

mock_provider "helm" {}

run "minimal_wires_every_row_of_the_table" {
  command = apply

  # Pinned image, explicit Ingress instead of the chart's default HTTPRoute.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).image.tag == "v4.6.2" && helm_release.mastodon.version == "1.0.2" && helm_release.mastodon.chart == "mastodon"
    error_message = "image tag or chart version is not pinned"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).httproute.enabled == false && yamldecode(helm_release.mastodon.values[0]).ingress.enabled == true && yamldecode(helm_release.mastodon.values[0]).ingress.className == "traefik"
    error_message = "routing must be an explicit Traefik Ingress with the HTTPRoute off"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).ingress.hosts[0].host == "social.example.org" && yamldecode(helm_release.mastodon.values[0]).ingress.hosts[0].paths[0].path == "/" && yamldecode(helm_release.mastodon.values[0]).ingress.tls[0].hosts == ["social.example.org"]
    error_message = "Ingress host/path/TLS do not serve the domain (the chart derives /api/v1/streaming from path /)"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).ingress.annotations["cert-manager.io/cluster-issuer"] == "social-letsencrypt" && yamldecode(helm_release.mastodon.values[0]).ingress.annotations["traefik.ingress.kubernetes.io/router.middlewares"] == "mastodon-social-body-limit@kubernetescrd"
    error_message = "Ingress lacks the ClusterIssuer or body-limit Middleware annotation"
  }

  # Domain
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.localDomain == "social.example.org" && yamldecode(helm_release.mastodon.values[0]).mastodon.webDomain == ""
    error_message = "localDomain/webDomain wrong"
  }

  # PostgreSQL: the pool for the app, the direct connection for migrations.
  assert {
    condition = (
      yamldecode(helm_release.mastodon.values[0]).postgresql.hostname == "private-db.example.db.ondigitalocean.com" &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.port == 25061 &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.database == "mastodon-pool" &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.preparedStatements == false &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.username == "mastodon" &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.existingSecret == "social-postgresql"
    )
    error_message = "postgresql pool wiring wrong: ${yamlencode(yamldecode(helm_release.mastodon.values[0]).postgresql)}"
  }
  assert {
    condition = (
      yamldecode(helm_release.mastodon.values[0]).postgresql.direct.hostname == "private-db.example.db.ondigitalocean.com" &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.direct.port == 25060 &&
      yamldecode(helm_release.mastodon.values[0]).postgresql.direct.database == "mastodon"
    )
    error_message = "postgresql.direct wiring wrong"
  }
  assert {
    condition     = kubernetes_config_map_v1.jobs_env.data.DB_PORT == "25060" && kubernetes_config_map_v1.jobs_env.data.DB_NAME == "mastodon" && kubernetes_config_map_v1.jobs_env.data.PREPARED_STATEMENTS == "false"
    error_message = "migration Jobs must use the direct connection"
  }

  # Streaming gets the database CA through the chart's extraCerts; nothing in the top-level volumes or
  # volumeMounts, which chart 1.0.2 renders into web and Sidekiq as an invalid map.
  assert {
    condition = jsonencode(yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraCerts) == jsonencode({
      existingSecret = "social-db-ca", existingSecretKeys = { caCert = "ca.crt" }, mountFile = "ca.crt",
      mountName      = "db-ca", mountPath = "/etc/mastodon/db-ca", sslMode = "verify-ca"
    }) && kubernetes_secret_v1.this["db_ca"].data["ca.crt"] == var.postgres.ca_certificate
    error_message = "streaming must trust the database CA from the db-ca Secret and verify with it"
  }
  assert {
    condition     = !can(yamldecode(helm_release.mastodon.values[0]).volumes) && !can(yamldecode(helm_release.mastodon.values[0]).volumeMounts) && !can(yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraEnvVars.DB_SSLMODE)
    error_message = "the chart's top-level volumes and volumeMounts must stay unset, and streaming's DB_SSLMODE come from extraCerts alone"
  }

  # Database TLS: the chart's Rails pods encrypt without a CA file (the chart cannot mount one into them).
  assert {
    condition = alltrue([
      for c in ["web", "sidekiq"] :
      yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars.DB_SSLMODE == "require" &&
      !contains(keys(yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars), "PGSSLROOTCERT")
    ])
    error_message = "web and sidekiq must encrypt and get no CA path the chart cannot mount"
  }
  assert {
    condition = kubernetes_config_map_v1.jobs_env.data.DB_SSLMODE == "verify-ca" && kubernetes_config_map_v1.jobs_env.data.PGSSLROOTCERT == "/etc/mastodon/db-ca/ca.crt" && alltrue([
      for j in concat([for m in values(module.jobs_before_release) : m.job], [for m in values(module.jobs_after_release) : m.job], [for m in values(module.admin_job) : m.job]) :
      j.spec[0].template[0].spec[0].volume[0].secret[0].secret_name == "social-db-ca" && j.spec[0].template[0].spec[0].container[0].volume_mount[0].mount_path == "/etc/mastodon/db-ca"
    ])
    error_message = "migration Jobs must verify the database certificate with the mounted cluster CA"
  }
  assert {
    condition = alltrue([
      for c in [for m in values(module.maintenance) : m.cron_job] :
      contains([for e in c.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].env : "${e.name}=${coalesce(e.value, "-")}"], "DB_SSLMODE=verify-ca") &&
      contains([for e in c.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].env : "${e.name}=${coalesce(e.value, "-")}"], "PGSSLROOTCERT=/etc/mastodon/db-ca/ca.crt") &&
      c.spec[0].job_template[0].spec[0].template[0].spec[0].volume[0].secret[0].secret_name == "social-db-ca" &&
      c.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].volume_mount[0].mount_path == "/etc/mastodon/db-ca"
    ])
    error_message = "maintenance CronJobs must verify the database certificate with the mounted cluster CA"
  }

  # Valkey with TLS: REDIS_URL built in the pod env from the Secret-backed REDIS_PASSWORD, for every component.
  assert {
    condition = alltrue([
      for c in ["web", "sidekiq", "streaming"] :
      yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars.REDIS_URL == "rediss://default:$(REDIS_PASSWORD)@private-valkey.example.db.ondigitalocean.com:25061" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars.REDIS_DRIVER == "ruby"
    ])
    error_message = "web, sidekiq and streaming must reach Valkey over rediss:// with REDIS_DRIVER=ruby"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).redis.hostname == "private-valkey.example.db.ondigitalocean.com" && yamldecode(helm_release.mastodon.values[0]).redis.port == 25061 && yamldecode(helm_release.mastodon.values[0]).redis.existingSecret == "social-redis"
    error_message = "redis wiring wrong"
  }
  assert {
    condition     = alltrue([for j in [for m in values(module.jobs_before_release) : m.job] : contains([for e in j.spec[0].template[0].spec[0].container[0].env : e.value if e.name == "REDIS_URL"], "rediss://default:$(REDIS_PASSWORD)@private-valkey.example.db.ondigitalocean.com:25061")])
    error_message = "migration Jobs must reach Valkey over TLS too"
  }
  assert {
    condition     = alltrue([for j in [for m in values(module.maintenance) : m.cron_job] : contains([for e in j.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].env : e.name], "REDIS_URL")])
    error_message = "maintenance CronJobs must reach Valkey over TLS too"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.hooks.dbPrepare.enabled == false && yamldecode(helm_release.mastodon.values[0]).mastodon.hooks.dbMigrate.enabled == false
    error_message = "the chart's hooks (plain redis://) must be replaced by the module's Jobs"
  }

  # Spaces
  assert {
    condition = (
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.endpoint == "https://ams3.digitaloceanspaces.com" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.hostname == "ams3.digitaloceanspaces.com" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.bucket == "social-media" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.region == "ams3" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.aliasHost == "social-media.ams3.cdn.digitaloceanspaces.com" &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.s3.existingSecret == "social-s3"
    )
    error_message = "s3 wiring wrong"
  }

  # SMTP on 2525 with credentials by reference.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.smtp.port == 2525 && yamldecode(helm_release.mastodon.values[0]).mastodon.smtp.existingSecret == "social-smtp"
    error_message = "smtp must default to port 2525 with an existingSecret"
  }

  # Real client IPs
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.trustedProxyIp == "10.110.0.0/20,10.244.0.0/16"
    error_message = "trustedProxyIp wrong"
  }
  assert {
    condition = (
      yamldecode(helm_release.traefik.values[0]).service.annotations["service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol"] == "true" &&
      yamldecode(helm_release.traefik.values[0]).service.annotations["service.beta.kubernetes.io/do-loadbalancer-hostname"] == "social.example.org" &&
      contains(yamldecode(helm_release.traefik.values[0]).additionalArguments, "--entryPoints.websecure.proxyProtocol.trustedIPs=10.110.0.0/20,10.244.0.0/16") &&
      contains(yamldecode(helm_release.traefik.values[0]).additionalArguments, "--entryPoints.web.http.redirections.entryPoint.to=websecure")
    )
    error_message = "Traefik lacks PROXY protocol, the hairpin hostname annotation or the HTTPS redirect"
  }
  assert {
    condition     = yamldecode(helm_release.edge.values[0]).bodyLimit.maxRequestBodyBytes >= 99 * 1000 * 1000 && yamldecode(helm_release.edge.values[0]).clusterIssuer.solver.type == "http01"
    error_message = "body limit below Mastodon's largest upload, or the default solver is not HTTP-01"
  }

  # Sidekiq: small preset, exactly one scheduler replica.
  assert {
    condition     = length([for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : w if contains(w.queues, "scheduler")]) == 1 && alltrue([for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : w.replicas == 1 if contains(w.queues, "scheduler")])
    error_message = "exactly one Sidekiq worker with one replica must hold the scheduler queue"
  }

  # Secrets only by reference, never in values or ConfigMaps.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.secrets.existingSecret == "social-app-secrets"
    error_message = "mastodon.secrets must be an existingSecret"
  }
  assert {
    condition = alltrue([
      for s in [var.postgres.password, var.valkey.password, var.s3.secret_access_key, var.smtp.password, kubernetes_secret_v1.this["app"].data["secret-key-base"], kubernetes_secret_v1.this["app"].data["vapid-private-key"], kubernetes_secret_v1.this["app"].data["are-primary-key"]] :
      !strcontains(helm_release.mastodon.values[0], s) && !strcontains(jsonencode(kubernetes_config_map_v1.jobs_env.data), s) && !strcontains(output.chart_values, s)
    ])
    error_message = "a secret value appears in the chart values or a ConfigMap"
  }
  assert {
    condition     = !can(yamldecode(helm_release.mastodon.values[0]).mastodon.extraEnvVars) || length(try(yamldecode(helm_release.mastodon.values[0]).mastodon.extraEnvVars, {})) == 0
    error_message = "mastodon.extraEnvVars renders into a ConfigMap and must stay empty"
  }

  # Generated secrets, as Mastodon's tasks print them.
  assert {
    condition     = can(regex("^[0-9a-f]{128}$", kubernetes_secret_v1.this["app"].data["secret-key-base"]))
    error_message = "SECRET_KEY_BASE must be 128 hex digits"
  }
  assert {
    condition     = alltrue([for k in ["are-primary-key", "are-deterministic-key", "are-derivation-salt"] : can(regex("^[A-Za-z0-9]{32}$", kubernetes_secret_v1.this["app"].data[k]))])
    error_message = "Active Record encryption values must be 32 alphanumerics"
  }
  assert {
    condition     = can(regex("^[A-Za-z0-9_-]{43}=$", kubernetes_secret_v1.this["app"].data["vapid-private-key"])) && can(regex("^B[A-Za-z0-9_-]{86}=$", kubernetes_secret_v1.this["app"].data["vapid-public-key"]))
    error_message = "VAPID keys must be padded base64url of 32 and 65 (0x04-prefixed) bytes"
  }
  assert {
    condition     = !contains(keys(kubernetes_secret_v1.this["app"].data), "otp-secret")
    error_message = "no OTP secret unless one is brought"
  }

  # Chart gaps filled.
  assert {
    condition     = toset(keys(kubernetes_pod_disruption_budget_v1.this)) == toset(["web", "streaming", "sidekiq-all-queues"])
    error_message = "PDBs for web, streaming and each Sidekiq worker expected"
  }
  assert {
    condition     = kubernetes_pod_disruption_budget_v1.this["web"].spec[0].selector[0].match_labels["app.kubernetes.io/component"] == "web" && kubernetes_pod_disruption_budget_v1.this["web"].spec[0].selector[0].match_labels["app.kubernetes.io/instance"] == "social"
    error_message = "PDB selector does not match the chart's web pods"
  }
  assert {
    condition     = alltrue([for c in [for m in values(module.maintenance) : m.cron_job] : c.spec[0].concurrency_policy == "Forbid"]) && length(module.maintenance) == 3
    error_message = "three cleanup CronJobs with concurrencyPolicy Forbid expected"
  }
  assert {
    condition     = jsonencode(module.maintenance["media-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].command) == jsonencode(["bin/tootctl", "media", "remove", "--days", "7"]) && module.maintenance["media-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].image == "ghcr.io/mastodon/mastodon:v4.6.2"
    error_message = "media remove CronJob command or image wrong"
  }
  assert {
    condition     = module.maintenance["preview-cards-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].env_from[0].config_map_ref[0].name == "social-mastodon-env"
    error_message = "CronJobs must read the chart's ConfigMap"
  }

  # Outputs
  assert {
    condition     = output.url == "https://social.example.org" && output.load_balancer_ip == "203.0.113.10" && output.load_balancer_ipv6 == null
    error_message = "url or load balancer outputs wrong"
  }
  assert {
    condition     = output.admin_username == null && length(module.admin_job) == 0 && keys(module.jobs_after_release) == ["db-migrate"]
    error_message = "no admin requested: no create-admin Job"
  }
}

run "valkey_tls_off_is_explicit" {
  command = plan

  variables {
    valkey = {
      host     = "private-valkey.example.db.ondigitalocean.com"
      password = "valkey-password-not-in-values"
      tls      = false
    }
  }

  assert {
    condition     = alltrue([for c in ["web", "sidekiq", "streaming"] : length([for k in keys(yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars) : k if startswith(k, "REDIS_")]) == 0])
    error_message = "with tls = false no REDIS_URL is set"
  }
}

run "blocked_smtp_port_is_refused" {
  command = plan

  variables {
    smtp = {
      server       = "smtp.example.net"
      port         = 587
      login        = "mailer"
      password     = "x"
      from_address = "notifications@social.example.org"
    }
  }

  expect_failures = [var.smtp]
}

run "remote_path_style_hostname_is_refused" {
  command = plan

  variables {
    s3 = {
      bucket            = "social-media"
      region            = "ams3"
      endpoint          = "https://ams3.digitaloceanspaces.com"
      hostname          = "social-media.ams3.digitaloceanspaces.com"
      access_key_id     = "DO00ACCESSKEY"
      secret_access_key = "x"
    }
  }

  expect_failures = [var.s3]
}

run "metrics_off_by_default" {
  command = plan

  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.metrics.prometheus.enabled == false
    error_message = "The Prometheus exporter must be off unless metrics is set."
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.web.podAnnotations == {} && yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.podAnnotations == {}
    error_message = "Without metrics no pod may carry scrape annotations."
  }
}

run "metrics_on_exposes_the_exporter" {
  command = plan

  variables {
    mastodon = { acme_email = "admin@social.example.org", metrics = { detailed = true } }
  }

  assert {
    condition = (
      yamldecode(helm_release.mastodon.values[0]).mastodon.metrics.prometheus.enabled == true &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.metrics.prometheus.port == 9394 &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.metrics.prometheus.web.detailed == true &&
      yamldecode(helm_release.mastodon.values[0]).mastodon.metrics.prometheus.sidekiq.detailed == true
    )
    error_message = "metrics must turn on the chart's exporter on port 9394 with detailed series."
  }
  assert {
    condition = alltrue([
      for c in ["web", "sidekiq"] :
      yamldecode(helm_release.mastodon.values[0]).mastodon[c].podAnnotations == { "prometheus.io/scrape" = "true", "prometheus.io/port" = "9394", "prometheus.io/path" = "/metrics" }
    ])
    error_message = "Web and Sidekiq pods must carry the scrape annotations for the exporter port."
  }
  assert {
    condition     = !can(yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.podAnnotations["prometheus.io/scrape"])
    error_message = "Streaming has no exporter; it must not be annotated for scraping."
  }
}

run "rejects_the_web_port_for_metrics" {
  command = plan

  variables {
    mastodon = { acme_email = "admin@social.example.org", metrics = { port = 3000 } }
  }

  expect_failures = [var.mastodon]
}

run "database_tls_can_be_relaxed_to_encryption_only" {
  command = plan

  variables {
    postgres = {
      pool_host      = "private-db.example.db.ondigitalocean.com"
      pool_name      = "mastodon-pool"
      direct_host    = "private-db.example.db.ondigitalocean.com"
      database       = "mastodon"
      user           = "mastodon"
      password       = "pg-password-not-in-values"
      ca_certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
      ssl_mode       = "require"
    }
  }

  # libpq verifies against a root CA file whenever one is given, so `require` must not name one.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.web.extraEnvVars.DB_SSLMODE == "require" && !contains(keys(yamldecode(helm_release.mastodon.values[0]).mastodon.web.extraEnvVars), "PGSSLROOTCERT") && kubernetes_config_map_v1.jobs_env.data.DB_SSLMODE == "require" && !contains(keys(kubernetes_config_map_v1.jobs_env.data), "PGSSLROOTCERT")
    error_message = "ssl_mode = require must reach Rails and the Jobs without a CA file"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraCerts.sslMode == "no-verify"
    error_message = "streaming's word for require is no-verify (node-postgres verifies for any other mode)"
  }
}

run "unverified_or_unencrypted_database_modes_are_refused" {
  command = plan

  variables {
    postgres = {
      pool_host      = "private-db.example.db.ondigitalocean.com"
      pool_name      = "mastodon-pool"
      direct_host    = "private-db.example.db.ondigitalocean.com"
      database       = "mastodon"
      user           = "mastodon"
      password       = "pg-password-not-in-values"
      ca_certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
      ssl_mode       = "prefer"
    }
  }

  expect_failures = [var.postgres]
}

# The whole application layer is one input: what the root's user sets under mastodon reaches the same places.
run "maintenance_retention_and_schedules_from_the_input" {
  command = plan

  variables {
    mastodon = {
      acme_email  = "admin@social.example.org"
      maintenance = { media_retention_days = 3, preview_cards_retention_days = 21, media_schedule = "5 1 * * *", orphans_schedule = "@weekly" }
    }
  }

  assert {
    condition     = module.maintenance["media-remove"].cron_job.spec[0].schedule == "5 1 * * *" && jsonencode(module.maintenance["media-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].command) == jsonencode(["bin/tootctl", "media", "remove", "--days", "3"])
    error_message = "mastodon.maintenance must set the media CronJob's schedule and retention"
  }
  assert {
    condition     = module.maintenance["preview-cards-remove"].cron_job.spec[0].schedule == "47 3 * * *" && jsonencode(module.maintenance["preview-cards-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].container[0].command) == jsonencode(["bin/tootctl", "preview_cards", "remove", "--days", "21"]) && module.maintenance["media-remove-orphans"].cron_job.spec[0].schedule == "@weekly"
    error_message = "an unset schedule keeps its default; a set one and the retention reach their CronJob"
  }
}

run "a_schedule_that_is_not_cron_is_refused" {
  command = plan

  variables {
    mastodon = { acme_email = "admin@social.example.org", maintenance = { media_schedule = "daily at 3" } }
  }

  expect_failures = [var.mastodon]
}

run "the_acme_account_takes_the_admins_address" {
  command = plan

  variables {
    mastodon = {}
    admin    = { email = "owner@social.example.org" }
  }

  assert {
    condition     = yamldecode(helm_release.edge.values[0]).clusterIssuer.email == "owner@social.example.org" && yamldecode(helm_release.edge.values[0]).clusterIssuer.server == "https://acme-v02.api.letsencrypt.org/directory"
    error_message = "without mastodon.acme_email the ACME account must register with admin.email"
  }
}

run "the_acme_account_needs_an_address_without_admin" {
  command = plan

  variables {
    mastodon = {}
  }

  expect_failures = [var.mastodon]
}

# No node pools here: a Sidekiq pool may only name the sidekiq role (which then runs anywhere) or a pool's role.
run "a_sidekiq_pool_on_a_role_without_a_node_pool_is_refused" {
  command = plan

  variables {
    mastodon = {
      acme_email = "admin@social.example.org"
      sizing     = { sidekiq = [{ name = "all", placement = "web", queues = [{ name = "default" }, { name = "scheduler" }] }] }
    }
  }

  expect_failures = [var.mastodon]
}
