# Cluster access: what the kubernetes and helm providers of the caller are configured with.
output "cluster_id" {
  description = "ID of the DOKS cluster."
  value       = module.doks.cluster_id
}

output "cluster_urn" {
  description = "URN of the DOKS cluster."
  value       = module.doks.cluster_urn
}

output "cluster_name" {
  description = "Name of the DOKS cluster."
  value       = module.doks.cluster_name
}

output "cluster_endpoint" {
  description = "HTTPS URL of the Kubernetes API server (kubernetes/helm provider `host`)."
  value       = module.doks.cluster_endpoint
}

output "cluster_ca_certificate" {
  description = "PEM of the cluster CA, already decoded (kubernetes/helm provider `cluster_ca_certificate`)."
  value       = module.doks.cluster_ca_certificate
}

output "cluster_token" {
  description = "Kubernetes API token (kubernetes/helm provider `token`); refreshed by the DigitalOcean provider on plan once expired."
  value       = module.doks.cluster_token
  sensitive   = true
}

output "cluster_access_command" {
  description = "Command that writes a kubeconfig for the cluster (with doctl authenticated to the same account)."
  value       = "doctl kubernetes cluster kubeconfig save ${module.doks.cluster_id}"
}

output "kubernetes_version" {
  description = "Exact DOKS version slug of the cluster."
  value       = module.doks.kubernetes_version
}

output "vpc_id" {
  description = "ID of the VPC holding the cluster and the databases."
  value       = module.doks.vpc_id
}

output "vpc_ip_range" {
  description = "CIDR of the VPC (e.g. Mastodon's trusted proxies)."
  value       = module.doks.vpc_ip_range
}

output "node_pools" {
  description = "Per role: pool name, node labels and taints, for workload placement."
  value       = module.doks.node_pools
}

# Databases.
output "postgres_cluster_id" {
  description = "ID of the PostgreSQL cluster."
  value       = module.databases.postgres_cluster_id
}

output "postgres_pool_host" {
  description = "Private host of the PgBouncer pool (the app's DB_HOST)."
  value       = module.databases.postgres_pool_host
}

output "postgres_pool_port" {
  description = "Port of the PgBouncer pool, 25061 (the app's DB_PORT)."
  value       = module.databases.postgres_pool_port
}

output "postgres_pool_name" {
  description = "Pool name, which the app uses as its database name (DB_NAME)."
  value       = module.databases.postgres_pool_name
}

output "postgres_direct_host" {
  description = "Private host of the PostgreSQL cluster itself, for migrations."
  value       = module.databases.postgres_direct_host
}

output "postgres_direct_port" {
  description = "Port of the PostgreSQL cluster itself, 25060."
  value       = module.databases.postgres_direct_port
}

output "postgres_database" {
  description = "Mastodon's real database, for the direct path."
  value       = module.databases.postgres_database
}

output "postgres_user" {
  description = "Mastodon's database user."
  value       = module.databases.postgres_user
}

output "postgres_password" {
  description = "Password of Mastodon's database user."
  value       = module.databases.postgres_password
  sensitive   = true
}

output "postgres_ca_certificate" {
  description = "PEM of the PostgreSQL cluster's CA."
  value       = module.databases.postgres_ca_certificate
}

output "postgres_admin_user" {
  description = "Admin user of the PostgreSQL cluster, only for the one-off job running postgres_bootstrap_sql."
  value       = module.databases.postgres_admin_user
}

output "postgres_admin_password" {
  description = "Password of the PostgreSQL admin user (bootstrap job only)."
  value       = module.databases.postgres_admin_password
  sensitive   = true
}

output "postgres_bootstrap_sql" {
  description = "GRANT statements the admin must run once on postgres_database before the first migration (PostgreSQL 15+ public-schema rule)."
  value       = module.databases.postgres_bootstrap_sql
}

output "valkey_cluster_id" {
  description = "ID of the Valkey cluster."
  value       = module.databases.valkey_cluster_id
}

output "valkey_host" {
  description = "Private host of Valkey."
  value       = module.databases.valkey_host
}

output "valkey_port" {
  description = "Port of Valkey (TLS)."
  value       = module.databases.valkey_port
}

output "valkey_user" {
  description = "Valkey user."
  value       = module.databases.valkey_user
}

output "valkey_password" {
  description = "Valkey password."
  value       = module.databases.valkey_password
  sensitive   = true
}

output "valkey_url" {
  description = "rediss:// URL of Valkey including the password (REDIS_URL)."
  value       = module.databases.valkey_url
  sensitive   = true
}

output "opensearch_host" {
  description = "Private host of OpenSearch, or null when off."
  value       = module.databases.opensearch_host
}

output "opensearch_port" {
  description = "Port of OpenSearch, or null when off."
  value       = module.databases.opensearch_port
}

output "opensearch_user" {
  description = "OpenSearch user, or null when off."
  value       = module.databases.opensearch_user
}

