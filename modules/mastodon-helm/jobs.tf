# Database preparation, migrations and the first admin account, run as the module's own Jobs instead of the
# chart's hooks: the hooks can only reach Valkey with plain redis:// (REDIS_HOST from a ConfigMap), and the
# chart deletes its create-admin hook, log and password with it, once it succeeds.
#
# Order per apply (Jobs are named after the image tag, so an upgrade runs them again):
#   [grants as the admin user, when postgres_bootstrap is set: postgres-bootstrap.tf]
#   -> db:prepare with SKIP_POST_DEPLOYMENT_MIGRATIONS (schema on first install, pre-deployment migrations later)
#   -> chart release (new pods) -> db:migrate (post-deployment migrations) -> create the admin (first time only).

locals {
  # Non-secret environment for the Jobs, as the chart's `-predeploy` ConfigMap has it: the direct database
  # connection, because migrations cannot run through PgBouncer (mastodon/mastodon#15840).
  jobs_env = merge(
    {
      LOCAL_DOMAIN        = var.domain.local_domain
      RAILS_ENV           = "production"
      NODE_ENV            = "production"
      RAILS_LOG_LEVEL     = "info"
      DB_HOST             = var.postgres.direct_host
      DB_PORT             = tostring(var.postgres.direct_port)
      DB_NAME             = var.postgres.database
      PREPARED_STATEMENTS = "false"
      REDIS_HOST          = var.valkey.host
      REDIS_PORT          = tostring(var.valkey.port)
      S3_ENABLED          = "true"
      S3_BUCKET           = var.s3.bucket
      S3_ENDPOINT         = var.s3.endpoint
      S3_HOSTNAME         = var.s3.hostname
      S3_REGION           = var.s3.region
      S3_PROTOCOL         = "https"
    },
    var.domain.web_domain == null ? {} : { WEB_DOMAIN = var.domain.web_domain },
    length(var.domain.alternate_domains) == 0 ? {} : { ALTERNATE_DOMAINS = join(",", var.domain.alternate_domains) },
    var.s3.alias_host == null ? {} : { S3_ALIAS_HOST = var.s3.alias_host },
    local.search_env,
    local.db_tls_env,
  )

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
      { name = "AWS_ACCESS_KEY_ID", secret = local.secret_names.s3, key = "access-key-id" },
      { name = "AWS_SECRET_ACCESS_KEY", secret = local.secret_names.s3, key = "secret-access-key" },
      { name = "SMTP_LOGIN", secret = local.secret_names.smtp, key = "username" },
      { name = "SMTP_PASSWORD", secret = local.secret_names.smtp, key = "password" },
    ],
    var.opensearch == null ? [] : [
      { name = "ES_USER", secret = local.secret_names.opensearch, key = "username" },
      { name = "ES_PASS", secret = local.secret_names.opensearch, key = "password" },
    ],
  )

  # OTP_SECRET only where legacy two-factor secrets are migrated: the migration Jobs.
  otp_env = nonsensitive(module.secrets.otp_secret != null) ? [
    { name = "OTP_SECRET", secret = local.secret_names.app, key = "otp-secret" },
  ] : []

  jobs_before_release = {
    db-prepare = {
      name    = "${local.job_prefix}-db-prepare-${local.version_slug}"
      command = ["bundle", "exec", "rails", "db:prepare"]
      env     = { SKIP_POST_DEPLOYMENT_MIGRATIONS = "true" }
    }
  }

  jobs_after_release = merge(
    {
      db-migrate = {
        name    = "${local.job_prefix}-db-migrate-${local.version_slug}"
        command = ["bundle", "exec", "rails", "db:migrate"]
        env     = {}
      }
    },
    var.admin == null ? {} : {
      # Fixed name: created once. tootctl can only print a random password, which would then live in nothing
      # but this pod's log; so the account is created with it (the line is filtered out of the log) and a
      # Rails runner sets the password of the admin Secret, which stays the truth. A retry after a successful
      # create finds the account and sets the password again.
      create-admin = {
        name    = "${local.fullname}-create-admin"
        command = ["/bin/sh", "-c", local.create_admin_script]
        env     = {}
      }
    },
  )

  create_admin_script = <<-EOT
    bin/tootctl accounts create "$ADMIN_USERNAME" --email "$ADMIN_EMAIL" --confirmed --role Owner 2>&1 | grep -iv password
    exec bin/rails runner 'user = Account.find_local!(ENV.fetch("ADMIN_USERNAME")).user; password = ENV.fetch("ADMIN_PASSWORD"); user.update!(password: password, password_confirmation: password); puts "password of #{user.account.username} set from the Secret"'
  EOT

  # The admin's credentials, only for the create-admin Job.
  admin_env = [
    for name, key in { ADMIN_USERNAME = "username", ADMIN_EMAIL = "email", ADMIN_PASSWORD = "password" } :
    { name = name, secret = local.admin_secret_name, key = key }
  ]

  # Every one-off Job in the order an install runs them (the depends_on chain below enforces it).
  job_names = concat(
    compact([local.postgres_bootstrap_job_name]),
    [for k, j in local.jobs_before_release : j.name],
    [for k in ["db-migrate", "create-admin"] : local.jobs_after_release[k].name if contains(keys(local.jobs_after_release), k)],
  )

  # What every one-off Job and CronJob pod shares: the Mastodon image as its mastodon user (uid 991), on the
  # Sidekiq pool. Each resource adds its name, command and environment; the bootstrap Job its own image and user.
  job_pod = {
    image            = "${local.image}:${var.mastodon_version}"
    security_context = { run_as_user = 991, run_as_group = 991, fs_group = 991 }
    node_selector    = local.placement.sidekiq.nodeSelector
    tolerations      = local.placement.sidekiq.tolerations
  }

  # The environment after the ConfigMap, in this order: the Secret-backed variables, then the literal ones, so that
  # REDIS_URL's $(REDIS_PASSWORD) is defined earlier. An entry holds a `value` or a Secret's `secret` and `key`.
  job_env = {
    for k, j in merge(local.jobs_before_release, local.jobs_after_release) : k => concat(
      local.secret_env,
      local.otp_env,
      k == "create-admin" ? local.admin_env : [],
      [for name, value in merge(local.redis_tls_env, j.env) : { name = name, value = value }],
    )
  }
}

