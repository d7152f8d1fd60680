# The module's one-off Jobs, all through the one pod template (modules/job), instead of the chart's hooks: the
# hooks can only reach Valkey with plain redis:// (REDIS_HOST from a ConfigMap), and the chart deletes its
# create-admin hook, log and password with it, once it succeeds.
#
# Order per apply (migration Jobs are named after the image tag, so an upgrade runs them again):
#   [PostgreSQL bootstrap: grants as the admin user, when postgres_bootstrap is set]
#   -> db:prepare with SKIP_POST_DEPLOYMENT_MIGRATIONS (schema on first install, pre-deployment migrations later)
#   -> chart release (new pods) -> db:migrate (post-deployment migrations) -> create the admin (first time only).
#
# The bootstrap: DigitalOcean's API creates the Mastodon database owned by doadmin, and since PostgreSQL 15
# only the owner may create tables in schema public: the first db:prepare, as the app user, fails with
# "permission denied for schema public". The API cannot change ownership, so a Job runs the databases
# module's GRANTs as the admin user over the direct connection (PgBouncer pools are bound to the app user)
# before db:prepare. The app never sees the admin credentials: only that Job reads their Secret.

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
    length(var.mastodon.alternate_domains) == 0 ? {} : { ALTERNATE_DOMAINS = join(",", var.mastodon.alternate_domains) },
    var.s3.alias_host == null ? {} : { S3_ALIAS_HOST = var.s3.alias_host },
    local.search_env,
    local.db_tls_env,
    !local.cache_enabled ? {} : { CACHE_REDIS_HOST = var.valkey_cache.host, CACHE_REDIS_PORT = tostring(var.valkey_cache.port) },
  )

  # The SQL is not secret; only the credentials are. Every statement ends in exactly one semicolon so that a
  # missing one cannot glue two statements together.
  postgres_bootstrap_sql = local.postgres_bootstrap_enabled ? join("\n", [
    for s in nonsensitive(var.postgres_bootstrap.statements) : "${trimsuffix(trimspace(s), ";")};"
  ]) : ""
  postgres_bootstrap_ca_path = "/etc/postgres-ca"

  version_slug = lower(replace(var.mastodon.version, "/[^A-Za-z0-9-]/", "-"))
  # Job names carry the version so an upgrade runs migrations again; they must stay within 63 characters.
  job_prefix = substr(local.fullname, 0, max(1, 63 - length("-db-prepare-") - length(local.version_slug)))

  # The environment after the ConfigMap, in this order: the Secret-backed variables, then the literal ones,
  # so that REDIS_URL's $(REDIS_PASSWORD) is defined earlier. OTP_SECRET only where legacy two-factor secrets
  # are migrated: the migration Jobs.
  mastodon_env = concat(
    local.secret_env,
    local.otp_migrated ? [{ name = "OTP_SECRET", secret = local.secret_names.app, key = "otp-secret" }] : [],
  )
  mastodon_pod = merge(local.job_pod, { env_from_config_maps = [kubernetes_config_map_v1.jobs_env.metadata[0].name] })

  # The bootstrap: named after the statements, so it runs again only when they change, never on every apply
  # or image change. At most 63 characters (the job-name label the Job controller sets).
  postgres_bootstrap_job = local.postgres_bootstrap_enabled ? {
    db-bootstrap = {
      name = "${trimsuffix(substr(local.fullname, 0, 41), "-")}-db-bootstrap-${substr(sha256(local.postgres_bootstrap_sql), 0, 8)}"
      pod = merge(local.job_pod, {
        image   = nonsensitive(var.postgres_bootstrap.image)
        command = ["psql", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1", "--echo-all", "--file=/sql/bootstrap.sql"]
        # The postgres images start as root; 70 is the postgres user of the alpine variants. psql needs no
        # home directory or passwd entry here (-X, PGPASSWORD, PGSSLROOTCERT), so other images work as 70 too.
        security_context           = { run_as_non_root = true, run_as_user = 70, run_as_group = 70, fs_group = 70 }
        container_security_context = { allow_privilege_escalation = false, read_only_root_filesystem = true, drop_capabilities = ["ALL"] }
        resources                  = { requests = { cpu = "10m", memory = "32Mi" }, limits = { memory = "128Mi" } }
        # The direct connection: the pool would connect as the app user, and DDL grants need a real session.
        env = [
          { name = "PGHOST", value = var.postgres.direct_host },
          { name = "PGPORT", value = tostring(var.postgres.direct_port) },
          { name = "PGDATABASE", value = var.postgres.database },
          { name = "PGSSLMODE", value = nonsensitive(coalesce(var.postgres_bootstrap.ssl_mode, var.postgres.ssl_mode)) },
          { name = "PGSSLROOTCERT", value = "${local.postgres_bootstrap_ca_path}/ca.crt" },
          { name = "PGCONNECT_TIMEOUT", value = "10" },
          { name = "PGAPPNAME", value = "${var.name}-db-bootstrap" },
          { name = "PGUSER", secret = local.secret_names.postgres_admin, key = "username" },
          { name = "PGPASSWORD", secret = local.secret_names.postgres_admin, key = "password" },
        ]
        volumes = [
          { name = "sql", mount_path = "/sql", config_map = kubernetes_config_map_v1.postgres_bootstrap[0].metadata[0].name },
          { name = "ca", mount_path = local.postgres_bootstrap_ca_path, secret = local.secret_names.db_ca },
        ]
      })
    }
  } : {}

  jobs_before_release = {
    db-prepare = {
      name = "${local.job_prefix}-db-prepare-${local.version_slug}"
      pod = merge(local.mastodon_pod, {
        command = ["bundle", "exec", "rails", "db:prepare"]
        env     = concat(local.mastodon_env, [for name, value in merge(local.redis_tls_env, { SKIP_POST_DEPLOYMENT_MIGRATIONS = "true" }) : { name = name, value = value }])
      })
    }
  }

  jobs_after_release = {
    db-migrate = {
      name = "${local.job_prefix}-db-migrate-${local.version_slug}"
      pod = merge(local.mastodon_pod, {
        command = ["bundle", "exec", "rails", "db:migrate"]
        env     = concat(local.mastodon_env, [for name, value in local.redis_tls_env : { name = name, value = value }])
      })
    }
  }

  # Fixed name: created once. tootctl can only print a random password, which would then live in nothing
  # but this pod's log; so the account is created with it (the line is filtered out of the log) and a
  # Rails runner sets the password of the admin Secret, which stays the truth. A retry after a successful
  # create finds the account and sets the password again.
  admin_job = local.admin_enabled ? {
    create-admin = {
      name = "${local.fullname}-create-admin"
      pod = merge(local.mastodon_pod, {
        command = ["/bin/sh", "-c", local.create_admin_script]
        env = concat(
          local.mastodon_env,
          [for name, key in { ADMIN_USERNAME = "username", ADMIN_EMAIL = "email", ADMIN_PASSWORD = "password" } : { name = name, secret = local.secret_names.admin, key = key }],
          [for name, value in local.redis_tls_env : { name = name, value = value }],
        )
      })
    }
  } : {}

  create_admin_script = <<-EOT
    bin/tootctl accounts create "$ADMIN_USERNAME" --email "$ADMIN_EMAIL" --confirmed --role Owner 2>&1 | grep -iv password
    exec bin/rails runner 'user = Account.find_local!(ENV.fetch("ADMIN_USERNAME")).user; password = ENV.fetch("ADMIN_PASSWORD"); user.update!(password: password, password_confirmation: password); puts "password of #{user.account.username} set from the Secret"'
  EOT


  # Every one-off Job in the order an install runs them (the depends_on chain below enforces it).
  job_names = concat(
    [for k, j in local.postgres_bootstrap_job : j.name],
    [for k, j in local.jobs_before_release : j.name],
    [for k, j in local.jobs_after_release : j.name],
    [for k, j in local.admin_job : j.name],
  )
}

