# Inputs: names, region, bucket settings and the optional CDN.

variable "name" {
  description = "Base name resource names derive from (bucket `<name>-media-<suffix>`, key `<name>-media`). Lowercase letters, digits and hyphens, 3-32 characters, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "Variable name must be 3-32 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (DNS-safe)."
  }
}

variable "region" {
  description = "Spaces region slug: ams3, atl1, blr1, fra1, lon1, nyc3, sfo2, sfo3, sgp1, syd1 or tor1."
  type        = string

  validation {
    condition     = contains(["ams3", "atl1", "blr1", "fra1", "lon1", "nyc3", "sfo2", "sfo3", "sgp1", "syd1", "tor1"], var.region)
    error_message = "Variable region must be a Spaces region: ams3, atl1, blr1, fra1, lon1, nyc3, sfo2, sfo3, sgp1, syd1 or tor1."
  }
}

variable "bucket_name" {
  description = "Exact bucket name. Null derives `<name>-media-<6 hex>`: Spaces names are global across all customers, and a destroyed name stays reserved for a while, so a suffix avoids collisions."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", coalesce(var.bucket_name, "x")))
    error_message = "Variable bucket_name must be 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects. False by default: the bucket holds users' media."
  type        = bool
  default     = false
  nullable    = false
}

variable "versioning" {
  description = "Keep previous object versions (protects against accidental overwrite/delete; costs storage)."
  type        = bool
  default     = false
  nullable    = false
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which unfinished multipart uploads are aborted, so their parts stop costing storage."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && var.abort_incomplete_multipart_upload_days <= 365 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "Variable abort_incomplete_multipart_upload_days must be a whole number from 1 to 365."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to GET/HEAD media cross-origin. `*` by default: media is public and third-party web clients of other origins load it."
  type        = list(string)
  default     = ["*"]
  nullable    = false

  validation {
    condition     = length(var.cors_allowed_origins) > 0 && alltrue([for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[a-z0-9*.-]+(:[0-9]+)?$", o))])
    error_message = "Variable cors_allowed_origins must list \"*\" or origins like https://social.example.com."
  }
}

variable "cdn" {
  description = <<-EOT
    Optional CDN endpoint in front of the bucket; null (default) serves media from the bucket host.
    - `ttl`: edge cache TTL in seconds (60, 600, 3600, 86400 or 604800).
    - `custom_domain`: FQDN such as media.example.com to serve the CDN from.
    - `dns_zone`: the DigitalOcean-managed DNS zone holding `custom_domain` (e.g. example.com). When set, the
      module creates the CNAME, and (unless `certificate_name` is given) a Let's Encrypt certificate.
    - `certificate_name`: an existing DigitalOcean certificate for `custom_domain`; needed when the domain's DNS
      is not managed in DigitalOcean (then point the CNAME at `cdn_endpoint` yourself).
  EOT
  type = object({
    ttl              = optional(number, 3600)
    custom_domain    = optional(string)
    dns_zone         = optional(string)
    certificate_name = optional(string)
  })
  default = null

  validation {
    condition     = var.cdn == null || contains([60, 600, 3600, 86400, 604800], try(var.cdn.ttl, 0))
    error_message = "Variable cdn.ttl must be one of 60, 600, 3600, 86400 or 604800 seconds."
  }
  validation {
    condition     = try(var.cdn.custom_domain, null) == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", try(var.cdn.custom_domain, "")))
    error_message = "Variable cdn.custom_domain must be a lowercase FQDN such as media.example.com."
  }
  validation {
    condition     = try(var.cdn.custom_domain, null) == null || try(var.cdn.dns_zone, null) != null || try(var.cdn.certificate_name, null) != null
    error_message = "Variable cdn: a custom_domain needs dns_zone (DNS managed in DigitalOcean: certificate and CNAME are created) or certificate_name (an existing certificate)."
  }
  validation {
    condition     = try(var.cdn.dns_zone, null) == null || try(endswith(var.cdn.custom_domain, ".${var.cdn.dns_zone}"), false)
    error_message = "Variable cdn.dns_zone must be a parent zone of cdn.custom_domain (e.g. media.example.com in example.com); a CDN cannot sit on a zone apex."
  }
}
