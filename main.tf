locals {
  spaces_region = coalesce(var.spaces.region, var.region)

  # The zone records go into: created here, or an existing DigitalOcean zone; null when DNS lives elsewhere.
  # Reading the name from the resource when it is created orders every record after the zone.
  dns_zone = var.dns.create_zone ? one(digitalocean_domain.this[*].name) : var.dns.zone

  # Name of the web domain's records relative to the zone ("@" at the apex), for the A/AAAA records below.
  web_record_name = var.dns.zone == null ? null : (var.domain == var.dns.zone ? "@" : trimsuffix(var.domain, ".${var.dns.zone}"))

  cdn_custom_domain = try(var.spaces.cdn.custom_domain, null)
  spaces_cdn = var.spaces.cdn == null ? null : {
    ttl              = var.spaces.cdn.ttl
    custom_domain    = local.cdn_custom_domain
    certificate_name = var.spaces.cdn.certificate_name
    # Only when the custom domain lies in our DigitalOcean zone can the module issue the certificate and CNAME.
    dns_zone = local.cdn_custom_domain != null && var.dns.zone != null && endswith(coalesce(local.cdn_custom_domain, "-"), ".${coalesce(var.dns.zone, "-")}") ? local.dns_zone : null
  }
}

# Spaces buckets are created through the S3 API, which only accepts a Spaces key; a token is not enough. This
# key (fullaccess: the only grant that may create buckets) is what the caller's `digitalocean.spaces` provider
# configuration uses, so no key has to be created by hand. Terraform alone uses it; the app gets the
# bucket-scoped key from modules/spaces.
resource "digitalocean_spaces_key" "admin" {
  count = var.spaces.create_admin_key ? 1 : 0

  name = "${var.name}-terraform-spaces"

  grant {
    bucket     = ""
    permission = "fullaccess"
  }
}

resource "digitalocean_domain" "this" {
  count = var.dns.create_zone ? 1 : 0

  name = var.dns.zone
}

module "doks" {
  source = "./modules/doks"

  name       = var.name
  region     = var.region
  vpc        = var.vpc
  cluster    = var.cluster
  node_pools = var.node_pools
  tags       = var.tags
}

module "databases" {
  source = "./modules/databases"

  name                  = var.name
  region                = var.region
  vpc_id                = module.doks.vpc_id
  kubernetes_cluster_id = module.doks.cluster_id
  postgres              = var.postgres
  valkey                = var.valkey
  opensearch            = var.opensearch
  tags                  = var.tags
}

module "spaces" {
  source = "./modules/spaces"
  providers = {
    digitalocean        = digitalocean
    digitalocean.spaces = digitalocean.spaces
  }

  name                                   = var.name
  region                                 = local.spaces_region
  bucket_name                            = var.spaces.bucket_name
  force_destroy                          = var.spaces.force_destroy
  versioning                             = var.spaces.versioning
  abort_incomplete_multipart_upload_days = var.spaces.abort_incomplete_multipart_upload_days
  cors_allowed_origins                   = var.spaces.cors_allowed_origins
  cdn                                    = local.spaces_cdn
}

# ---------------------------------------------------------------------------------------------------------------
# MASTODON APPLICATION LAYER (added next, by the mastodon-helm work):
#   module "mastodon" { source = "./modules/mastodon-helm" ... }
#     fed from module.doks (node_pools for placement, vpc_ip_range for trusted proxies),
#     module.databases (postgres_pool_* for the app, postgres_direct_* for migrations, postgres_bootstrap_sql
#     with postgres_admin_* for the one-off grant job, postgres_ca_certificate, valkey_*),
#     module.spaces (bucket_name, bucket_region, s3_endpoint, s3_hostname, access_key_id, secret_access_key,
#     media_host) and var.domain.
#   DNS A/AAAA records for var.domain, pointing at the ingress load balancer, when local.dns_zone is not null:
#     resource "digitalocean_record" "web_a" / "web_aaaa" { domain = local.dns_zone, name = local.web_record_name }
# ---------------------------------------------------------------------------------------------------------------

locals {
  project_resources = compact([
    module.doks.cluster_urn,
    module.databases.postgres_cluster_urn,
    module.databases.valkey_cluster_urn,
    module.databases.opensearch_cluster_urn,
    module.spaces.bucket_urn,
    one(digitalocean_domain.this[*].urn),
  ])
}

resource "digitalocean_project" "this" {
  count = var.project == null ? 0 : 1

  name        = coalesce(var.project.name, var.name)
  description = var.project.description
  purpose     = var.project.purpose
  environment = var.project.environment
  resources   = local.project_resources
}

locals {
  # List prices in USD/month (July 2022 price table; database figures approximate). A rough guide, not a quote:
  # bandwidth overage, volumes, snapshots and backups are not included, and sizes missing here are listed as
  # unpriced instead of guessed.
  droplet_prices = {
    "s-1vcpu-2gb"       = 12, "s-2vcpu-2gb" = 18, "s-2vcpu-4gb" = 24, "s-4vcpu-8gb" = 48, "s-8vcpu-16gb" = 96,
    "s-2vcpu-4gb-intel" = 28, "s-2vcpu-4gb-amd" = 28, "s-4vcpu-8gb-intel" = 56, "s-4vcpu-8gb-amd" = 56,
  }
  database_prices = {
    "db-s-1vcpu-1gb" = 15, "db-s-1vcpu-2gb" = 30, "db-s-2vcpu-4gb" = 60, "db-s-4vcpu-8gb" = 120,
  }
  ha_control_plane_price = 40
  load_balancer_price    = 12
  spaces_price           = 5

  node_cost = {
    for role, pool in var.node_pools : role => {
      min = coalesce(pool.node_count, pool.min_nodes) * lookup(local.droplet_prices, pool.size, 0)
      max = coalesce(pool.node_count, pool.max_nodes) * lookup(local.droplet_prices, pool.size, 0)
    }
  }
  database_cost = merge(
    {
      postgres = var.postgres.node_count * lookup(local.database_prices, var.postgres.size, 0)
      valkey   = var.valkey.node_count * lookup(local.database_prices, var.valkey.size, 0)
    },
    var.opensearch == null ? {} : { opensearch = var.opensearch.node_count * lookup(local.database_prices, var.opensearch.size, 0) },
  )
  fixed_cost = {
    control_plane = var.cluster.ha ? local.ha_control_plane_price : 0
    load_balancer = local.load_balancer_price
    spaces        = local.spaces_price
  }
  unpriced_sizes = sort(distinct(concat(
    [for p in values(var.node_pools) : p.size if !contains(keys(local.droplet_prices), p.size)],
    [for s in compact([var.postgres.size, var.valkey.size, try(var.opensearch.size, null)]) : s if !contains(keys(local.database_prices), s)],
  )))
  cost_fixed_total = sum(concat(values(local.database_cost), values(local.fixed_cost)))
}
