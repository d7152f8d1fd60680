# Inputs: the values an operator migrates from an existing instance, if any.

variable "existing" {
  type = object({
    secret_key_base       = optional(string)
    vapid_private_key     = optional(string)
    vapid_public_key      = optional(string)
    are_primary_key       = optional(string)
    are_deterministic_key = optional(string)
    are_derivation_salt   = optional(string)
    otp_secret            = optional(string)
  })
  description = "Values an instance migrating in already uses; each one set replaces the generated value. Changing them later breaks sessions, push subscriptions or encrypted columns."
  default     = {}
  nullable    = false
  sensitive   = true

  validation {
    condition     = (var.existing.vapid_private_key == null) == (var.existing.vapid_public_key == null)
    error_message = "existing.vapid_private_key and existing.vapid_public_key come as a pair: set both or neither."
  }

  validation {
    condition     = var.existing.secret_key_base == null || length(coalesce(var.existing.secret_key_base, "x")) >= 64
    error_message = "existing.secret_key_base must be at least 64 characters (Mastodon generates 128 hex digits)."
  }
}