resource "kubernetes_config_map_v1" "jobs_env" {
  metadata {
    name      = "${var.name}-jobs-env"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = local.jobs_env
}

resource "kubernetes_job_v1" "before_release" {
  for_each = local.jobs_before_release

  metadata {
    name      = each.value.name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  }

  spec {
    backoff_limit = 2

    template {
      metadata {
        labels = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
      }

      spec {
        restart_policy                  = "Never"
        automount_service_account_token = false
        node_selector                   = local.job_pod.node_selector

        dynamic "toleration" {
          for_each = local.job_pod.tolerations
          content {
            key      = toleration.value.key
            operator = toleration.value.operator
            value    = toleration.value.value
            effect   = toleration.value.effect
          }
        }

        security_context {
          run_as_user  = local.job_pod.security_context.run_as_user
          run_as_group = local.job_pod.security_context.run_as_group
          fs_group     = local.job_pod.security_context.fs_group
        }

        volume {
          name = local.db_ca_volume.name
          secret {
            secret_name = kubernetes_secret_v1.db_ca.metadata[0].name
          }
        }

        container {
          name    = each.key
          image   = local.job_pod.image
          command = each.value.command

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.jobs_env.metadata[0].name
            }
          }

          volume_mount {
            name       = local.db_ca_volume.name
            mount_path = local.db_ca_volume.mount_path
            read_only  = true
          }

          dynamic "env" {
            for_each = local.job_env[each.key]
            content {
              name  = env.value.name
              value = try(env.value.value, null)
              dynamic "value_from" {
                for_each = can(env.value.secret) ? [env.value] : []
                content {
                  secret_key_ref {
                    name = value_from.value.secret
                    key  = value_from.value.key
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  wait_for_completion = true

  timeouts {
    create = "${var.timeouts.migration_minutes}m"
    update = "${var.timeouts.migration_minutes}m"
  }

  # A Job is immutable and runs once: a new image tag gives it a new name (and so a new run); other spec
  # changes must not re-run a finished migration or admin creation.
  lifecycle {
    ignore_changes = [spec]
  }

  depends_on = [
    # The grants that let the app user create tables in schema public (postgres-bootstrap.tf).
    kubernetes_job_v1.postgres_bootstrap,
    kubernetes_secret_v1.app,
    kubernetes_secret_v1.postgres,
    kubernetes_secret_v1.redis,
    kubernetes_secret_v1.s3,
    kubernetes_secret_v1.smtp,
    kubernetes_secret_v1.opensearch,
  ]
}

resource "kubernetes_job_v1" "after_release" {
  for_each = local.jobs_after_release

  metadata {
    name      = each.value.name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  }

  spec {
    backoff_limit = 2

    template {
      metadata {
        labels = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
      }

      spec {
        restart_policy                  = "Never"
        automount_service_account_token = false
        node_selector                   = local.job_pod.node_selector

        dynamic "toleration" {
          for_each = local.job_pod.tolerations
          content {
            key      = toleration.value.key
            operator = toleration.value.operator
            value    = toleration.value.value
            effect   = toleration.value.effect
          }
        }

        security_context {
          run_as_user  = local.job_pod.security_context.run_as_user
          run_as_group = local.job_pod.security_context.run_as_group
          fs_group     = local.job_pod.security_context.fs_group
        }

        volume {
          name = local.db_ca_volume.name
          secret {
            secret_name = kubernetes_secret_v1.db_ca.metadata[0].name
          }
        }

        container {
          name    = each.key
          image   = local.job_pod.image
          command = each.value.command

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.jobs_env.metadata[0].name
            }
          }

          volume_mount {
            name       = local.db_ca_volume.name
            mount_path = local.db_ca_volume.mount_path
            read_only  = true
          }

          dynamic "env" {
            for_each = local.job_env[each.key]
            content {
              name  = env.value.name
              value = try(env.value.value, null)
              dynamic "value_from" {
                for_each = can(env.value.secret) ? [env.value] : []
                content {
                  secret_key_ref {
                    name = value_from.value.secret
                    key  = value_from.value.key
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  wait_for_completion = true

  timeouts {
    create = "${var.timeouts.migration_minutes}m"
    update = "${var.timeouts.migration_minutes}m"
  }

  lifecycle {
    ignore_changes = [spec]
  }

  depends_on = [helm_release.mastodon, kubernetes_secret_v1.admin_credentials]
}
