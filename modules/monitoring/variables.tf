# Inputs: what to watch, thresholds and where alerts go.

variable "name" {
  description = "Base name of the instance; every check and alert name starts with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "Variable name must be 3-32 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "domain" {
  description = "The Mastodon web domain; the uptime check requests https://<domain>/health, which answers without a database round trip."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "Variable domain must be a lowercase fully qualified domain name such as social.example.com."
  }
}

variable "emails" {
  description = "E-mail addresses every alert notifies besides `monitoring.extra_emails` (the root passes the admin's). DigitalOcean only delivers to addresses verified on the account (the account's or its team members' e-mails)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Variable emails must be e-mail addresses, each like ops@example.com."
  }
}

variable "monitoring" {
  description = <<-EOT
    What alerts tell and when.
    - `extra_emails`: more addresses (verified on the DigitalOcean account) besides `emails`.
    - `slack`: an incoming webhook every alert also posts to (null = e-mail only): `url`
      https://hooks.slack.com/services/..., `channel` the channel name shown with the alert.
    - `uptime`: probe regions, how long the instance must be down before telling (down_period), the latency
      ceiling in ms and how long it must be exceeded (latency_period), and how many days before the TLS
      certificate expires to warn (cert-manager renews 30 days before the end of a 90-day certificate, so a
      warning means renewal has failed for two weeks).
    - `window`: how long a value must stay above its threshold before the alert fires (5m, 10m, 30m or 1h).
    - `databases` / `nodes`: thresholds in percent, for databases (averaged over the cluster) and nodes (per
      Droplet).
  EOT
  type = object({
    extra_emails = optional(list(string), [])
    slack = optional(object({
      url     = string
      channel = string
    }))
    uptime = optional(object({
      regions         = optional(list(string), ["us_east", "eu_west"])
      down_period     = optional(string, "2m")
      latency_ms      = optional(number, 2000)
      latency_period  = optional(string, "5m")
      tls_expiry_days = optional(number, 14)
    }), {})
    window = optional(string, "10m")
    databases = optional(object({
      cpu_percent    = optional(number, 80)
      memory_percent = optional(number, 90)
      disk_percent   = optional(number, 80)
    }), {})
    nodes = optional(object({
      cpu_percent    = optional(number, 85)
      memory_percent = optional(number, 90)
      disk_percent   = optional(number, 85)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for e in var.monitoring.extra_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Variable monitoring.extra_emails must be e-mail addresses such as ops@example.com."
  }
  validation {
    condition     = length(var.emails) + length(var.monitoring.extra_emails) > 0
    error_message = "Variable monitoring needs someone to tell: with no admin (emails empty), list monitoring.extra_emails (or turn monitoring off)."
  }
  validation {
    condition     = var.monitoring.slack == null || can(regex("^https://hooks\\.slack\\.com/services/[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+$", try(var.monitoring.slack.url, "")))
    error_message = "Variable monitoring.slack.url must be a Slack incoming webhook URL such as https://hooks.slack.com/services/T0000/B0000/XXXX."
  }
  validation {
    condition     = var.monitoring.slack == null || try(length(trimspace(var.monitoring.slack.channel)) > 0 && length(var.monitoring.slack.channel) <= 80, false)
    error_message = "Variable monitoring.slack.channel must be a channel name of 1-80 characters, e.g. #mastodon-alerts."
  }
  validation {
    condition     = length(var.monitoring.uptime.regions) > 0 && alltrue([for r in var.monitoring.uptime.regions : contains(["us_east", "us_west", "eu_west", "se_asia"], r)])
    error_message = "Variable monitoring.uptime.regions must be a non-empty list of us_east, us_west, eu_west, se_asia."
  }
  validation {
    condition     = alltrue([for p in [var.monitoring.uptime.down_period, var.monitoring.uptime.latency_period] : contains(["2m", "3m", "5m", "10m", "15m", "30m", "1h"], p)])
    error_message = "Variable monitoring.uptime.down_period and latency_period must be one of 2m, 3m, 5m, 10m, 15m, 30m, 1h."
  }
  validation {
    condition     = var.monitoring.uptime.latency_ms >= 100 && var.monitoring.uptime.latency_ms <= 30000 && floor(var.monitoring.uptime.latency_ms) == var.monitoring.uptime.latency_ms
    error_message = "Variable monitoring.uptime.latency_ms must be a whole number of milliseconds from 100 to 30000."
  }
  validation {
    condition     = var.monitoring.uptime.tls_expiry_days >= 1 && var.monitoring.uptime.tls_expiry_days <= 60 && floor(var.monitoring.uptime.tls_expiry_days) == var.monitoring.uptime.tls_expiry_days
    error_message = "Variable monitoring.uptime.tls_expiry_days must be a whole number of days from 1 to 60."
  }
  validation {
    condition     = contains(["5m", "10m", "30m", "1h"], var.monitoring.window)
    error_message = "Variable monitoring.window must be one of 5m, 10m, 30m, 1h."
  }
  validation {
    condition = alltrue([
      for v in concat(values(var.monitoring.databases), values(var.monitoring.nodes)) : v > 0 && v < 100
    ])
    error_message = "Variable monitoring: every databases.*_percent and nodes.*_percent must be a percentage above 0 and below 100."
  }
}

variable "databases" {
  description = "Managed database clusters to watch, keyed by a stable role name (postgres, valkey, opensearch) with the cluster id as value; each gets CPU, memory and disk alerts."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.databases) : can(regex("^[a-z][a-z0-9-]{0,19}$", k))])
    error_message = "Variable databases keys must be 1-20 lowercase letters, digits or hyphens (e.g. postgres)."
  }
}

variable "node_tag" {
  description = "Droplet tag carried by every node of the cluster (modules/doks output node_tag, `k8s:<cluster id>`); node alerts select the nodes by it, so nodes added later by the autoscaler or an upgrade are covered."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9:_-]{1,255}$", var.node_tag))
    error_message = "Variable node_tag must be a DigitalOcean tag name (letters, digits, colons, hyphens, underscores)."
  }
}
