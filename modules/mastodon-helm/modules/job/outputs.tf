# The planned Job or CronJob, for the parent module's tests.

output "name" {
  description = "Name of the Job or CronJob."
  value       = var.name
}

output "job" {
  description = "The one-off Job's metadata, spec, wait and timeouts as planned (null for a CronJob), for the parent module's tests."
  value = local.job ? {
    metadata            = kubernetes_job_v1.this[0].metadata
    spec                = kubernetes_job_v1.this[0].spec
    wait_for_completion = kubernetes_job_v1.this[0].wait_for_completion
    timeouts            = kubernetes_job_v1.this[0].timeouts
  } : null
}

output "cron_job" {
  description = "The CronJob's metadata and spec as planned (null for a one-off Job), for the parent module's tests."
  value = local.job ? null : {
    metadata = kubernetes_cron_job_v1.this[0].metadata
    spec     = kubernetes_cron_job_v1.this[0].spec
  }
}
