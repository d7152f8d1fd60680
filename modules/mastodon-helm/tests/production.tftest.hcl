# Production settings: large preset, role pools from the doks module, web domain != local domain, admin,
# OpenSearch, DNS-01 through DigitalOcean, a migrating instance's secrets, and a local chart path.

mock_provider "kubernetes" {}

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
  name      = "mastodon"
  namespace = "social"
  domain = {
    local_domain      = "example.org"
    web_domain        = "mastodon.example.org"
    alternate_domains = ["example.net"]
  }
  charts = {
    mastodon = { chart = "/opt/charts/mastodon" }
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
  sizing = {
    preset       = "large"
    web_replicas = 3
  }
  tls = {
    acme_email         = "owner@example.org"
    dns01_digitalocean = { token = "dop_v1_not_in_values" }
  }
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
    sizing = { preset = "large", web_replicas = 10, streaming_replicas = 4 }
  }

  assert {
    condition     = [for w in yamldecode(helm_release.mastodon.values[0]).mastodon.sidekiq.workers : w.replicas if contains(w.queues, "scheduler")] == [1]
    error_message = "scheduler replicas must stay 1"
  }
}
