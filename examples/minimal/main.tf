# The cheapest setup we would run in production: no HA control plane, one pool of two nodes (so a node can be
# drained for upgrades), the smallest PostgreSQL and Valkey plans, no CDN.

provider "digitalocean" {
  token = var.do_token
}

# Spaces buckets are managed through the S3 API, which needs a Spaces key rather than the API token. The root
# module creates that key with the default configuration above, and this configuration uses it, so no key is
# created by hand. Unknown until the key exists: the first plan shows the bucket as to-be-created, which needs
# no credentials; the apply creates the key first, then the bucket.
provider "digitalocean" {
  alias = "spaces"

  token             = var.do_token
  spaces_access_id  = module.mastodon.spaces_admin_access_key_id
  spaces_secret_key = module.mastodon.spaces_admin_secret_key
}

# Credentials come from the cluster resource; the token in state expires after 7 days, and the DigitalOcean
# provider fetches a new one while refreshing, before these providers are configured.
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

  cluster = {
    ha      = false
    version = var.kubernetes_version
    # An exact slug pins the version: auto-upgrades would move the cluster past it.
    auto_upgrade = var.kubernetes_version == null || endswith(coalesce(var.kubernetes_version, "."), ".")
  }
  node_pools = {
    default = { size = "s-2vcpu-4gb", node_count = 2 }
  }

  # 1 GB PostgreSQL: 22 backend connections, 17 of them in the PgBouncer pool; enough for a small instance
  # because transaction pooling queues the rest.
  postgres = { size = "db-s-1vcpu-1gb", restore_from = var.postgres_restore_from }
  valkey   = { size = "db-s-1vcpu-1gb" }

  spaces  = { force_destroy = var.media_force_destroy }
  project = {}
  dns     = { zone = var.dns_zone }

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
    charts  = var.charts
  }
}
