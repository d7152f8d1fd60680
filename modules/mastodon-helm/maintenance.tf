# What the chart lacks: PodDisruptionBudgets (its `pdb` values have no template) and cleanup CronJobs
# (media cache growth: bitnami/charts#16364, mastodon/mastodon#18774).

locals {
  # Selectors are the chart's own pod labels (templates/deployment-*.yaml).
  disruption_budgets = merge(
    {
      web       = merge(local.selector_base, { "app.kubernetes.io/component" = "web" })
      streaming = merge(local.selector_base, { "app.kubernetes.io/component" = "streaming" })
    },
    {
      for w in local.sidekiq_pools : "sidekiq-${w.name}" => merge(local.selector_base, { "app.kubernetes.io/component" = "sidekiq-${w.name}" })
    },
  )

  # CronJob names stay within 52 characters: the Jobs they create get an 11-character suffix, and a Job's
  # name is a 63-character label. Release names up to 30 characters keep `<fullname>-<key>` whole.
  maintenance_jobs = {
    media-remove = {
      schedule = var.mastodon.maintenance.media_schedule
      command  = ["bin/tootctl", "media", "remove", "--days", tostring(var.mastodon.maintenance.media_retention_days)]
    }
    preview-cards-remove = {
      schedule = var.mastodon.maintenance.preview_cards_schedule
      command  = ["bin/tootctl", "preview_cards", "remove", "--days", tostring(var.mastodon.maintenance.preview_cards_retention_days)]
    }
    media-remove-orphans = {
      schedule = var.mastodon.maintenance.orphans_schedule
      command  = ["bin/tootctl", "media", "remove-orphans"]
    }
  }

  # The one pod template (modules/job) with the chart's own ConfigMap: the same environment as web and Sidekiq
  # (through the pool), then the Secret-backed variables and the literal ones, in that order (without
  # OTP_SECRET, which only the migrations need).
  maintenance_pod = merge(local.job_pod, {
    env_from_config_maps = [local.chart_env_cm]
    env                  = concat(local.secret_env, [for name, value in merge(local.redis_tls_env, local.db_tls_env) : { name = name, value = value }])
  })
}

# maxUnavailable 1 rather than minAvailable: a single-replica Deployment must not block node drains forever,
# while several replicas never all go down at once during an upgrade of the node pool.
resource "kubernetes_pod_disruption_budget_v1" "this" {
  for_each = local.disruption_budgets

  metadata {
    name      = "${local.fullname}-${each.key}"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }

  spec {
    max_unavailable = "1"

    selector {
      match_labels = each.value
    }
  }
}

module "maintenance" {
  source   = "./modules/job"
  for_each = local.maintenance_jobs

  name          = "${trimsuffix(substr(local.fullname, 0, 51 - length(each.key)), "-")}-${each.key}"
  namespace     = kubernetes_namespace_v1.this.metadata[0].name
  labels        = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  schedule      = each.value.schedule
  backoff_limit = 1
  pod           = merge(local.maintenance_pod, { container = each.key, command = each.value.command })

  # The ConfigMap it reads comes with the release.
  depends_on = [helm_release.mastodon]
}

# Each CronJob was a resource of this module before; the state moves into the pod template module with it.
moved {
  from = kubernetes_cron_job_v1.maintenance["media-remove"]
  to   = module.maintenance["media-remove"].kubernetes_cron_job_v1.this[0]
}

moved {
  from = kubernetes_cron_job_v1.maintenance["preview-cards-remove"]
  to   = module.maintenance["preview-cards-remove"].kubernetes_cron_job_v1.this[0]
}

moved {
  from = kubernetes_cron_job_v1.maintenance["media-remove-orphans"]
  to   = module.maintenance["media-remove-orphans"].kubernetes_cron_job_v1.this[0]
}
