# The composition: cluster, databases, media storage, the application, monitoring, DNS and the project.

locals {
  spaces_region = coalesce(var.spaces.region, var.region)

  # The zone records go into: created here, or an existing DigitalOcean zone; null when DNS lives elsewhere.
  # Reading the name from the resource when it is created orders every record after the zone.
  dns_zone = var.dns.create_zone ? one(digitalocean_domain.this[*].name) : var.dns.zone

  # Name of the web domain's records relative to the zone ("@" at the apex), for the A record below.
  web_record_name = var.dns.zone == null ? null : (var.domain == var.dns.zone ? "@" : trimsuffix(var.domain, ".${var.dns.zone}"))

  # The module creates the CDN's certificate and CNAME only in a zone it is given: ours, when the custom
  # domain lies inside it.
  cdn_custom_domain = try(var.spaces.cdn.custom_domain, null)
  cdn_dns_zone      = local.cdn_custom_domain != null && var.dns.zone != null && endswith(coalesce(local.cdn_custom_domain, "-"), ".${coalesce(var.dns.zone, "-")}") ? local.dns_zone : null
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

# A new Spaces key can be refused (InvalidAccessKeyId, AccessDenied) for a while after it is created, and the
# provider retries bucket creation only on OperationAborted; the first apply would then fail creating the
# bucket. Core Terraform, not a fixed time_sleep: this checks the very condition (the key is accepted) and
# takes as long as it takes, bounded by key_wait_seconds, with an error that says what to do.
resource "terraform_data" "spaces_admin_key_active" {
  count = var.spaces.create_admin_key && var.spaces.key_wait_seconds > 0 ? 1 : 0

  triggers_replace = [digitalocean_spaces_key.admin[0].access_key]

  provisioner "local-exec" {
    command     = "${path.module}/scripts/wait-for-spaces-key.sh"
    interpreter = ["/bin/sh"]
    # nonsensitive: Terraform hides a provisioner's whole output when its environment is sensitive, and with it
    # the script's error message. The environment is never printed, and the script never echoes the secret.
    environment = {
      SPACES_ENDPOINT      = "https://${local.spaces_region}.digitaloceanspaces.com"
      SPACES_REGION        = local.spaces_region
      SPACES_ACCESS_KEY_ID = digitalocean_spaces_key.admin[0].access_key
      SPACES_SECRET_KEY    = nonsensitive(digitalocean_spaces_key.admin[0].secret_key)
      TIMEOUT_SECONDS      = tostring(var.spaces.key_wait_seconds)
    }
  }
}

resource "digitalocean_domain" "this" {
  count = var.dns.create_zone ? 1 : 0

  name = var.dns.zone
}

# One check per shared input: name and tags reach modules/doks alone, and every other module takes them from its
# outputs. A module whose inputs read another module's output is not evaluated once that module's own input
# checks fail, so a bad name or tag is reported once (by doks), not once per module that checks it too. The
# outputs are values of the inputs, not of the cluster: this orders nothing after the cluster's creation.
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

  name                  = module.doks.name
  region                = var.region
  vpc_id                = module.doks.vpc_id
  kubernetes_cluster_id = module.doks.cluster_id
  postgres              = local.databases_postgres
  valkey                = var.valkey
  valkey_cache          = local.databases_valkey_cache
  opensearch            = var.opensearch
  tags                  = module.doks.tags
}

module "spaces" {
  source = "./modules/spaces"
  providers = {
    digitalocean        = digitalocean
    digitalocean.spaces = digitalocean.spaces
  }

  name         = module.doks.name
  region       = var.region
  spaces       = var.spaces
  cdn_dns_zone = local.cdn_dns_zone

  # The bucket is created with the admin key: only once that key works.
  depends_on = [terraform_data.spaces_admin_key_active]
}

module "mastodon" {
  source = "./modules/mastodon-helm"

  name     = module.doks.name
  mastodon = var.mastodon
  domain   = { local_domain = var.domain }

