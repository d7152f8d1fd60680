# A production layout: HA control plane, one pool per Mastodon role with autoscaling, PostgreSQL with a standby
# node, versioned media behind a CDN on a custom domain, everything in one DigitalOcean project.

provider "digitalocean" {
  token = var.do_token
}

# Spaces buckets are managed through the S3 API, which needs a Spaces key rather than the API token. The root
# module creates that key with the default configuration above, and this configuration uses it, so no key is
# created by hand.
provider "digitalocean" {
  alias = "spaces"

  token             = var.do_token
  spaces_access_id  = module.mastodon.spaces_admin_access_key_id
  spaces_secret_key = module.mastodon.spaces_admin_secret_key
}

provider "kubernetes" {
  host                   = module.mastodon.cluster_endpoint
  token                  = module.mastodon.cluster_token
  cluster_ca_certificate = module.mastodon.cluster_ca_certificate
}

provider "helm" {
  kubernetes = {
    host                   = module.mastodon.cluster_endpoint
    token                  = module.mastodon.cluster_token
    cluster_ca_certificate = module.mastodon.cluster_ca_certificate
  }
}

module "mastodon" {
  source = "../.."
  providers = {
    digitalocean        = digitalocean
    digitalocean.spaces = digitalocean.spaces
  }

  name   = var.name
  domain = var.domain
  region = var.region
  tags   = ["mastodon", "production"]

  cluster = {
    ha      = true
    version = var.kubernetes_version
    # An exact slug pins the version: auto-upgrades would move the cluster past it.
    auto_upgrade                    = var.kubernetes_version == null || endswith(coalesce(var.kubernetes_version, "."), ".")
    control_plane_allowed_addresses = var.control_plane_allowed_addresses
    autoscaler = {
      scale_down_unneeded_time = "10m"
      expanders                = ["least-waste"]
    }
  }

  # The default pool runs cluster add-ons and ingress; each Mastodon role gets its own pool so a Sidekiq backlog
  # cannot starve web requests. Sidekiq's taint keeps everything else off its nodes.
  node_pools = {
    default = { size = "s-2vcpu-4gb", node_count = 2 }
    web = {
      size      = "s-4vcpu-8gb"
      min_nodes = 2
      max_nodes = 4
      labels    = { "mastodon/role" = "web" }
    }
    streaming = {
      size      = "s-2vcpu-4gb"
      min_nodes = 1
      max_nodes = 2
      labels    = { "mastodon/role" = "streaming" }
    }
    sidekiq = {
      size      = "s-4vcpu-8gb"
      min_nodes = 1
      max_nodes = 3
      labels    = { "mastodon/role" = "sidekiq" }
      taints    = [{ key = "mastodon/role", value = "sidekiq", effect = "NoSchedule" }]
    }
  }

  # 4 GB: 97 backend connections, 92 in the pool. node_count = 2 adds a standby for automatic failover.
  postgres = { size = "db-s-2vcpu-4gb", node_count = 2, restore_from = var.postgres_restore_from }
  valkey   = { size = "db-s-1vcpu-2gb" }

  spaces = {
    versioning    = true
    force_destroy = var.media_force_destroy
    cdn           = { custom_domain = var.media_domain }
  }

  project = { environment = "Production" }
  dns     = { zone = var.dns_zone, create_zone = var.create_dns_zone }

  admin = { username = var.admin_username, email = var.admin_email }
  smtp = {
    server       = var.smtp.server
    port         = var.smtp.port
    login        = var.smtp.login
    password     = var.smtp_password
    from_address = var.smtp.from_address
  }
  mastodon = {
    version = var.mastodon_version
    sizing  = { preset = "large", web_replicas = 3, streaming_replicas = 2 }
    charts  = var.charts
  }

  # Default thresholds; the nodes of a busy instance run warmer, so alert on memory a little later.
  monitoring = var.alerts == null ? null : {
    extra_emails = var.alerts.extra_emails
    slack        = var.alerts.slack
    nodes        = { memory_percent = 92 }
  }
}
