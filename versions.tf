# Terraform and provider version ranges (the caller configures the providers).

terraform {
  required_version = ">= 1.9.0"

  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = ">= 2.90.0, < 3.0.0"
      # `digitalocean.spaces` is a configuration holding a Spaces key, for the S3-API resources of
      # modules/spaces. Callers build it from this module's `spaces_admin_*` outputs (see examples/).
      configuration_aliases = [digitalocean.spaces]
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0.0, < 4.0.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 3.0.0, < 4.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0, < 4.0.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = ">= 4.0.0, < 5.0.0"
    }
  }
}
