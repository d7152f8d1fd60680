# The one pod template renders the same pod for a one-off Job and for a CronJob.

mock_provider "kubernetes" {}

variables {
  name      = "social-mastodon-db-migrate-v4-6-2"
  namespace = "mastodon"
  labels    = { "app.kubernetes.io/component" = "db-migrate" }
  pod = {
    container            = "db-migrate"
    image                = "ghcr.io/mastodon/mastodon:v4.6.2"
    command              = ["bundle", "exec", "rails", "db:migrate"]
    security_context     = { run_as_user = 991, run_as_group = 991, fs_group = 991 }
    node_selector        = { "doks.digitalocean.com/node-pool" = "pool-sidekiq" }
    tolerations          = [{ key = "role", operator = "Equal", value = "sidekiq", effect = "NoSchedule" }]
    env_from_config_maps = ["social-jobs-env"]
    env = [
      { name = "REDIS_PASSWORD", secret = "social-redis", key = "password" },
      { name = "REDIS_URL", value = "rediss://default:$(REDIS_PASSWORD)@valkey:25061" },
    ]
    volumes = [
      { name = "db-ca", mount_path = "/etc/mastodon/db-ca", secret = "social-db-ca" },
      { name = "sql", mount_path = "/sql", config_map = "social-sql" },
    ]
  }
}

run "one_off_job" {
  command = apply

  assert {
    condition     = output.cron_job == null && output.job.metadata[0].name == "social-mastodon-db-migrate-v4-6-2" && output.job.wait_for_completion == true && output.job.timeouts.create == "30m"
    error_message = "a Job without schedule must be a one-off Job that apply waits for"
  }
  assert {
    condition     = output.job.spec[0].backoff_limit == 2 && output.job.spec[0].template[0].spec[0].restart_policy == "Never" && output.job.spec[0].template[0].spec[0].automount_service_account_token == false
    error_message = "the pod must never restart in place and get no service account token"
  }
  assert {
    condition     = [for e in output.job.spec[0].template[0].spec[0].container[0].env : e.name] == ["REDIS_PASSWORD", "REDIS_URL"] && output.job.spec[0].template[0].spec[0].container[0].env[0].value_from[0].secret_key_ref[0].name == "social-redis" && output.job.spec[0].template[0].spec[0].container[0].env[1].value == "rediss://default:$(REDIS_PASSWORD)@valkey:25061"
    error_message = "env must keep its order (Kubernetes expands only earlier variables), Secret references by secretKeyRef"
  }
  assert {
    condition     = [for v in output.job.spec[0].template[0].spec[0].volume : coalesce(try(v.secret[0].secret_name, null), try(v.config_map[0].name, null))] == ["social-db-ca", "social-sql"] && alltrue([for m in output.job.spec[0].template[0].spec[0].container[0].volume_mount : m.read_only])
    error_message = "volumes from a Secret or a ConfigMap, mounted read-only"
  }
  assert {
    condition     = output.job.spec[0].template[0].spec[0].toleration[0].value == "sidekiq" && output.job.spec[0].template[0].spec[0].node_selector["doks.digitalocean.com/node-pool"] == "pool-sidekiq" && output.job.spec[0].template[0].spec[0].container[0].env_from[0].config_map_ref[0].name == "social-jobs-env"
    error_message = "placement and envFrom wrong"
  }
}

run "cron_job_gets_the_same_pod" {
  command = apply

  variables {
    schedule      = "17 3 * * *"
    backoff_limit = 1
    # The previous run's pod, carried as a variable: OpenTofu evaluates `run.<name>` only in variables.
    one_off_pod = run.one_off_job.job.spec[0].template[0].spec[0]
  }

  assert {
    condition     = output.job == null && output.cron_job.spec[0].schedule == "17 3 * * *" && output.cron_job.spec[0].concurrency_policy == "Forbid" && output.cron_job.spec[0].timezone == "Etc/UTC"
    error_message = "a schedule must make a CronJob that never runs twice at once"
  }
  assert {
    condition = alltrue([
      for pair in [[output.cron_job.spec[0].job_template[0].spec[0].template[0].spec[0], var.one_off_pod]] :
      jsonencode([pair[0].container[0].image, pair[0].container[0].command, [for e in pair[0].container[0].env : [e.name, e.value]], [for m in pair[0].container[0].volume_mount : [m.name, m.mount_path, m.read_only]], pair[0].container[0].env_from[0].config_map_ref[0].name, [for v in pair[0].volume : v.name], pair[0].node_selector, pair[0].toleration[0].key, pair[0].security_context[0].run_as_user]) ==
      jsonencode([pair[1].container[0].image, pair[1].container[0].command, [for e in pair[1].container[0].env : [e.name, e.value]], [for m in pair[1].container[0].volume_mount : [m.name, m.mount_path, m.read_only]], pair[1].container[0].env_from[0].config_map_ref[0].name, [for v in pair[1].volume : v.name], pair[1].node_selector, pair[1].toleration[0].key, pair[1].security_context[0].run_as_user])
    ])
    error_message = "the CronJob's pod must be the Job's pod"
  }
  assert {
    condition     = output.cron_job.spec[0].job_template[0].spec[0].backoff_limit == 1
    error_message = "backoff_limit wrong"
  }
}
