# postgres_bootstrap: the one-off Job that grants the app user schema public on managed PostgreSQL 15+, run as
# the admin user before db:prepare. Kubernetes and Helm are mocked.

mock_provider "kubernetes" {
  source = "../../tests/mocks/kubernetes"
}

mock_provider "helm" {}

variables {
  postgres_bootstrap = {
    admin_user     = "doadmin"
    admin_password = "admin-password-only-in-a-secret"
    statements = [
      "GRANT ALL PRIVILEGES ON DATABASE \"mastodon\" TO \"mastodon\";",
      "GRANT ALL ON SCHEMA public TO \"mastodon\"",
    ]
  }
}

run "image_and_ssl_mode_are_overridable" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "admin-password-only-in-a-secret"
      image          = "postgres:18.1-alpine"
      ssl_mode       = "verify-full"
      statements = [
        "GRANT ALL PRIVILEGES ON DATABASE \"mastodon\" TO \"mastodon\";",
        "GRANT ALL ON SCHEMA public TO \"mastodon\"",
      ]
    }
  }

  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].image == "postgres:18.1-alpine"
    error_message = "postgres_bootstrap.image must be overridable"
  }
  assert {
    condition     = [for e in module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].env : e.value if e.name == "PGSSLMODE"] == ["verify-full"]
    error_message = "postgres_bootstrap.ssl_mode must reach PGSSLMODE"
  }
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name == "social-mastodon-db-bootstrap-31b1435e"
    error_message = "the image or ssl_mode must not be part of the bootstrap Job's name (only the statements are)"
  }
}

run "new_statements_rename_the_job" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "admin-password-only-in-a-secret"
      statements     = ["GRANT ALL ON SCHEMA public TO \"mastodon\";"]
    }
  }

  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name == "social-mastodon-db-bootstrap-282e625b"
    error_message = "new statements must give the bootstrap Job a new name (<fullname>-db-bootstrap-<hash>), so that it runs again"
  }
}

run "long_names_stay_within_63_characters" {
  command = plan

  variables {
    name = "a-forty-character-release-name-for-tests"
  }

  assert {
    condition     = length(module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name) <= 63 && can(regex("-db-bootstrap-[0-9a-f]{8}$", module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name))
    error_message = "the bootstrap Job name must fit the 63 characters of the job-name label"
  }

  assert {
    condition = alltrue([
      for job in concat([for m in values(module.jobs_before_release) : m.job], [for m in values(module.jobs_after_release) : m.job], [for m in values(module.admin_job) : m.job]) :
      length(job.metadata[0].name) <= 63
    ])
    error_message = "every migration Job name must fit the 63 characters of the job-name label"
  }

  assert {
    condition     = endswith(module.jobs_before_release["db-prepare"].job.metadata[0].name, "-db-prepare-v4-6-2")
    error_message = "a shortened db-prepare Job name must still end with the version it migrates to"
  }
}

run "bootstrap_off_creates_nothing" {
  command = plan

  variables {
    postgres_bootstrap = null
  }

  assert {
    condition     = length(module.postgres_bootstrap_job) == 0 && length([for k in keys(kubernetes_secret_v1.this) : k if k == "postgres_admin"]) == 0 && length(kubernetes_config_map_v1.postgres_bootstrap) == 0
    error_message = "without postgres_bootstrap there must be no bootstrap Job, admin Secret or SQL ConfigMap"
  }
  assert {
    condition     = output.job_names == ["social-mastodon-db-prepare-v4-6-2", "social-mastodon-db-migrate-v4-6-2"]
    error_message = "without postgres_bootstrap the Jobs are db-prepare and db-migrate only"
  }
}

