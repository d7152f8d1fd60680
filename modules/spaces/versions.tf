# Terraform and provider version ranges (the caller configures the providers).

terraform {
  required_version = ">= 1.9.0"

  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = ">= 2.90.0, < 3.0.0"
      # Bucket and CORS calls go to the S3-compatible Spaces API, which needs a Spaces key in the provider
      # configuration; `digitalocean.spaces` is that configuration. Everything else (the bucket-scoped key, CDN,
      # certificate, DNS) uses the ordinary API token of the default configuration.
      configuration_aliases = [digitalocean.spaces]
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0, < 4.0.0"
    }
  }
}
