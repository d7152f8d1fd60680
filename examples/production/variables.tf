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

variable "media_domain" {
  description = "Custom domain the CDN serves media from, e.g. media.example.com; must lie inside dns_zone."
  type        = string
}

variable "region" {
  description = "DigitalOcean region with DOKS, managed databases and Spaces (ams3, atl1, blr1, fra1, lon1, nyc3, sfo3, sgp1, syd1, tor1)."
  type        = string
  default     = "fra1"
  nullable    = false
}

variable "dns_zone" {
  description = "DNS zone holding domain and media_domain, managed in DigitalOcean (e.g. example.com)."
  type        = string
}

variable "create_dns_zone" {
  description = "Create dns_zone in DigitalOcean (then delegate it at your registrar); false when it already exists in the account."
  type        = bool
  default     = false
  nullable    = false
}

variable "control_plane_allowed_addresses" {
  description = "CIDRs allowed to reach the Kubernetes API (include the machine running Terraform and CI); null leaves it open."
  type        = list(string)
  default     = null
}
