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
