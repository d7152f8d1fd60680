# Every Kubernetes Secret the module manages, as one map (name, namespace and data), and the admin's own. They exist before
# anything reads them (the release and the Jobs depend on them); values reach pods only by secretKeyRef.

# The first admin's password, kept where a node replacement cannot take it (the create-admin Job's log
# went with its pod). Mastodon accepts 8-72 characters; no special characters, so the value survives any
# shell it is pasted into.
resource "random_password" "admin" {
  count = local.admin_enabled ? 1 : 0

  length  = 32
  special = false
}

locals {
  secrets = merge(
    {
      app = {
        data = merge(
          {
            "secret-key-base"       = module.secrets.values.secret_key_base
            "vapid-private-key"     = module.secrets.values.vapid_private_key
            "vapid-public-key"      = module.secrets.values.vapid_public_key
            "are-primary-key"       = module.secrets.values.are_primary_key
            "are-deterministic-key" = module.secrets.values.are_deterministic_key
            "are-derivation-salt"   = module.secrets.values.are_derivation_salt
          },
          # The chart has no OTP key; only the migration Jobs read it, for instances coming from Mastodon < 4.3.
          local.otp_migrated ? { "otp-secret" = module.secrets.otp_secret } : {},
        )
      }
      postgres = { data = { username = var.postgres.user, password = var.postgres.password } }
      # Not secret, but mounted into every Mastodon pod from a Secret (the chart's `volumes` take Secrets).
      db_ca = { data = { "ca.crt" = var.postgres.ca_certificate } }
      redis = { data = { password = var.valkey.password } }
      s3    = { data = { "access-key-id" = var.s3.access_key_id, "secret-access-key" = var.s3.secret_access_key } }
      smtp  = { data = { username = var.smtp.login, password = var.smtp.password } }
    },
    # The cache Valkey's password, for the chart's redis.cache and CACHE_REDIS_URL.
    local.cache_enabled ? { cache = { data = { password = var.valkey_cache.password } } } : {},
    local.search_enabled ? {
      opensearch = { data = { username = var.opensearch.user, password = var.opensearch.password } }
    } : {},
    # Only the PostgreSQL bootstrap Job reads the cluster's admin credentials; the app never sees them.
    local.postgres_bootstrap_enabled ? {
      postgres_admin = { data = { username = var.postgres_bootstrap.admin_user, password = var.postgres_bootstrap.admin_password } }
    } : {},
    # Only for DNS-01: cert-manager reads the token from its own namespace (ClusterIssuer secrets live there).
    !local.dns01_enabled ? {} : {
      digitalocean_dns = {
        namespace = kubernetes_namespace_v1.edge["cert_manager"].metadata[0].name
        data      = { "access-token" = var.dns01_digitalocean.token }
      }
    },
  )
}

resource "kubernetes_secret_v1" "this" {
  for_each = local.secrets

  metadata {
    name      = local.secret_names[each.key]
    namespace = try(each.value.namespace, kubernetes_namespace_v1.this.metadata[0].name)
  }

  data = each.value.data
}

# The admin's credentials stand apart from the map: `./run admin --reset` sets a new password through tootctl
# and writes it here, and an apply must not put the first, no longer valid, password back.
resource "kubernetes_secret_v1" "admin_credentials" {
  count = local.admin_enabled ? 1 : 0

  metadata {
    name      = local.secret_names.admin
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.admin.username
    email    = var.admin.email
    password = random_password.admin[0].result
  }

  lifecycle {
    ignore_changes = [data["password"]]
  }
}

# Each Secret was its own resource before; the state moves with it.
moved {
  from = kubernetes_secret_v1.app
  to   = kubernetes_secret_v1.this["app"]
}

moved {
  from = kubernetes_secret_v1.postgres
  to   = kubernetes_secret_v1.this["postgres"]
}

moved {
  from = kubernetes_secret_v1.db_ca
  to   = kubernetes_secret_v1.this["db_ca"]
}

moved {
  from = kubernetes_secret_v1.redis
  to   = kubernetes_secret_v1.this["redis"]
}

moved {
  from = kubernetes_secret_v1.s3
  to   = kubernetes_secret_v1.this["s3"]
}

moved {
  from = kubernetes_secret_v1.smtp
  to   = kubernetes_secret_v1.this["smtp"]
}

moved {
  from = kubernetes_secret_v1.opensearch[0]
  to   = kubernetes_secret_v1.this["opensearch"]
}

moved {
  from = kubernetes_secret_v1.postgres_admin[0]
  to   = kubernetes_secret_v1.this["postgres_admin"]
}

moved {
  from = kubernetes_secret_v1.digitalocean_dns[0]
  to   = kubernetes_secret_v1.this["digitalocean_dns"]
}