run "bootstrap_grants_before_db_prepare" {
  command = apply

  # The admin credentials live in their own Secret, nowhere else.
  assert {
    condition     = kubernetes_secret_v1.this["postgres_admin"].metadata[0].name == "social-postgresql-admin" && kubernetes_secret_v1.this["postgres_admin"].data.username == "doadmin" && kubernetes_secret_v1.this["postgres_admin"].data.password == "admin-password-only-in-a-secret"
    error_message = "the admin credentials must be stored in the social-postgresql-admin Secret"
  }
  assert {
    condition = alltrue([
      for text in [
        jsonencode(module.postgres_bootstrap_job["db-bootstrap"].job.spec),
        jsonencode(kubernetes_config_map_v1.postgres_bootstrap[0].data),
        jsonencode(kubernetes_config_map_v1.jobs_env.data),
        jsonencode(kubernetes_secret_v1.this["postgres"].data),
        jsonencode(module.jobs_before_release["db-prepare"].job.spec),
        helm_release.mastodon.values[0],
      ] : !strcontains(text, "admin-password-only-in-a-secret") && !strcontains(text, "doadmin")
    ])
    error_message = "the admin user or password appears outside its Secret (Job spec, ConfigMap, app Secret, migration Job or chart values)"
  }

  # Only the non-secret SQL is in the ConfigMap, one statement per line, each ending in one semicolon.
  assert {
    condition     = kubernetes_config_map_v1.postgres_bootstrap[0].data["bootstrap.sql"] == "GRANT ALL PRIVILEGES ON DATABASE \"mastodon\" TO \"mastodon\";\nGRANT ALL ON SCHEMA public TO \"mastodon\";"
    error_message = "the bootstrap SQL ConfigMap must hold exactly the statements, each terminated"
  }

  # psql against the direct connection, verifying the cluster CA, in one transaction that stops on errors.
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].image == "postgres:17-alpine"
    error_message = "the default bootstrap image must be postgres:17-alpine"
  }
  assert {
    condition     = jsonencode(module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].command) == jsonencode(["psql", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1", "--echo-all", "--file=/sql/bootstrap.sql"])
    error_message = "psql must run the mounted SQL file in one transaction with ON_ERROR_STOP"
  }
  assert {
    condition = {
      for e in module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].env : e.name => e.value if contains(["PGHOST", "PGPORT", "PGDATABASE", "PGSSLMODE", "PGSSLROOTCERT"], e.name)
      } == {
      PGHOST        = "private-db.example.db.ondigitalocean.com"
      PGPORT        = "25060"
      PGDATABASE    = "mastodon"
      PGSSLMODE     = "verify-ca"
      PGSSLROOTCERT = "/etc/postgres-ca/ca.crt"
    }
    error_message = "the bootstrap Job must target the direct host, port 25060 and the database, with sslmode verify-ca against the mounted CA"
  }
  assert {
    condition = {
      for e in module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].env : e.name => "${e.value_from[0].secret_key_ref[0].name}/${e.value_from[0].secret_key_ref[0].key}" if contains(["PGUSER", "PGPASSWORD"], e.name)
    } == { PGUSER = "social-postgresql-admin/username", PGPASSWORD = "social-postgresql-admin/password" }
    error_message = "PGUSER and PGPASSWORD must come from the admin Secret by secretKeyRef"
  }
  assert {
    condition     = alltrue([for e in module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].env : e.value == "" || e.value == null if contains(["PGUSER", "PGPASSWORD"], e.name)])
    error_message = "PGUSER and PGPASSWORD must not carry a literal value"
  }
  assert {
    condition = {
      for v in module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].volume : v.name => coalesce(try(v.config_map[0].name, null), try(v.secret[0].secret_name, null))
    } == { sql = "social-postgresql-bootstrap", ca = "social-db-ca" }
    error_message = "the SQL must be mounted from its ConfigMap and the CA from the db-ca Secret"
  }

  # Non-root, locked down, bounded, like the other Jobs; no service account token.
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].security_context[0].run_as_user == "70" && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].security_context[0].run_as_non_root == true && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].automount_service_account_token == false
    error_message = "the bootstrap pod must run as uid 70 (non-root) without a service account token"
  }
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].security_context[0].allow_privilege_escalation == false && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].security_context[0].read_only_root_filesystem == true && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].resources[0].limits.memory == "128Mi"
    error_message = "the bootstrap container must drop privilege escalation, use a read-only root and have a memory limit"
  }
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.wait_for_completion == true && module.postgres_bootstrap_job["db-bootstrap"].job.timeouts.create == "30m" && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].ttl_seconds_after_finished == null
    error_message = "the bootstrap Job must be waited for, with the migration timeout, and have no TTL (a deleted Job would run again)"
  }

  # Named after the statements (at most 63 characters), and first in the order of Jobs.
  assert {
    condition     = can(regex("^social-mastodon-db-bootstrap-[0-9a-f]{8}$", module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name))
    error_message = "the bootstrap Job must be named <fullname>-db-bootstrap-<hash of the statements>"
  }
  # Golden name: sha256 of the two statements, each ";"-terminated, joined by newlines. The runs with another
  # image and ssl_mode expect this same name; the run with other statements expects another.
  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name == "social-mastodon-db-bootstrap-31b1435e"
    error_message = "the bootstrap Job's name must derive from the statements alone"
  }
  assert {
    condition     = output.job_names == [module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name, module.jobs_before_release["db-prepare"].job.metadata[0].name, module.jobs_after_release["db-migrate"].job.metadata[0].name]
    error_message = "the bootstrap Job must come before db-prepare and db-migrate"
  }
}

# Once run, the Job stays: a new image changes neither its name nor (ignore_changes) its spec, so no re-run.
run "a_new_image_does_not_rerun_the_job" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "admin-password-only-in-a-secret"
      image          = "postgres:18.1-alpine"
      statements = [
        "GRANT ALL PRIVILEGES ON DATABASE \"mastodon\" TO \"mastodon\";",
        "GRANT ALL ON SCHEMA public TO \"mastodon\"",
      ]
    }
  }

  assert {
    condition     = module.postgres_bootstrap_job["db-bootstrap"].job.metadata[0].name == "social-mastodon-db-bootstrap-31b1435e" && module.postgres_bootstrap_job["db-bootstrap"].job.spec[0].template[0].spec[0].container[0].image == "postgres:17-alpine"
    error_message = "a finished bootstrap Job must be neither renamed nor updated by an image change"
  }
}

run "admin_user_as_app_user_is_refused" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "mastodon"
      admin_password = "x"
      statements     = ["GRANT ALL ON SCHEMA public TO \"mastodon\";"]
    }
  }

  expect_failures = [var.postgres_bootstrap]
}

run "empty_statements_are_refused" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "x"
      statements     = [" ; "]
    }
  }

  expect_failures = [var.postgres_bootstrap]
}

run "unpinned_image_is_refused" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "x"
      image          = "postgres:alpine"
      statements     = ["GRANT ALL ON SCHEMA public TO \"mastodon\";"]
    }
  }

  expect_failures = [var.postgres_bootstrap]
}

run "unencrypted_ssl_mode_is_refused" {
  command = plan

  variables {
    postgres_bootstrap = {
      admin_user     = "doadmin"
      admin_password = "x"
      ssl_mode       = "disable"
      statements     = ["GRANT ALL ON SCHEMA public TO \"mastodon\";"]
    }
  }

  expect_failures = [var.postgres_bootstrap]
}
