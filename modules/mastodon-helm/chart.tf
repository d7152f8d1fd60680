# The official Mastodon chart, wired to DigitalOcean's managed services as docs/architecture.md's table says. The
# values are typed HCL data and yamlencode'd; every secret is referenced through `existingSecret`.

locals {
  # The chart's worker entries. A pool placed on a role without a node pool gets no selector of its own and so
  # falls back to the sidekiq role's placement (the chart coalesces the per-worker and the shared values).
  sidekiq_workers = [for p in local.sidekiq_pools : {
    name        = p.name
    replicas    = p.replicas
    concurrency = p.concurrency
    queues      = [for q in p.queues : q.weight == null ? q.name : "${q.name},${q.weight}"]
    resources   = p.resources
    nodeSelector = merge([
      for pool in compact([contains(keys(var.node_pools), p.placement) ? p.placement : ""]) :
      merge({ "doks.digitalocean.com/node-pool" = var.node_pools[pool].name }, var.node_pools[pool].labels)
    ]...)
    tolerations = flatten([
      for pool in compact([contains(keys(var.node_pools), p.placement) ? p.placement : ""]) : [
        for t in var.node_pools[pool].taints : { key = t.key, operator = "Equal", value = t.value, effect = t.effect }
      ]
    ])
  }]

  # Streaming takes the chart's DB_HOST override to the read-only node but DB_PORT/DB_NAME from the env
  # ConfigMap (the PgBouncer pool's); these, in `env`, win over that ConfigMap and point it at the node itself.
  streaming_replica_env = var.postgres_read_replica == null ? {} : {
    DB_PORT = tostring(var.postgres_read_replica.port)
    DB_NAME = var.postgres_read_replica.database
  }

  # Mastodon's streaming server (node-postgres) verifies the chain and host name for any DB_SSLMODE but
  # `no-verify`, which is its word for libpq's `require`.
  streaming_ssl_mode = var.postgres.ssl_mode == "require" ? "no-verify" : var.postgres.ssl_mode

  ingress_annotations = {
    "cert-manager.io/cluster-issuer" = local.issuer_name
    # websecure only: port 80 then falls through to the entrypoint's HTTPS redirect (see routing.tf).
    "traefik.ingress.kubernetes.io/router.entrypoints" = "websecure"
    "traefik.ingress.kubernetes.io/router.tls"         = "true"
    "traefik.ingress.kubernetes.io/router.middlewares" = "${var.mastodon.namespace}-${local.body_limit_name}@kubernetescrd"
  }

  # Annotation-based scrape configs (the Prometheus Helm chart's default `kubernetes-pods` job, many agents) find
  # the exporter through these; operator-based stacks use a PodMonitor on the `prometheus` port instead.
  metrics_annotations = var.mastodon.metrics == null ? {} : {
    "prometheus.io/scrape" = "true"
    "prometheus.io/port"   = tostring(var.mastodon.metrics.port)
    "prometheus.io/path"   = "/metrics"
  }

  chart_values = {
    image = local.image

    mastodon = {
      localDomain      = var.domain.local_domain
      webDomain        = var.domain.web_domain == null ? "" : var.domain.web_domain
      alternateDomains = var.mastodon.alternate_domains
      trustedProxyIp   = join(",", var.trusted_proxy_cidrs)

      # The chart's hook Jobs get REDIS_HOST from a ConfigMap and no way to carry a TLS URL with the password,
      # and its create-admin hook is deleted with its log (the only place the password is printed). The
      # module runs those steps as its own Jobs (jobs.tf) with the same image and env plus the TLS URL.
      createAdmin = {
        enabled  = false
        username = try(var.admin.username, "")
        email    = try(var.admin.email, "")
      }
      hooks = {
        dbPrepare    = { enabled = false }
        dbMigrate    = { enabled = false }
        deploySearch = { enabled = false }
        s3Upload     = { enabled = false }
      }

      secrets = { existingSecret = kubernetes_secret_v1.this["app"].metadata[0].name }

      metrics = {
        prometheus = {
          enabled = var.mastodon.metrics != null
          port    = try(var.mastodon.metrics.port, 9394)
          web     = { detailed = try(var.mastodon.metrics.detailed, false) }
          sidekiq = { detailed = try(var.mastodon.metrics.detailed, false) }
        }
      }

      web = {
        replicas       = local.web_replicas
        minThreads     = tostring(local.preset.web.threads)
        maxThreads     = tostring(local.preset.web.threads)
        workers        = tostring(local.preset.web.workers)
        resources      = local.preset.web.resources
        nodeSelector   = local.placement.web.nodeSelector
        tolerations    = local.placement.web.tolerations
        extraEnvVars   = merge(local.redis_tls_env, local.chart_rails_db_env)
        podAnnotations = local.metrics_annotations
        # The chart has the value but no template; the module creates the PDBs (maintenance.tf).
        pdb = { enable = false }
      }

      sidekiq = {
        workers        = local.sidekiq_workers
        nodeSelector   = local.placement.sidekiq.nodeSelector
        tolerations    = local.placement.sidekiq.tolerations
        extraEnvVars   = merge(local.redis_tls_env, local.chart_rails_db_env)
        podAnnotations = local.metrics_annotations
      }

      streaming = {
        replicas  = local.streaming_replicas
        workers   = local.preset.streaming.workers
        image     = { repository = "ghcr.io/mastodon/mastodon-streaming", tag = local.image.tag }
        resources = local.preset.streaming.resources
        # Node's pg client otherwise either sends no TLS or rejects DigitalOcean's self-signed CA
        # (mastodon/mastodon#21431): the chart mounts the CA Secret's `ca.crt` and sets NODE_EXTRA_CA_CERTS and
        # DB_SSLMODE from `extraCerts`. Nothing may be set in the top-level `volumes`: chart 1.0.2 indents those
        # differently from the `extraCerts` volume, and the two together break the template.
        extraCerts = {
          existingSecret     = local.db_ca_volume.secret
          existingSecretKeys = { caCert = "ca.crt" }
          mountName          = local.db_ca_volume.name
          mountPath          = local.db_ca_volume.mount_path
          mountFile          = "ca.crt"
          sslMode            = local.streaming_ssl_mode
        }
        nodeSelector = local.placement.streaming.nodeSelector
        tolerations  = local.placement.streaming.tolerations
        extraEnvVars = merge(local.redis_tls_env, local.streaming_replica_env)
        pdb          = { enable = false }
      }

      s3 = {
        enabled        = true
        bucket         = var.s3.bucket
        endpoint       = var.s3.endpoint
        hostname       = var.s3.hostname
        region         = var.s3.region
        protocol       = "https"
        aliasHost      = var.s3.alias_host == null ? "" : var.s3.alias_host
        existingSecret = kubernetes_secret_v1.this["s3"].metadata[0].name
      }

      smtp = {
        server         = var.smtp.server
        port           = var.smtp.port
        fromAddress    = var.smtp.from_address
        domain         = coalesce(var.smtp.domain, var.domain.local_domain)
        authMethod     = var.smtp.auth_method
        enableStartTls = var.smtp.enable_starttls
        tls            = var.smtp.tls
        deliveryMethod = "smtp"
        existingSecret = kubernetes_secret_v1.this["smtp"].metadata[0].name
      }
    }

    # Explicit: the chart defaults to an HTTPRoute, which fails without Gateway API CRDs.
    httproute = { enabled = false }

    ingress = {
      enabled     = true
      className   = "traefik"
      annotations = local.ingress_annotations
      # The chart adds `<path>api/v1/streaming` to the streaming Service for every path listed here.
      hosts = [{ host = local.web_host, paths = [{ path = "/", pathType = "Prefix" }] }]
      tls   = [{ secretName = local.tls_secret, hosts = [local.web_host] }]
    }

    postgresql = {
      # The app goes through PgBouncer: the pool name is the database name it sees.
      hostname = var.postgres.pool_host
      port     = var.postgres.pool_port
      database = var.postgres.pool_name
      # The chart's default is the typo `mastodonn`; the Secret carries the real user, this only documents it.
      username           = var.postgres.user
      existingSecret     = kubernetes_secret_v1.this["postgres"].metadata[0].name
      preparedStatements = false
      # Migrations need session state PgBouncer's transaction mode cannot give (mastodon/chart#18).
      direct = {
        hostname = var.postgres.direct_host
        port     = var.postgres.direct_port
        database = var.postgres.database
      }
      # Reads on the read-only node, straight to it (its own connections): REPLICA_DB_* in the env ConfigMap,
      # the primary's user and password from the same Secret.
      readReplica = merge({ hostname = "" }, [
        for r in compact([var.postgres_read_replica == null ? "" : "on"]) : {
          hostname       = var.postgres_read_replica.host
          port           = var.postgres_read_replica.port
          database       = var.postgres_read_replica.database
          existingSecret = local.secret_names.postgres
        }
      ]...)
    }

    redis = {
      hostname       = var.valkey.host
      port           = var.valkey.port
      existingSecret = kubernetes_secret_v1.this["redis"].metadata[0].name
      # merge() over a filtered list: see elasticsearch below.
      cache = merge({ enabled = false }, [
        for c in compact([local.cache_enabled ? "on" : ""]) : {
          enabled        = true
          hostname       = var.valkey_cache.host
          port           = var.valkey_cache.port
          existingSecret = local.secret_names.cache
        }
      ]...)
    }

    # merge() over a zero- or one-element list instead of a conditional: a conditional between two object
    # shapes unifies them into map(string) and would turn `enabled`/`port` into strings.
    elasticsearch = merge({ enabled = false }, [
      for o in compact([var.opensearch == null ? "" : "on"]) : {
        enabled        = true
        hostname       = var.opensearch.host
        port           = var.opensearch.port
        tls            = true
        preset         = var.opensearch.preset
        existingSecret = local.secret_names.opensearch
      }
    ]...)
  }

  chart_values_yaml = yamlencode(local.chart_values)
}

resource "helm_release" "mastodon" {
  name       = var.name
  namespace  = kubernetes_namespace_v1.this.metadata[0].name
  repository = var.mastodon.charts.mastodon.repository
  chart      = var.mastodon.charts.mastodon.chart
  version    = var.mastodon.charts.mastodon.version
  values     = [local.chart_values_yaml]
  wait       = true
  timeout    = var.timeouts.release_seconds

  depends_on = [
    # Secrets first: pods and Jobs read them from the first second.
    kubernetes_secret_v1.this,
    # The schema exists (and pre-deployment migrations ran) before new pods start.
    module.jobs_before_release,
    # The Ingress references the ClusterIssuer and the body-limit Middleware.
    helm_release.edge,
  ]
}
