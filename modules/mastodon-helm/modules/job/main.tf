# The one pod template of the module's one-off Jobs and CronJobs: a single container, placement, security
# context, environment in the order given (Kubernetes expands $(VAR) only from entries defined earlier) and
# read-only volumes. The Job and the CronJob nest the same template at different depths, and it is written out
# in both: HCL cannot share a block between resource types (a local holds values, not blocks), and
# kubernetes_manifest, which would take the template as one value, needs the cluster at plan time.
# tests/static/test_job_order.py fails as soon as the two renderings differ.

locals {
  job = var.schedule == null
}

resource "kubernetes_job_v1" "this" {
  count = local.job ? 1 : 0

  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = var.labels
  }

  spec {
    backoff_limit = var.backoff_limit

    template {
      metadata {
        labels = var.labels
      }

      spec {
        restart_policy                  = "Never"
        automount_service_account_token = false
        node_selector                   = var.pod.node_selector

        dynamic "toleration" {
          for_each = var.pod.tolerations
          content {
            key      = toleration.value.key
            operator = toleration.value.operator
            value    = toleration.value.value
            effect   = toleration.value.effect
          }
        }

        security_context {
          run_as_non_root = var.pod.security_context.run_as_non_root
          run_as_user     = var.pod.security_context.run_as_user
          run_as_group    = var.pod.security_context.run_as_group
          fs_group        = var.pod.security_context.fs_group
        }

        container {
          name    = var.pod.container
          image   = var.pod.image
          command = var.pod.command

          dynamic "env_from" {
            for_each = var.pod.env_from_config_maps
            content {
              config_map_ref {
                name = env_from.value
              }
            }
          }

          dynamic "env" {
            for_each = var.pod.env
            content {
              name  = env.value.name
              value = env.value.value
              dynamic "value_from" {
                for_each = env.value.secret == null ? [] : [env.value]
                content {
                  secret_key_ref {
                    name = value_from.value.secret
                    key  = value_from.value.key
                  }
                }
              }
            }
          }

          dynamic "resources" {
            for_each = var.pod.resources == null ? [] : [var.pod.resources]
            content {
              requests = resources.value.requests
              limits   = resources.value.limits
            }
          }

          dynamic "security_context" {
            for_each = var.pod.container_security_context == null ? [] : [var.pod.container_security_context]
            content {
              allow_privilege_escalation = security_context.value.allow_privilege_escalation
              read_only_root_filesystem  = security_context.value.read_only_root_filesystem
              capabilities {
                drop = security_context.value.drop_capabilities
              }
            }
          }

          dynamic "volume_mount" {
            for_each = var.pod.volumes
            content {
              name       = volume_mount.value.name
              mount_path = volume_mount.value.mount_path
              read_only  = true
            }
          }
        }

        dynamic "volume" {
          for_each = var.pod.volumes
          content {
            name = volume.value.name
            dynamic "secret" {
              for_each = volume.value.secret == null ? [] : [volume.value.secret]
              content {
                secret_name = secret.value
              }
            }
            dynamic "config_map" {
              for_each = volume.value.config_map == null ? [] : [volume.value.config_map]
              content {
                name = config_map.value
              }
            }
          }
        }
      }
    }
  }

  wait_for_completion = true

  timeouts {
    create = "${var.timeout_minutes}m"
    update = "${var.timeout_minutes}m"
  }

  # A Job is immutable and runs once: a new image tag or new statements give it a new name (and so a new run);
  # other spec changes must not re-run a finished migration or admin creation. No TTL either: a Job deleted by
  # its TTL would be created, and run, again on the next apply.
  lifecycle {
    ignore_changes = [spec]
  }
}

resource "kubernetes_cron_job_v1" "this" {
  count = local.job ? 0 : 1

  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = var.labels
  }

  spec {
    schedule                      = var.schedule
    timezone                      = "Etc/UTC"
    concurrency_policy            = "Forbid"
    starting_deadline_seconds     = 3600
    successful_jobs_history_limit = 1
    failed_jobs_history_limit     = 3

    job_template {
      metadata {
        labels = var.labels
      }

      spec {
        backoff_limit = var.backoff_limit

        template {
          metadata {
            labels = var.labels
          }

          spec {
            restart_policy                  = "Never"
            automount_service_account_token = false
            node_selector                   = var.pod.node_selector

            dynamic "toleration" {
              for_each = var.pod.tolerations
              content {
                key      = toleration.value.key
                operator = toleration.value.operator
                value    = toleration.value.value
                effect   = toleration.value.effect
              }
            }

            security_context {
              run_as_non_root = var.pod.security_context.run_as_non_root
              run_as_user     = var.pod.security_context.run_as_user
              run_as_group    = var.pod.security_context.run_as_group
              fs_group        = var.pod.security_context.fs_group
            }

            container {
              name    = var.pod.container
              image   = var.pod.image
              command = var.pod.command

              dynamic "env_from" {
                for_each = var.pod.env_from_config_maps
                content {
                  config_map_ref {
                    name = env_from.value
                  }
                }
              }

              dynamic "env" {
                for_each = var.pod.env
                content {
                  name  = env.value.name
                  value = env.value.value
                  dynamic "value_from" {
                    for_each = env.value.secret == null ? [] : [env.value]
                    content {
                      secret_key_ref {
                        name = value_from.value.secret
                        key  = value_from.value.key
                      }
                    }
                  }
                }
              }

              dynamic "resources" {
                for_each = var.pod.resources == null ? [] : [var.pod.resources]
                content {
                  requests = resources.value.requests
                  limits   = resources.value.limits
                }
              }

              dynamic "security_context" {
                for_each = var.pod.container_security_context == null ? [] : [var.pod.container_security_context]
                content {
                  allow_privilege_escalation = security_context.value.allow_privilege_escalation
                  read_only_root_filesystem  = security_context.value.read_only_root_filesystem
                  capabilities {
                    drop = security_context.value.drop_capabilities
                  }
                }
              }

              dynamic "volume_mount" {
                for_each = var.pod.volumes
                content {
                  name       = volume_mount.value.name
                  mount_path = volume_mount.value.mount_path
                  read_only  = true
                }
              }
            }

            dynamic "volume" {
              for_each = var.pod.volumes
              content {
                name = volume.value.name
                dynamic "secret" {
                  for_each = volume.value.secret == null ? [] : [volume.value.secret]
                  content {
                    secret_name = secret.value
                  }
                }
                dynamic "config_map" {
                  for_each = volume.value.config_map == null ? [] : [volume.value.config_map]
                  content {
                    name = config_map.value
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