resource "kubernetes_config_map_v1" "jobs_env" {
  metadata {
    name      = local.jobs_env_cm
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  data = local.jobs_env
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

module "postgres_bootstrap_job" {
  source   = "./modules/job"
  for_each = local.postgres_bootstrap_job

  name            = each.value.name
  namespace       = kubernetes_namespace_v1.this.metadata[0].name
  labels          = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  pod             = merge(each.value.pod, { container = each.key })
  timeout_minutes = var.timeouts.migration_minutes

  depends_on = [kubernetes_secret_v1.this]
}

module "jobs_before_release" {
  source   = "./modules/job"
  for_each = local.jobs_before_release

  name            = each.value.name
  namespace       = kubernetes_namespace_v1.this.metadata[0].name
  labels          = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  pod             = merge(each.value.pod, { container = each.key })
  timeout_minutes = var.timeouts.migration_minutes

  # The grants that let the app user create tables in schema public come first.
  depends_on = [module.postgres_bootstrap_job, kubernetes_secret_v1.this]
}

module "jobs_after_release" {
  source   = "./modules/job"
  for_each = local.jobs_after_release

  name            = each.value.name
  namespace       = kubernetes_namespace_v1.this.metadata[0].name
  labels          = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  pod             = merge(each.value.pod, { container = each.key })
  timeout_minutes = var.timeouts.migration_minutes

  depends_on = [helm_release.mastodon, kubernetes_secret_v1.this]
}

module "admin_job" {
  source   = "./modules/job"
  for_each = local.admin_job

  name            = each.value.name
  namespace       = kubernetes_namespace_v1.this.metadata[0].name
  labels          = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  pod             = merge(each.value.pod, { container = each.key })
  timeout_minutes = var.timeouts.migration_minutes

  # The account is created in the schema db:migrate leaves, after the post-deployment migrations: an admin
  # created beside them could meet tables they are still changing.
  depends_on = [module.jobs_after_release, kubernetes_secret_v1.this, kubernetes_secret_v1.admin_credentials]
}

# Each Job was a resource of this module before; the state moves into the pod template module with it.
moved {
  from = kubernetes_job_v1.postgres_bootstrap[0]
  to   = module.postgres_bootstrap_job["db-bootstrap"].kubernetes_job_v1.this[0]
}

moved {
  from = kubernetes_job_v1.before_release["db-prepare"]
  to   = module.jobs_before_release["db-prepare"].kubernetes_job_v1.this[0]
}

moved {
  from = kubernetes_job_v1.after_release["db-migrate"]
  to   = module.jobs_after_release["db-migrate"].kubernetes_job_v1.this[0]
}

moved {
  from = kubernetes_job_v1.after_release["create-admin"]
  to   = module.jobs_after_release["create-admin"].kubernetes_job_v1.this[0]
}

# create-admin was an instance of jobs_after_release beside db-migrate; now a call of its own that waits for it.
moved {
  from = module.jobs_after_release["create-admin"]
  to   = module.admin_job["create-admin"]
}