output "opensearch_password" {
  description = "OpenSearch password, or null when off."
  value       = module.databases.opensearch_password
  sensitive   = true
}

# Media storage.
output "spaces_bucket_name" {
  description = "Media bucket name (S3_BUCKET)."
  value       = module.spaces.bucket_name
}

output "spaces_bucket_region" {
  description = "Media bucket region (S3_REGION)."
  value       = module.spaces.bucket_region
}

output "spaces_bucket_urn" {
  description = "URN of the media bucket."
  value       = module.spaces.bucket_urn
}

output "spaces_s3_endpoint" {
  description = "S3 endpoint URL (S3_ENDPOINT)."
  value       = module.spaces.s3_endpoint
}

output "spaces_s3_hostname" {
  description = "S3 host (S3_HOSTNAME)."
  value       = module.spaces.s3_hostname
}

output "spaces_access_key_id" {
  description = "Access key id of the bucket-scoped key the app uses."
  value       = module.spaces.access_key_id
  sensitive   = true
}

output "spaces_secret_access_key" {
  description = "Secret of the bucket-scoped key the app uses."
  value       = module.spaces.secret_access_key
  sensitive   = true
}

output "spaces_media_host" {
  description = "Public media host (S3_ALIAS_HOST): CDN custom domain, CDN endpoint or bucket host."
  value       = module.spaces.media_host
}

output "spaces_cdn_endpoint" {
  description = "CDN endpoint host, or null without a CDN."
  value       = module.spaces.cdn_endpoint
}

output "spaces_admin_access_key_id" {
  description = "Access key id of the bucket-creating Spaces key for the caller's `digitalocean.spaces` provider configuration; null when spaces.create_admin_key is false."
  value       = one(digitalocean_spaces_key.admin[*].access_key)
  sensitive   = true
}

output "spaces_admin_secret_key" {
  description = "Secret of the bucket-creating Spaces key; null when spaces.create_admin_key is false."
  value       = one(digitalocean_spaces_key.admin[*].secret_key)
  sensitive   = true
}

# Domain and grouping.
output "domain" {
  description = "The Mastodon web domain."
  value       = var.domain
}

output "dns_zone" {
  description = "DigitalOcean DNS zone records are created in, or null when DNS is managed elsewhere."
  value       = local.dns_zone
}

output "project_id" {
  description = "ID of the DigitalOcean project grouping the resources, or null when none is managed."
  value       = one(digitalocean_project.this[*].id)
}

output "cost_estimate_monthly_usd" {
  description = "Rough monthly list-price estimate in USD: `minimum` with autoscaled pools at min_nodes, `maximum` at max_nodes; per-item figures; sizes without a known price in `unpriced_sizes` (counted as 0). Excludes bandwidth overage, volumes and backups; verify on digitalocean.com/pricing."
  value = {
    minimum        = local.cost_fixed_total + sum([for c in values(local.node_cost) : c.min])
    maximum        = local.cost_fixed_total + sum([for c in values(local.node_cost) : c.max])
    node_pools     = local.node_cost
    databases      = local.database_cost
    other          = local.fixed_cost
    unpriced_sizes = local.unpriced_sizes
  }
}

output "mastodon_url" {
  description = "Public URL of the instance."
  value       = module.mastodon.url
}

output "mastodon_admin_username" {
  description = "Username of the first admin (Owner) account, or null when none is created."
  value       = module.mastodon.admin_username
}

output "mastodon_admin_commands" {
  description = "Commands that print the admin's password (from the admin Secret) or reset it to a new random one; null without admin."
  value       = module.mastodon.admin_commands
}

output "mastodon_admin_password" {
  description = "Password of the first admin account, generated by Terraform and kept in the Secret mastodon_admin_secret names; null without admin."
  value       = module.mastodon.admin_password
  sensitive   = true
}

output "mastodon_admin_secret" {
  description = "The Kubernetes Secret (namespace/name) holding the first admin's username, email and password; null without admin."
  value       = module.mastodon.admin_secret
}

output "mastodon_commands" {
  description = "kubectl commands to reach the instance: pods, logs, tootctl, a Rails console, the certificate."
  value       = module.mastodon.commands
}

output "mastodon_namespace" {
  description = "Kubernetes namespace of the application."
  value       = module.mastodon.namespace
}

output "load_balancer_ip" {
  description = "IPv4 address of the ingress load balancer, read from DigitalOcean: what the web domain's A record points at (the module's record, or yours when DNS is handled elsewhere)."
  value       = data.digitalocean_loadbalancer.ingress.ip
}

output "uptime_check_id" {
  description = "ID of the DigitalOcean uptime check on https://<domain>/health, or null when monitoring is off."
  value       = one(module.monitoring[*].uptime_check_id)
}

output "monitoring_notified_emails" {
  description = "E-mail addresses every alert notifies (admin plus monitoring.extra_emails), or null when monitoring is off."
  value       = one(module.monitoring[*].notified_emails)
}
