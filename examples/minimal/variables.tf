# The inputs this example takes (see terraform.tfvars.example); everything else keeps the module's defaults.

variable "do_token" {
  description = "DigitalOcean API token (read/write). Null falls back to the DIGITALOCEAN_TOKEN environment variable, which keeps it out of files."
  type        = string
  default     = null
  sensitive   = true
}

variable "name" {
  description = "Base name for every resource (DNS-safe, 3-32 characters)."
  type        = string
  default     = "mastodon"
  nullable    = false
}

variable "domain" {
  description = "The Mastodon web domain, e.g. social.example.com. It cannot change after the instance federates."
  type        = string
}

variable "region" {
  description = "DigitalOcean region with DOKS, managed databases and Spaces (ams3, atl1, blr1, fra1, lon1, nyc3, sfo3, sgp1, syd1, tor1)."
  type        = string
  default     = "fra1"
  nullable    = false
}

variable "dns_zone" {
  description = "DigitalOcean-managed DNS zone holding the domain (e.g. example.com), or null when DNS is managed elsewhere."
  type        = string
  default     = null
}

variable "admin_username" {
  description = "Username of the instance's first admin (Owner) account."
  type        = string
  default     = "owner"
  nullable    = false
}

variable "admin_email" {
  description = "E-mail of the first admin account; also registers the Let's Encrypt account."
  type        = string
}

variable "smtp" {
  description = "Outgoing mail relay (DigitalOcean blocks 25, 465 and 587: use port 2525 or your provider's alternative)."
  type = object({
    server       = string
    port         = optional(number, 2525)
    login        = string
    from_address = string
  })
}

variable "smtp_password" {
  description = "SMTP password. Keep it out of files: export TF_VAR_smtp_password."
  type        = string
  sensitive   = true
}

variable "charts" {
  description = "Chart sources for mastodon, traefik, cert_manager and metrics_server (installed when autoscaling is on), each { repository, chart, version }; null keeps the pinned defaults. With repository = null, chart is a local path or .tgz (air-gapped installs; plans offline)."
  type = object({
    mastodon       = optional(object({ repository = optional(string), chart = string, version = optional(string) }))
    traefik        = optional(object({ repository = optional(string), chart = string, version = optional(string) }))
    cert_manager   = optional(object({ repository = optional(string), chart = string, version = optional(string) }))
    metrics_server = optional(object({ repository = optional(string), chart = string, version = optional(string) }))
  })
  default  = {}
  nullable = false
}

variable "kubernetes_version" {
  description = "DOKS version: a prefix such as \"1.35.\" (newest matching release, looked up at plan) or an exact slug such as \"1.35.1-do.0\" (no lookup); null keeps the module's default prefix."
  type        = string
  default     = null
}

variable "mastodon_version" {
  description = "Mastodon image tag to run, e.g. \"v4.6.2\"; null keeps the module's pinned version. `./run upgrade --version` sets it for one run and refuses downgrades."
  type        = string
  default     = null
}

variable "media_force_destroy" {
  description = "Let a destroy delete the media bucket with every file in it. Leave false: `./run teardown --delete-media` sets it for that run only."
  type        = bool
  default     = false
  nullable    = false
}

variable "postgres_restore_from" {
  description = "Create PostgreSQL from a point-in-time backup: { cluster_name = the existing cluster (e.g. \"mastodon-pg\"), backup_created_at = RFC 3339 time or null for the latest }. See README, Restore. Keep it set once used."
  type = object({
    cluster_name      = string
    backup_created_at = optional(string)
  })
  default = null
}
