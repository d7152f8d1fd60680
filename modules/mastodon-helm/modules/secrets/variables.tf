# Inputs: the values an operator migrates from an existing instance, if any.

variable "existing_secrets" {
  type = object({
    secret_key_base       = optional(string)
    vapid_private_key     = optional(string)
    vapid_public_key      = optional(string)
    are_primary_key       = optional(string)
    are_deterministic_key = optional(string)
    are_derivation_salt   = optional(string)
    otp_secret            = optional(string)
  })
  description = "Values an instance migrating in already uses; each one set replaces the generated value. Changing them later breaks sessions, push subscriptions or encrypted columns; the VAPID pair and the three ActiveRecord encryption values each come whole."
  default     = {}
  nullable    = false
  sensitive   = true

  # Values as Mastodon's generators print them (rake secret, webpush:generate_vapid_key, db:encryption:init);
  # an empty string would silently fall back to a generated value.
  validation {
    condition     = alltrue([for v in [var.existing_secrets.secret_key_base, var.existing_secrets.otp_secret] : v == null || can(regex("^[^\\s]{64,}$", v))])
    error_message = "Variable existing_secrets.secret_key_base and otp_secret must be the old instance's values as `rake secret` printed them: 64 or more characters without spaces or line breaks (or null to generate)."
  }
  validation {
    condition     = (var.existing_secrets.vapid_private_key == null) == (var.existing_secrets.vapid_public_key == null)
    error_message = "Variable existing_secrets: vapid_private_key and vapid_public_key come as a pair: give both of the old instance's keys (or neither, for a new pair)."
  }
  validation {
    condition = (var.existing_secrets.vapid_private_key == null || can(regex("^[A-Za-z0-9_-]{42,43}={0,2}$", coalesce(var.existing_secrets.vapid_private_key, "-")))) && (
    var.existing_secrets.vapid_public_key == null || can(regex("^B[A-Za-z0-9_-]{86}=?$", coalesce(var.existing_secrets.vapid_public_key, "-"))))
    error_message = "Variable existing_secrets.vapid_private_key must be a base64url P-256 private key (43 characters) and vapid_public_key a base64url uncompressed public key (87 characters, starting with B); check that they are not swapped."
  }
  validation {
    condition     = length(compact([for v in [var.existing_secrets.are_primary_key, var.existing_secrets.are_deterministic_key, var.existing_secrets.are_derivation_salt] : v == null ? "" : "set"])) % 3 == 0
    error_message = "Variable existing_secrets: are_primary_key, are_deterministic_key and are_derivation_salt go together; give all three of the old instance's values (or none, to generate them)."
  }
  validation {
    condition     = alltrue([for v in [var.existing_secrets.are_primary_key, var.existing_secrets.are_deterministic_key, var.existing_secrets.are_derivation_salt] : v == null || can(regex("^[^\\s]{32,}$", v))])
    error_message = "Variable existing_secrets.are_* must be the old instance's ActiveRecord encryption values as db:encryption:init printed them: 32 or more characters without spaces or line breaks."
  }
}
