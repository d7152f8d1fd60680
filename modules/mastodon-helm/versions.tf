# Terraform and provider version ranges (the caller configures the providers).

terraform {
  required_version = ">= 1.9.0"

  # No digitalocean provider on purpose: this module plans and tests offline; the root module creates the DNS
  # records from `load_balancer_ip`.
  required_providers {
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
