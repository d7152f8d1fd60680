# Inputs: the Job's name and namespace, its pod, and a schedule that makes it a CronJob.

variable "name" {
  type        = string
  description = "Name of the Job (at most 63 characters: the Job controller puts it in a label) or CronJob (at most 52: its Jobs get an 11-character suffix)."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must be a DNS label of at most 63 characters."
  }
}

variable "namespace" {
  type        = string
  description = "Namespace the Job or CronJob runs in."
}

variable "labels" {
  type        = map(string)
  description = "Labels of the Job or CronJob, its Jobs and their pods."
  default     = {}
  nullable    = false
}

variable "pod" {
  type = object({
    container = string
    image     = string
    command   = list(string)
    security_context = object({
      run_as_user     = number
      run_as_group    = number
      fs_group        = number
      run_as_non_root = optional(bool)
    })
    container_security_context = optional(object({
      allow_privilege_escalation = bool
      read_only_root_filesystem  = bool
      drop_capabilities          = list(string)
    }))
    resources = optional(object({
      requests = map(string)
      limits   = map(string)
    }))
    node_selector = optional(map(string), {})
    tolerations = optional(list(object({
      key      = string
      operator = string
      value    = string
      effect   = string
    })), [])
    env_from_config_maps = optional(list(string), [])
    env = optional(list(object({
      name   = string
      value  = optional(string)
      secret = optional(string)
      key    = optional(string)
    })), [])
    volumes = optional(list(object({
      name       = string
      mount_path = string
      secret     = optional(string)
      config_map = optional(string)
    })), [])
  })
  description = "The pod: one container (name, image, command), pod and container security context, resources, placement, ConfigMaps for envFrom, env entries (a value, or a Secret and key) in order, and volumes from a Secret or a ConfigMap mounted read-only."
}

variable "schedule" {
  type        = string
  description = "Cron schedule (UTC): set, the module creates a CronJob; null (default), a one-off Job that apply waits for."
  default     = null

  validation {
    condition     = var.schedule == null || length(var.name) <= 52
    error_message = "name must be at most 52 characters for a CronJob: the Jobs it creates get an 11-character suffix."
  }
}

variable "backoff_limit" {
  type        = number
  description = "Retries of a failed pod before the Job fails."
  default     = 2
  nullable    = false
}

variable "timeout_minutes" {
  type        = number
  description = "How long apply waits for a one-off Job to complete."
  default     = 30
  nullable    = false
}
