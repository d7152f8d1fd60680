# The generated or supplied values, for the Secret the chart reads.

output "values" {
  description = "The six values the chart's `mastodon.secrets.existingSecret` holds, keyed secret_key_base, vapid_private_key, vapid_public_key, are_primary_key, are_deterministic_key, are_derivation_salt."
  value       = local.values
  sensitive   = true
}

output "otp_secret" {
  description = "OTP_SECRET brought by an instance migrating from Mastodon < 4.3, or null (new instances need none)."
  value       = var.existing_secrets.otp_secret
  sensitive   = true
}

output "vapid_public_key" {
  description = "The VAPID public key (base64url, 65-byte uncompressed P-256 point): public by design, browsers receive it."
  value       = nonsensitive(local.values.vapid_public_key)
}
