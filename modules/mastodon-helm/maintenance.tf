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
      for w in local.preset.sidekiq : "sidekiq-${w.name}" => merge(local.selector_base, { "app.kubernetes.io/component" = "sidekiq-${w.name}" })
    },
  )

  maintenance_jobs = {
    media-remove = {
      schedule = var.maintenance.media_schedule
      command  = ["bin/tootctl", "media", "remove", "--days", tostring(var.maintenance.media_retention_days)]
    }
    preview-cards-remove = {
      schedule = var.maintenance.preview_cards_schedule
      command  = ["bin/tootctl", "preview_cards", "remove", "--days", tostring(var.maintenance.preview_cards_retention_days)]
    }
    media-remove-orphans = {
      schedule = var.maintenance.orphans_schedule
      command  = ["bin/tootctl", "media", "remove-orphans"]
    }
  }

  # The Jobs' order (jobs.tf, job_env) without OTP_SECRET, which only the migrations need.
  maintenance_env = concat(local.secret_env, [for name, value in merge(local.redis_tls_env, local.db_tls_env) : { name = name, value = value }])
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

resource "kubernetes_cron_job_v1" "maintenance" {
  for_each = local.maintenance_jobs

  metadata {
    name      = "${local.fullname}-${each.key}"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  }

  spec {
    schedule                      = each.value.schedule
    timezone                      = "Etc/UTC"
    concurrency_policy            = "Forbid"
    starting_deadline_seconds     = 3600
    successful_jobs_history_limit = 1
    failed_jobs_history_limit     = 3

    job_template {
      metadata {
        labels = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
      }

      spec {
        backoff_limit = 1

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

              # The chart's own ConfigMap: the same environment as web and sidekiq (through the pool).
              env_from {
                config_map_ref {
                  name = local.chart_env_cm
                }
              }

              volume_mount {
                name       = local.db_ca_volume.name
                mount_path = local.db_ca_volume.mount_path
                read_only  = true
              }

              dynamic "env" {
                for_each = local.maintenance_env
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
    }
  }

  # The ConfigMap it reads comes with the release.
  depends_on = [helm_release.mastodon]
}
