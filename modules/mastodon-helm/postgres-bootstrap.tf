# DigitalOcean's API creates the Mastodon database owned by doadmin, and since PostgreSQL 15 only the owner may
# create tables in schema public: the first db:prepare, as the app user, fails with "permission denied for
# schema public". The API cannot change ownership, so a one-off Job runs the databases module's GRANTs as the
# admin user over the direct connection (PgBouncer pools are bound to the app user) before db:prepare.
# The app never sees the admin credentials: only this Job reads their Secret.

locals {
  # The SQL is not secret; only the credentials are. Every statement ends in exactly one semicolon so that a
  # missing one cannot glue two statements together.
  postgres_bootstrap_enabled = nonsensitive(var.postgres_bootstrap != null)
  postgres_bootstrap_sql = local.postgres_bootstrap_enabled ? join("\n", [
    for s in nonsensitive(var.postgres_bootstrap.statements) : "${trimsuffix(trimspace(s), ";")};"
  ]) : ""
  # Named after the statements: the Job runs again only when they change, never on every apply. At most 63
  # characters (the job-name label the Job controller sets).
  postgres_bootstrap_job_name = local.postgres_bootstrap_enabled ? "${trimsuffix(substr(local.fullname, 0, 41), "-")}-db-bootstrap-${substr(sha256(local.postgres_bootstrap_sql), 0, 8)}" : null
  postgres_bootstrap_ca_path  = "/etc/postgres-ca"
}

resource "kubernetes_secret_v1" "postgres_admin" {
  count = local.postgres_bootstrap_enabled ? 1 : 0

  metadata {
    name      = "${var.name}-postgresql-admin"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    username = var.postgres_bootstrap.admin_user
    password = var.postgres_bootstrap.admin_password
  }
}

resource "kubernetes_config_map_v1" "postgres_bootstrap" {
  count = local.postgres_bootstrap_enabled ? 1 : 0

  metadata {
    name      = "${var.name}-postgresql-bootstrap"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = {
    "bootstrap.sql" = local.postgres_bootstrap_sql
  }
}

resource "kubernetes_job_v1" "postgres_bootstrap" {
  count = local.postgres_bootstrap_enabled ? 1 : 0

  metadata {
    name      = local.postgres_bootstrap_job_name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.selector_base, { "app.kubernetes.io/component" = "db-bootstrap" })
  }

  spec {
    backoff_limit = 2

    template {
      metadata {
        labels = merge(local.selector_base, { "app.kubernetes.io/component" = "db-bootstrap" })
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

        # The postgres images start as root; 70 is the postgres user of the alpine variants. psql needs no
        # home directory or passwd entry here (-X, PGPASSWORD, PGSSLROOTCERT), so other images work as 70 too.
        security_context {
          run_as_non_root = true
          run_as_user     = 70
          run_as_group    = 70
          fs_group        = 70
        }

        container {
          name    = "db-bootstrap"
          image   = nonsensitive(var.postgres_bootstrap.image)
          command = ["psql", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1", "--echo-all", "--file=/sql/bootstrap.sql"]

          # The direct connection: the pool would connect as the app user, and DDL grants need a real session.
          env {
            name  = "PGHOST"
            value = var.postgres.direct_host
          }
          env {
            name  = "PGPORT"
            value = tostring(var.postgres.direct_port)
          }
          env {
            name  = "PGDATABASE"
            value = var.postgres.database
          }
          env {
            name  = "PGSSLMODE"
            value = nonsensitive(coalesce(var.postgres_bootstrap.ssl_mode, var.postgres.ssl_mode))
          }
          env {
            name  = "PGSSLROOTCERT"
            value = "${local.postgres_bootstrap_ca_path}/ca.crt"
          }
          env {
            name  = "PGCONNECT_TIMEOUT"
            value = "10"
          }
          env {
            name  = "PGAPPNAME"
            value = "${var.name}-db-bootstrap"
          }
          env {
            name = "PGUSER"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.postgres_admin[0].metadata[0].name
                key  = "username"
              }
            }
          }
          env {
            name = "PGPASSWORD"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.postgres_admin[0].metadata[0].name
                key  = "password"
              }
            }
          }

          resources {
            requests = { cpu = "10m", memory = "32Mi" }
            limits   = { memory = "128Mi" }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "sql"
            mount_path = "/sql"
            read_only  = true
          }
          volume_mount {
            name       = "ca"
            mount_path = local.postgres_bootstrap_ca_path
            read_only  = true
          }
        }

        volume {
          name = "sql"
          config_map {
            name = kubernetes_config_map_v1.postgres_bootstrap[0].metadata[0].name
          }
        }
        volume {
          name = "ca"
          secret {
            secret_name = kubernetes_secret_v1.db_ca.metadata[0].name
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

  # Like the migration Jobs: no TTL (a Job deleted by its TTL would be created, and run, again on the next
  # apply), and spec changes such as a new image do not re-run it; new statements give it a new name.
  lifecycle {
    ignore_changes = [spec]
  }
}
