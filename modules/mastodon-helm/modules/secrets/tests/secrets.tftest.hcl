# random and tls run for real (no credentials, no network): these runs check the shapes Mastodon expects;
# tests/apply/test_secrets_apply.py checks the VAPID pair byte for byte with Python's cryptography.

run "generated_values_have_mastodons_shapes" {
  command = apply

  assert {
    condition     = can(regex("^[0-9a-f]{128}$", output.values.secret_key_base))
    error_message = "secret_key_base must be 128 lowercase hex digits, as `rake secret` prints."
  }

  assert {
    condition = alltrue([
      for key in ["are_primary_key", "are_deterministic_key", "are_derivation_salt"] :
      can(regex("^[A-Za-z0-9]{32}$", output.values[key]))
    ])
    error_message = "The ActiveRecord encryption values must be 32 letters and digits each, as db:encryption:init prints."
  }

  assert {
    condition     = can(regex("^[A-Za-z0-9_-]{43}=$", output.values.vapid_private_key))
    error_message = "The VAPID private key must be the 32-byte scalar in padded base64url (44 characters)."
  }

  assert {
    condition     = can(regex("^B[A-Za-z0-9_-]{86}=$", output.values.vapid_public_key)) && output.vapid_public_key == output.values.vapid_public_key
    error_message = "The VAPID public key must be the 65-byte uncompressed point (0x04 first, so 'B') in padded base64url."
  }

  assert {
    condition     = output.otp_secret == null
    error_message = "No OTP secret is generated: Mastodon >= 4.3 no longer uses one."
  }
}

run "existing_values_win" {
  command = apply

  variables {
    existing_secrets = {
      secret_key_base = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      otp_secret      = "legacy0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    }
  }

  assert {
    condition     = output.values.secret_key_base == "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" && output.otp_secret == "legacy0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    error_message = "A value brought by a migrating instance must replace the generated one."
  }

  assert {
    condition     = can(regex("^[A-Za-z0-9]{32}$", output.values.are_primary_key))
    error_message = "Values not brought are still generated."
  }
}

run "half_a_vapid_pair_is_refused" {
  command = plan

  variables {
    existing_secrets = { vapid_private_key = "only-one-half" }
  }

  expect_failures = [var.existing_secrets]
}
