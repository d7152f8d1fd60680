# Production settings: large preset, role pools from the doks module, web domain != local domain, admin,
# OpenSearch, DNS-01 through DigitalOcean, a migrating instance's secrets, and a local chart path.

mock_provider "kubernetes" {
  source = "../../tests/mocks/kubernetes"
}

# What DigitalOcean's cloud controller reports with the do-loadbalancer-hostname annotation: a hostname, no IP.
override_data {
  target = data.kubernetes_resource.traefik_service
  values = {
    object = {
      metadata = { annotations = { "kubernetes.digitalocean.com/load-balancer-id" = "4de7ac8b-495b-4884-9a69-1050c6793cd6" } }
      status   = { loadBalancer = { ingress = [{ hostname = "mastodon.example.org" }] } }
    }
  }
}

mock_provider "helm" {}

variables {
  name = "mastodon"
  domain = {
    local_domain = "example.org"
    web_domain   = "mastodon.example.org"
  }
  mastodon = {
    namespace         = "social"
    alternate_domains = ["example.net"]
    charts = {
      mastodon = { chart = "/opt/charts/mastodon" }
    }
    sizing = {
      preset       = "large"
      web_replicas = 3
    }
    acme_email = "owner@example.org"
  }
  postgres = {
    pool_host      = "private-pg.example.db.ondigitalocean.com"
    pool_port      = 25061
    pool_name      = "mastodon-pool"
    direct_host    = "private-pg.example.db.ondigitalocean.com"
    direct_port    = 25060
    database       = "mastodon_production"
    user           = "mastodon"
    password       = "pg-password-not-in-values"
    ca_certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
    ssl_mode       = "verify-full"
  }
  valkey = {
    host     = "private-valkey.example.db.ondigitalocean.com"
    port     = 25061
    password = "valkey-password-not-in-values"
  }
  s3 = {
    bucket            = "mastodon-media"
    region            = "fra1"
    endpoint          = "https://fra1.digitaloceanspaces.com"
    hostname          = "fra1.digitaloceanspaces.com"
    access_key_id     = "DO00ACCESSKEY"
    secret_access_key = "spaces-secret-not-in-values"
    alias_host        = "files.example.org"
  }
  smtp = {
    server       = "smtp.example.net"
    login        = "mailer"
    password     = "smtp-password-not-in-values"
    from_address = "notifications@example.org"
  }
  admin = {
    username = "owner"
    email    = "owner@example.org"
  }
  trusted_proxy_cidrs = ["10.120.0.0/20", "10.244.0.0/16"]
  node_pools = {
    web       = { name = "mastodon-web", labels = { role = "web" }, taints = [] }
    sidekiq   = { name = "mastodon-sidekiq", labels = { role = "sidekiq" }, taints = [{ key = "role", value = "sidekiq", effect = "NoSchedule" }] }
    streaming = { name = "mastodon-streaming" }
    default   = { name = "mastodon-default", labels = { role = "default" }, taints = [{ key = "role", value = "default", effect = "PreferNoSchedule" }] }
  }
  dns01_digitalocean = { token = "dop_v1_not_in_values" }
  opensearch = {
    host     = "private-search.example.db.ondigitalocean.com"
    user     = "doadmin"
    password = "search-password-not-in-values"
  }
  existing_secrets = {
    secret_key_base   = "0000000000000000000000000000000000000000000000000000000000000000existing"
    vapid_private_key = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA"
    vapid_public_key  = "BGRlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqM"
    otp_secret        = "legacy0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  }
}

run "production_settings" {
  command = apply

  assert {
    condition     = helm_release.mastodon.chart == "/opt/charts/mastodon" && helm_release.mastodon.repository == null
    error_message = "a local chart path must be usable (plans offline)"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.localDomain == "example.org" && yamldecode(helm_release.mastodon.values[0]).mastodon.webDomain == "mastodon.example.org" && yamldecode(helm_release.mastodon.values[0]).mastodon.alternateDomains == ["example.net"]
    error_message = "domains wrong"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).ingress.hosts[0].host == "mastodon.example.org" && yamldecode(helm_release.traefik.values[0]).service.annotations["service.beta.kubernetes.io/do-loadbalancer-hostname"] == "mastodon.example.org"
    error_message = "the web domain must be what the Ingress and the load balancer hostname serve"
  }

  # Large preset: split queues, one scheduler with one replica.
  assert {
    condition     = length(yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers) == 3
    error_message = "large preset must split Sidekiq into three Deployments"
  }
  assert {
    condition     = [for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : w.replicas if contains(w.queues, "scheduler")] == [1]
    error_message = "exactly one scheduler worker with one replica"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.web.replicas == 3 && yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.replicas == 2
    error_message = "replica override or preset not applied"
  }

  # Placement on role pools.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.web.nodeSelector == { "doks.digitalocean.com/node-pool" = "mastodon-web", role = "web" }
    error_message = "web node selector wrong"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.tolerations[0].key == "role" && yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.tolerations[0].effect == "NoSchedule" && yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.nodeSelector["doks.digitalocean.com/node-pool"] == "mastodon-sidekiq"
    error_message = "sidekiq placement wrong"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.nodeSelector == { "doks.digitalocean.com/node-pool" = "mastodon-streaming" } && length(yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.tolerations) == 0
    error_message = "streaming placement wrong"
  }
  assert {
    condition     = module.maintenance["media-remove"].cron_job.spec[0].job_template[0].spec[0].template[0].spec[0].toleration[0].key == "role"
    error_message = "CronJobs must tolerate the sidekiq pool"
  }

  # PDBs per worker.
  assert {
    condition     = toset(keys(kubernetes_pod_disruption_budget_v1.this)) == toset(["web", "streaming", "sidekiq-default", "sidekiq-push-pull", "sidekiq-scheduler"])
    error_message = "PDBs for every Sidekiq worker expected"
  }

  # Ingress and cert-manager on the default pool.
  assert {
    condition     = yamldecode(helm_release.traefik.values[0]).nodeSelector == { "doks.digitalocean.com/node-pool" = "mastodon-default", role = "default" } && yamldecode(helm_release.traefik.values[0]).tolerations[0].key == "role" && yamldecode(helm_release.traefik.values[0]).tolerations[0].effect == "PreferNoSchedule"
    error_message = "Traefik must run on the default pool"
  }
  assert {
    condition = alltrue([
      for placement in [
        yamldecode(helm_release.cert_manager.values[0]),
        yamldecode(helm_release.cert_manager.values[0]).webhook,
        yamldecode(helm_release.cert_manager.values[0]).cainjector,
        yamldecode(helm_release.cert_manager.values[0]).startupapicheck,
      ] : placement.nodeSelector["doks.digitalocean.com/node-pool"] == "mastodon-default" && placement.tolerations[0].value == "default"
    ]) && yamldecode(helm_release.cert_manager.values[0]).crds.keep == true
    error_message = "cert-manager's controller, webhook, CA injector and install check must run on the default pool"
  }

  # Database TLS mode everywhere, OpenSearch opt-in.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraCerts.sslMode == "verify-full" && kubernetes_config_map_v1.jobs_env.data.DB_SSLMODE == "verify-full" && yamldecode(helm_release.mastodon.values[0]).mastodon.web.extraEnvVars.DB_SSLMODE == "require"
    error_message = "postgres.ssl_mode must reach streaming and the Jobs (the chart's Rails pods encrypt without a CA file)"
  }
  assert {
    condition = (
      kubernetes_config_map_v1.jobs_env.data.ES_ENABLED == "true" &&
      kubernetes_config_map_v1.jobs_env.data.ES_HOST == "https://private-search.example.db.ondigitalocean.com" &&
      kubernetes_config_map_v1.jobs_env.data.ES_PORT == "25060" &&
      kubernetes_config_map_v1.jobs_env.data.ES_PRESET == "single_node_cluster" &&
      toset([for e in module.jobs_after_release["db-migrate"].job.spec[0].template[0].spec[0].container[0].env : "${e.name}=${try(e.value_from[0].secret_key_ref[0].name, "")}/${try(e.value_from[0].secret_key_ref[0].key, "")}" if startswith(e.name, "ES_")]) == toset(["ES_USER=mastodon-opensearch/username", "ES_PASS=mastodon-opensearch/password"])
    )
    error_message = "with OpenSearch on, the Jobs need its host (https), port, preset, user and password: ${jsonencode({ for k, v in kubernetes_config_map_v1.jobs_env.data : k => v if startswith(k, "ES_") })}"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).elasticsearch.enabled == true && yamldecode(helm_release.mastodon.values[0]).elasticsearch.existingSecret == "mastodon-opensearch" && yamldecode(helm_release.mastodon.values[0]).elasticsearch.port == 25060
    error_message = "OpenSearch wiring wrong"
  }

  # Brought secrets win; OTP_SECRET only reaches the migration Jobs, from the Secret.
  assert {
    condition     = kubernetes_secret_v1.this["app"].data["secret-key-base"] == var.existing_secrets.secret_key_base && kubernetes_secret_v1.this["app"].data["vapid-public-key"] == "BGRlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqM" && kubernetes_secret_v1.this["app"].data["otp-secret"] == "legacy0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    error_message = "existing secrets must replace generated ones"
  }
  assert {
    condition     = contains([for e in module.jobs_before_release["db-prepare"].job.spec[0].template[0].spec[0].container[0].env : e.value_from[0].secret_key_ref[0].key if e.name == "OTP_SECRET"], "otp-secret")
    error_message = "OTP_SECRET must reach the migration Job by secretKeyRef"
  }
  assert {
    condition     = !strcontains(helm_release.mastodon.values[0], "legacy0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef") && !strcontains(helm_release.mastodon.values[0], "search-password-not-in-values") && !strcontains(helm_release.edge.values[0], "dop_v1_not_in_values")
    error_message = "a secret leaked into chart values"
  }

  # DNS-01 through DigitalOcean: the token lives in a Secret next to cert-manager.
  assert {
    condition     = yamldecode(helm_release.edge.values[0]).clusterIssuer.solver.type == "dns01-digitalocean" && kubernetes_secret_v1.this["digitalocean_dns"].metadata[0].namespace == "cert-manager"
    error_message = "DNS-01 solver not wired"
  }

  # Admin account: the password Terraform generates lives in a Secret, and the Job sets it from there.
  assert {
    condition     = kubernetes_secret_v1.admin_credentials[0].metadata[0].name == "mastodon-admin-credentials" && kubernetes_secret_v1.admin_credentials[0].metadata[0].namespace == "social" && kubernetes_secret_v1.admin_credentials[0].data.username == "owner" && kubernetes_secret_v1.admin_credentials[0].data.email == "owner@example.org"
    error_message = "the admin credentials Secret must be mastodon-admin-credentials in the namespace, with username and email"
  }
  assert {
    condition     = can(regex("^[A-Za-z0-9]{32}$", kubernetes_secret_v1.admin_credentials[0].data.password)) && kubernetes_secret_v1.admin_credentials[0].data.password == output.admin_password && output.admin_secret == "social/mastodon-admin-credentials"
    error_message = "the admin password must be a generated 32-character value kept in the Secret and the sensitive output"
  }
  assert {
    condition = toset([
      for e in module.admin_job["create-admin"].job.spec[0].template[0].spec[0].container[0].env :
      "${e.name}=${e.value_from[0].secret_key_ref[0].name}/${e.value_from[0].secret_key_ref[0].key}" if startswith(e.name, "ADMIN_")
    ]) == toset(["ADMIN_USERNAME=mastodon-admin-credentials/username", "ADMIN_EMAIL=mastodon-admin-credentials/email", "ADMIN_PASSWORD=mastodon-admin-credentials/password"])
    error_message = "the create-admin Job must read the admin's credentials from the Secret"
  }
  assert {
    condition     = alltrue([for e in module.admin_job["create-admin"].job.spec[0].template[0].spec[0].container[0].env : !strcontains(coalesce(e.value, "-"), kubernetes_secret_v1.admin_credentials[0].data.password)]) && !strcontains(jsonencode(module.admin_job["create-admin"].job.spec[0].template[0].spec[0].container[0].command), kubernetes_secret_v1.admin_credentials[0].data.password)
    error_message = "the admin password must reach the Job only through the Secret"
  }
  assert {
    condition     = strcontains(module.admin_job["create-admin"].job.spec[0].template[0].spec[0].container[0].command[2], "bin/tootctl accounts create \"$ADMIN_USERNAME\" --email \"$ADMIN_EMAIL\" --confirmed --role Owner") && strcontains(module.admin_job["create-admin"].job.spec[0].template[0].spec[0].container[0].command[2], "ENV.fetch(\"ADMIN_PASSWORD\")")
    error_message = "create-admin Job must create the Owner account and set the Secret's password"
  }
  assert {
    condition     = output.job_names == [module.jobs_before_release["db-prepare"].job.metadata[0].name, module.jobs_after_release["db-migrate"].job.metadata[0].name, module.admin_job["create-admin"].job.metadata[0].name] && keys(module.jobs_after_release) == ["db-migrate"]
    error_message = "job_names must list db-prepare, db-migrate, then create-admin, the admin Job in a call of its own"
  }
  assert {
    condition     = output.admin_username == "owner" && output.admin_commands.print_password == "kubectl -n social get secret mastodon-admin-credentials -o jsonpath='{.data.password}' | base64 -d" && output.admin_commands.reset_password == "kubectl -n social exec deploy/mastodon-web -- bin/tootctl accounts modify owner --reset-password"
    error_message = "admin outputs wrong"
  }

  # Load balancer: a hostname-only status (hairpin annotation) yields no IP rather than the hostname.
  assert {
    condition     = output.load_balancer_ip == null && output.load_balancer_ipv6 == null
    error_message = "load balancer outputs wrong"
  }
  assert {
    condition     = output.load_balancer_id == "4de7ac8b-495b-4884-9a69-1050c6793cd6" && output.load_balancer_name == "mastodon-lb"
    error_message = "load_balancer_id must be the cloud controller's load-balancer-id annotation on the Traefik Service"
  }
  assert {
    condition     = output.url == "https://mastodon.example.org"
    error_message = "url must use the web domain"
  }
}

