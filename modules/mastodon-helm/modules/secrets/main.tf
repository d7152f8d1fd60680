# Every value Mastodon's own setup tasks would generate, produced by Terraform alone (no Docker, no script at
# apply). None of the resources has keepers: a secret changes only when its resource is replaced, so an
# unrelated input can never rotate one (mastodon/mastodon#19112, mastodon/chart#138).

# `rake secret` prints SecureRandom.hex(64): 128 lowercase hex digits.
resource "random_id" "secret_key_base" {
  byte_length = 64
}

# `bin/rails db:encryption:init` prints three SecureRandom.alphanumeric(32) values.
resource "random_password" "active_record_encryption" {
  for_each = toset(["primary_key", "deterministic_key", "derivation_salt"])

  length  = 32
  special = false
}

resource "tls_private_key" "vapid" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

locals {
  base64_alphabet    = split("", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  base64url_alphabet = split("", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

  # Terraform has no byte type, so a DER document is handled as a string of bits: every base64 character of
  # the PEM body becomes its 6-bit index ("=" padding carries no bits).
  vapid_der_bits = {
    for kind, pem in {
      private = tls_private_key.vapid.private_key_pem_pkcs8
      public  = tls_private_key.vapid.public_key_pem
      } : kind => join("", [
        for c in split("", replace(join("", [for line in split("\n", pem) : trimspace(line) if !startswith(trimspace(line), "-----")]), "=", "")) :
        format("%06b", index(local.base64_alphabet, c))
    ])
  }

  # Fixed DER offsets for a P-256 key as Go's x509 (the tls provider) writes it:
  # - PKCS#8: SEQ(3) version(3) AlgorithmIdentifier(21) OCTET STRING hdr(2) ECPrivateKey SEQ hdr(2) version(3)
  #   OCTET STRING hdr(2): the 32-byte private scalar starts at byte 36 (always 32 bytes, left-padded).
  # - SubjectPublicKeyInfo: SEQ(2) AlgorithmIdentifier(21) BIT STRING hdr(2) unused-bits(1): the 65-byte
  #   uncompressed point (0x04 || X || Y) starts at byte 26.
  vapid_fields = {
    private = { bits = local.vapid_der_bits.private, offset = 36, length = 32 }
    public  = { bits = local.vapid_der_bits.public, offset = 26, length = 65 }
  }

  # Re-encode 6 bits at a time, zero-filled to a whole character, then "="-padded to a multiple of four
  # characters: Ruby's Base64.urlsafe_encode64, which the web-push gem behind
  # `mastodon:webpush:generate_vapid_key` uses, pads (32 bytes -> 44 characters, 65 bytes -> 88).
  vapid_encoded = {
    for kind, f in local.vapid_fields : kind => format("%s%s",
      join("", [
        for i in range(ceil(f.length * 8 / 6)) : local.base64url_alphabet[parseint(
          substr(format("%s0000", substr(f.bits, f.offset * 8, f.length * 8)), i * 6, 6), 2
        )]
      ]),
      substr("==", 0, (3 - f.length % 3) % 3)
    )
  }

  generated = {
    secret_key_base       = random_id.secret_key_base.hex
    vapid_private_key     = local.vapid_encoded.private
    vapid_public_key      = local.vapid_encoded.public
    are_primary_key       = random_password.active_record_encryption["primary_key"].result
    are_deterministic_key = random_password.active_record_encryption["deterministic_key"].result
    are_derivation_salt   = random_password.active_record_encryption["derivation_salt"].result
  }

  values = { for key, value in local.generated : key => coalesce(var.existing_secrets[key], value) }
}