  # The app goes through PgBouncer (transaction mode: prepared statements off, set in the module); migrations
  # and the one-off grant go straight to the cluster, which PgBouncer would break (mastodon/mastodon#15840).
  postgres = {
    pool_host      = module.databases.postgres_pool_host
    pool_port      = module.databases.postgres_pool_port
    pool_name      = module.databases.postgres_pool_name
    direct_host    = module.databases.postgres_direct_host
    direct_port    = module.databases.postgres_direct_port
    database       = module.databases.postgres_database
    user           = module.databases.postgres_user
    password       = module.databases.postgres_password
    ca_certificate = module.databases.postgres_ca_certificate
    ssl_mode       = var.postgres.ssl_mode
    pool_size      = module.databases.postgres_pool_size
  }
  # DigitalOcean creates the database owned by doadmin; since PostgreSQL 15 only the owner may create tables
  # in schema public, so a one-off Job grants the app user what migrations need. The app never uses doadmin.
  postgres_bootstrap = {
    admin_user     = module.databases.postgres_admin_user
    admin_password = module.databases.postgres_admin_password
    statements     = module.databases.postgres_bootstrap_sql
  }
  valkey = {
    host     = module.databases.valkey_host
    port     = module.databases.valkey_port
    password = module.databases.valkey_password
  }
  valkey_cache = local.valkey_cache_on ? {
    host     = module.databases.valkey_cache_host
    port     = module.databases.valkey_cache_port
    password = module.databases.valkey_cache_password
  } : null
  # Mastodon takes one read host: the first node (the others serve as spares a change of host can move to).
  postgres_read_replica = local.read_replica_count == 0 ? null : {
    host     = module.databases.postgres_read_replica_hosts[0]
    port     = module.databases.postgres_read_replica_port
    database = module.databases.postgres_database
  }
  s3 = {
    bucket            = module.spaces.bucket_name
    region            = module.spaces.bucket_region
    endpoint          = module.spaces.s3_endpoint
    hostname          = module.spaces.s3_hostname
    access_key_id     = module.spaces.access_key_id
    secret_access_key = module.spaces.secret_access_key
    alias_host        = module.spaces.media_host
  }
  opensearch = var.opensearch == null ? null : {
    host     = module.databases.opensearch_host
    port     = module.databases.opensearch_port
    user     = module.databases.opensearch_user
    password = module.databases.opensearch_password
  }
  smtp             = var.smtp
  admin            = var.admin
  existing_secrets = var.existing_secrets

  # The load balancer and nodes sit in the VPC; ingress pods reach the app from the pod network.
  trusted_proxy_cidrs = [module.doks.vpc_ip_range, module.doks.cluster_subnet]
  node_pools          = module.doks.node_pools
}

# DigitalOcean's own monitoring first: uptime checks and alert policies need no pods in the cluster.
module "monitoring" {
  source = "./modules/monitoring"
  count  = var.monitoring == null ? 0 : 1

  # Checked once, by modules/doks (name) and modules/mastodon-helm (the domain and the admin's address): see
  # module "doks".
  name       = module.doks.name
  domain     = module.mastodon.web_host
  emails     = module.mastodon.admin_email == null ? [] : [module.mastodon.admin_email]
  monitoring = var.monitoring
  # Keys are known at plan (they follow the inputs), so the set of alerts is too; ids arrive at apply.
  databases = merge(
    { postgres = module.databases.postgres_cluster_id, valkey = module.databases.valkey_cluster_id },
    local.valkey_cache_on ? { valkey-cache = module.databases.valkey_cache_cluster_id } : {},
    var.opensearch == null ? {} : { opensearch = module.databases.opensearch_cluster_id },
  )
  node_tag = module.doks.node_tag
}

# The load balancer is created by DigitalOcean's cloud controller for the ingress Service, so its address is only
# known once that Service exists. The module reports the balancer's id from the Service (read after the ingress
# release waited for the address): unknown on the first plan, which defers this read to apply time. Should the
# annotation be missing, the name the module gives the balancer finds it instead. Read with DNS elsewhere too:
# the hostname annotation leaves the Service status without an IP, so this is the only source of the address
# such users point their record at.
data "digitalocean_loadbalancer" "ingress" {
  id   = module.mastodon.load_balancer_id
  name = module.mastodon.load_balancer_id == null ? module.mastodon.load_balancer_name : null
}

# Only an A record: the load balancers DigitalOcean's cloud controller creates for Services are IPv4-only (no
# Service annotation selects a dual-stack network), so there is no AAAA address to publish.
resource "digitalocean_record" "web" {
  count = var.dns.zone == null ? 0 : 1

  domain = local.dns_zone
  type   = "A"
  name   = local.web_record_name
  value  = data.digitalocean_loadbalancer.ingress.ip
  # Short enough that a replaced load balancer is picked up quickly; ACME HTTP-01 needs this record first.
  ttl = 300
}

locals {
  project_resources = compact([
    module.doks.cluster_urn,
    module.databases.postgres_cluster_urn,
    module.databases.valkey_cluster_urn,
    module.databases.valkey_cache_cluster_urn,
    module.databases.opensearch_cluster_urn,
    module.spaces.bucket_urn,
    one(digitalocean_domain.this[*].urn),
    data.digitalocean_loadbalancer.ingress.urn,
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