run "scheduler_never_gets_two_replicas_even_when_web_scales" {
  command = plan

  variables {
    mastodon = {
      namespace         = "social"
      alternate_domains = ["example.net"]
      charts            = { mastodon = { chart = "/opt/charts/mastodon" } }
      acme_email        = "owner@example.org"
      sizing            = { preset = "large", web_replicas = 10, streaming_replicas = 4 }
    }
  }

  assert {
    condition     = [for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : w.replicas if contains(w.queues, "scheduler")] == [1]
    error_message = "scheduler replicas must stay 1"
  }
}

run "scale_out_cache_store_read_replica_and_autoscaling" {
  command = plan

  variables {
    valkey_cache          = { host = "private-cache.example.db.ondigitalocean.com", password = "cache-password-not-in-values" }
    postgres_read_replica = { host = "private-replica.example.db.ondigitalocean.com", database = "mastodon" }
  }

  # The cache store: the chart's redis.cache with its password from a Secret, and over TLS a CACHE_REDIS_URL that
  # names only the Secret-backed variable, in every component (env, never a ConfigMap).
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).redis.cache == { enabled = true, hostname = "private-cache.example.db.ondigitalocean.com", port = 25061, existingSecret = "mastodon-redis-cache" }
    error_message = "redis.cache must point at the cache Valkey with the password from its Secret"
  }
  assert {
    condition = alltrue([for c in ["web", "sidekiq", "streaming"] :
      yamldecode(helm_release.mastodon.values[0]).mastodon[c].extraEnvVars.CACHE_REDIS_URL == "rediss://default:$(CACHE_REDIS_PASSWORD)@private-cache.example.db.ondigitalocean.com:25061"
    ])
    error_message = "web, Sidekiq and streaming must reach the cache store with rediss:// and $(CACHE_REDIS_PASSWORD)"
  }
  assert {
    condition     = kubernetes_secret_v1.this["cache"].data.password == "cache-password-not-in-values" && !strcontains(helm_release.mastodon.values[0], "cache-password-not-in-values") && !strcontains(jsonencode(kubernetes_config_map_v1.jobs_env.data), "cache-password-not-in-values")
    error_message = "the cache password belongs in its Secret only"
  }
  assert {
    condition     = contains([for e in local.secret_env : e.name], "CACHE_REDIS_PASSWORD") && kubernetes_config_map_v1.jobs_env.data.CACHE_REDIS_HOST == "private-cache.example.db.ondigitalocean.com"
    error_message = "the module's Jobs must reach the cache store too"
  }

  # The read-only node: REPLICA_DB_* through the chart, the primary's Secret for the user, and streaming pointed at
  # the node's own port and database rather than the PgBouncer pool's.
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).postgresql.readReplica == { hostname = "private-replica.example.db.ondigitalocean.com", port = 25060, database = "mastodon", existingSecret = "mastodon-postgresql" }
    error_message = "postgresql.readReplica must name the read-only node and the primary's Secret"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraEnvVars.DB_PORT == "25060" && yamldecode(helm_release.mastodon.values[0]).mastodon.streaming.extraEnvVars.DB_NAME == "mastodon"
    error_message = "streaming must read from the node on its direct port and database"
  }

  # Autoscaling from the large preset: web's floor is web_replicas (3), streaming the preset's 2; both up to 4.
  assert {
    condition     = kubernetes_horizontal_pod_autoscaler_v2.this["web"].spec[0].min_replicas == 3 && kubernetes_horizontal_pod_autoscaler_v2.this["web"].spec[0].max_replicas == 4 && kubernetes_horizontal_pod_autoscaler_v2.this["streaming"].spec[0].min_replicas == 2
    error_message = "HPA bounds wrong"
  }
  assert {
    condition     = kubernetes_horizontal_pod_autoscaler_v2.this["web"].spec[0].scale_target_ref[0].name == "mastodon-web" && [for m in kubernetes_horizontal_pod_autoscaler_v2.this["web"].spec[0].metric : m.resource[0].target[0].average_utilization] == [70, 80]
    error_message = "HPA must target the web Deployment on CPU 70% and memory 80%"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.web.replicas == 3 && length(helm_release.metrics_server) == 1
    error_message = "web must start at the HPA's minimum, with metrics-server installed"
  }
  # PodDisruptionBudgets let one pod go at a time, which never takes web or streaming below one pod.
  assert {
    condition     = alltrue([for k in ["web", "streaming"] : tonumber(kubernetes_pod_disruption_budget_v1.this[k].spec[0].max_unavailable) < kubernetes_horizontal_pod_autoscaler_v2.this[k].spec[0].min_replicas])
    error_message = "a PDB would allow every minimum replica to go at once"
  }
}

