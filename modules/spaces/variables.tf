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
  description = "Spaces region slug the bucket goes to unless `spaces.region` says otherwise: ams3, atl1, blr1, fra1, lon1, nyc3, sfo2, sfo3, sgp1, syd1 or tor1."
  type        = string

  validation {
    condition     = contains(["ams3", "atl1", "blr1", "fra1", "lon1", "nyc3", "sfo2", "sfo3", "sgp1", "syd1", "tor1"], var.region)
    error_message = "Variable region must be a Spaces region: ams3, atl1, blr1, fra1, lon1, nyc3, sfo2, sfo3, sgp1, syd1 or tor1."
  }
}

variable "spaces" {
  description = <<-EOT
    The media bucket.
    - `region`: Spaces region, null = `region`.
    - `bucket_name`: exact name; null derives `<name>-media-<6 hex>` (Spaces names are global across all
      customers, and a destroyed name stays reserved for a while, so a suffix avoids collisions).
    - `force_destroy`: let `terraform destroy` delete a bucket that still holds objects (false: it holds users'
      media).
    - `versioning`: keep previous object versions (protects against overwrite and delete; costs storage).
    - `abort_incomplete_multipart_upload_days`: days after which unfinished multipart uploads are aborted.
    - `cors_allowed_origins`: origins allowed to GET/HEAD media cross-origin (`*`: media is public and web
      clients of other origins load it).
    - `cdn`: null = media from the bucket host; `{}` = a CDN endpoint (`ttl` 60, 600, 3600, 86400 or 604800 s);
      `custom_domain` serves it from e.g. media.example.com, with `cdn_dns_zone` (certificate and CNAME
      created) or `certificate_name` (an existing DigitalOcean certificate; point the CNAME at `cdn_endpoint`).
  EOT
  type = object({
    region                                 = optional(string)
    bucket_name                            = optional(string)
    force_destroy                          = optional(bool, false)
    versioning                             = optional(bool, false)
    abort_incomplete_multipart_upload_days = optional(number, 7)
    cors_allowed_origins                   = optional(list(string), ["*"])
    cdn = optional(object({
      ttl              = optional(number, 3600)
      custom_domain    = optional(string)
      certificate_name = optional(string)
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.spaces.region == null || contains(["ams3", "atl1", "blr1", "fra1", "lon1", "nyc3", "sfo2", "sfo3", "sgp1", "syd1", "tor1"], coalesce(var.spaces.region, "fra1"))
    error_message = "Variable spaces.region must be a Spaces region: ams3, atl1, blr1, fra1, lon1, nyc3, sfo2, sfo3, sgp1, syd1 or tor1 (or null for the main region)."
  }
  validation {
    condition     = var.spaces.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", coalesce(var.spaces.bucket_name, "x")))
    error_message = "Variable spaces.bucket_name must be 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
  validation {
    condition     = var.spaces.abort_incomplete_multipart_upload_days >= 1 && var.spaces.abort_incomplete_multipart_upload_days <= 365 && floor(var.spaces.abort_incomplete_multipart_upload_days) == var.spaces.abort_incomplete_multipart_upload_days
    error_message = "Variable spaces.abort_incomplete_multipart_upload_days must be a whole number from 1 to 365."
  }
  validation {
    condition     = length(var.spaces.cors_allowed_origins) > 0 && alltrue([for o in var.spaces.cors_allowed_origins : o == "*" || can(regex("^https?://[a-z0-9*.-]+(:[0-9]+)?$", o))])
    error_message = "Variable spaces.cors_allowed_origins must list \"*\" or origins like https://social.example.com."
  }
  validation {
    condition     = var.spaces.cdn == null || contains([60, 600, 3600, 86400, 604800], try(var.spaces.cdn.ttl, 0))
    error_message = "Variable spaces.cdn.ttl must be one of 60, 600, 3600, 86400 or 604800 seconds."
  }
  validation {
    condition     = try(var.spaces.cdn.custom_domain, null) == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", try(var.spaces.cdn.custom_domain, "")))
    error_message = "Variable spaces.cdn.custom_domain must be a lowercase FQDN such as media.example.com."
  }
}

variable "cdn_dns_zone" {
  description = "The DigitalOcean-managed DNS zone holding `spaces.cdn.custom_domain` (e.g. example.com): the module then creates the CNAME and, unless `spaces.cdn.certificate_name` is given, a Let's Encrypt certificate. null when the domain's DNS is elsewhere."
  type        = string
  default     = null

  validation {
    condition     = try(var.spaces.cdn.custom_domain, null) == null || var.cdn_dns_zone != null || try(var.spaces.cdn.certificate_name, null) != null
    error_message = "Variable spaces.cdn.custom_domain must lie in a DigitalOcean-managed zone given as cdn_dns_zone (the root module gives its dns.zone when the domain lies inside dns.zone): certificate and CNAME are then created; or come with spaces.cdn.certificate_name (an existing certificate)."
  }
  validation {
    condition     = var.cdn_dns_zone == null || try(endswith(var.spaces.cdn.custom_domain, ".${var.cdn_dns_zone}"), false)
    error_message = "Variable cdn_dns_zone must be a parent zone of spaces.cdn.custom_domain (e.g. media.example.com in example.com); a CDN cannot sit on a zone apex."
  }
}
