# The application's Kubernetes Secrets, from generated values or the operator's own (modules/secrets).

module "secrets" {
  source   = "./modules/secrets"
  existing = var.existing_secrets
}

locals {
  # Names the chart's `existingSecret` values point at. They exist before the release (and before the
  # migration Jobs), because pre-install work reads them (mastodon/helm-charts#80).
  secret_names = {
    app        = "${var.name}-app-secrets"
    postgres   = "${var.name}-postgresql"
    db_ca      = "${var.name}-db-ca"
    redis      = "${var.name}-redis"
    s3         = "${var.name}-s3"
    smtp       = "${var.name}-smtp"
    opensearch = "${var.name}-opensearch"
  }
}

resource "kubernetes_secret_v1" "app" {
  metadata {
    name      = local.secret_names.app
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

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
    module.secrets.otp_secret == null ? {} : { "otp-secret" = module.secrets.otp_secret },
  )
}

resource "kubernetes_secret_v1" "postgres" {
  metadata {
    name      = local.secret_names.postgres
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.postgres.user
    password = var.postgres.password
  }
}

# Not secret, but the chart only mounts the CA from a Secret (`extraCerts.existingSecret`).
resource "kubernetes_secret_v1" "db_ca" {
  metadata {
    name      = local.secret_names.db_ca
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    "ca.crt" = var.postgres.ca_certificate
  }
}

resource "kubernetes_secret_v1" "redis" {
  metadata {
    name      = local.secret_names.redis
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    password = var.valkey.password
  }
}

resource "kubernetes_secret_v1" "s3" {
  metadata {
    name      = local.secret_names.s3
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    "access-key-id"     = var.s3.access_key_id
    "secret-access-key" = var.s3.secret_access_key
  }
}

resource "kubernetes_secret_v1" "smtp" {
  metadata {
    name      = local.secret_names.smtp
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.smtp.login
    password = var.smtp.password
  }
}

resource "kubernetes_secret_v1" "opensearch" {
  count = var.opensearch == null ? 0 : 1

  metadata {
    name      = local.secret_names.opensearch
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.opensearch.user
    password = var.opensearch.password
  }
}

# The first admin's credentials, kept where a node replacement cannot take them (the create-admin Job's log
# went with its pod). A fixed name in the instance's namespace, so operator tooling finds it in any install.
# Mastodon accepts 8-72 characters; no special characters, so the value survives any shell it is pasted into.
locals {
  admin_secret_name = "mastodon-admin-credentials"
}

resource "random_password" "admin" {
  count = var.admin == null ? 0 : 1

  length  = 32
  special = false
}

resource "kubernetes_secret_v1" "admin_credentials" {
  count = var.admin == null ? 0 : 1

  metadata {
    name      = local.admin_secret_name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.admin.username
    email    = var.admin.email
    password = random_password.admin[0].result
  }

  # `./run admin --reset` sets a new password through tootctl and writes it here; an apply must not put the
  # first, no longer valid, password back.
  lifecycle {
    ignore_changes = [data["password"]]
  }
}