run "connection_budget_checked_against_the_pool" {
  command = plan

  # Large preset at its most replicas: 4 x 2 x 5 web threads + 45 Sidekiq threads = 85, on a 40-connection pool.
  variables {
    postgres = {
      pool_host      = "private-pg.example.db.ondigitalocean.com"
      pool_name      = "mastodon-pool"
      direct_host    = "private-pg.example.db.ondigitalocean.com"
      database       = "mastodon"
      user           = "mastodon"
      password       = "pg-password-not-in-values"
      ca_certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
      pool_size      = 40
    }
  }

  expect_failures = [var.mastodon]
}

run "sidekiq_pools_need_exactly_one_scheduler" {
  command = plan

  variables {
    mastodon = {
      namespace         = "social"
      alternate_domains = ["example.net"]
      charts            = { mastodon = { chart = "/opt/charts/mastodon" } }
      acme_email        = "owner@example.org"
      sizing = {
        preset = "large"
        sidekiq = [
          { name = "a", queues = [{ name = "default" }, { name = "scheduler" }] },
          { name = "b", queues = [{ name = "push" }, { name = "scheduler" }] },
        ]
      }
    }
  }

  expect_failures = [var.mastodon]
}

run "sidekiq_pools_from_the_input" {
  command = plan

  variables {
    mastodon = {
      namespace         = "social"
      alternate_domains = ["example.net"]
      charts            = { mastodon = { chart = "/opt/charts/mastodon" } }
      acme_email        = "owner@example.org"
      sizing = {
        preset = "small"
        sidekiq = [
          { name = "federation", concurrency = 8, replicas = 2, queues = [{ name = "ingress", weight = 3 }, { name = "push", weight = 2 }, { name = "pull" }], placement = "web" },
          { name = "scheduler", concurrency = 2, queues = [{ name = "scheduler" }, { name = "default" }, { name = "mailers" }], resources = { requests = { cpu = "100m" } } },
        ]
      }
    }
  }

  assert {
    condition     = [for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : [w.name, w.replicas, w.concurrency, w.queues]] == [["federation", 2, 8, ["ingress,3", "push,2", "pull"]], ["scheduler", 1, 2, ["scheduler", "default", "mailers"]]]
    error_message = "the Sidekiq pools input must reach the chart's workers, queues with their weights"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers[0].nodeSelector["doks.digitalocean.com/node-pool"] == "mastodon-web" && yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers[1].resources == { requests = { cpu = "100m" } }
    error_message = "a pool's placement and resources must reach its worker"
  }
  assert {
    condition     = keys(kubernetes_pod_disruption_budget_v1.this) == ["sidekiq-federation", "sidekiq-scheduler", "streaming", "web"] && length(kubernetes_horizontal_pod_autoscaler_v2.this) == 0 && length(helm_release.metrics_server) == 0
    error_message = "one PDB per pool; the small preset does not autoscale"
  }
}
