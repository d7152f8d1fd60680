# What an operator of this instance needs after apply: the address, cluster access and admin commands.

output "cluster_id" {
  description = "ID of the DOKS cluster."
  value       = module.mastodon.cluster_id
}

output "cluster_access_command" {
  description = "Command that writes a kubeconfig for the cluster."
  value       = module.mastodon.cluster_access_command
}

output "postgres_pool_host" {
  description = "Private host of the PgBouncer pool."
  value       = module.mastodon.postgres_pool_host
}

output "postgres_direct_host" {
  description = "Private host of the PostgreSQL cluster."
  value       = module.mastodon.postgres_direct_host
}

output "valkey_host" {
  description = "Private host of Valkey."
  value       = module.mastodon.valkey_host
}

output "spaces_bucket_name" {
  description = "Media bucket."
  value       = module.mastodon.spaces_bucket_name
}

output "spaces_media_host" {
  description = "Public host media is served from."
  value       = module.mastodon.spaces_media_host
}

output "cost_estimate_monthly_usd" {
  description = "Rough monthly cost estimate in USD."
  value       = module.mastodon.cost_estimate_monthly_usd
}

output "node_pools" {
  description = "Per role: pool name, labels and taints."
  value       = module.mastodon.node_pools
}

output "spaces_cdn_endpoint" {
  description = "CDN endpoint behind the media domain."
  value       = module.mastodon.spaces_cdn_endpoint
}

output "load_balancer_ip" {
  description = "Address the web domain's A record points at (create that record yourself when dns_zone is null)."
  value       = module.mastodon.load_balancer_ip
}

output "mastodon_url" {
  description = "Public URL of the instance."
  value       = module.mastodon.mastodon_url
}

output "mastodon_admin_commands" {
  description = "Commands that print or reset the admin password."
  value       = module.mastodon.mastodon_admin_commands
}

output "mastodon_admin_secret" {
  description = "Kubernetes Secret (namespace/name) with the admin's username, email and password."
  value       = module.mastodon.mastodon_admin_secret
}

output "mastodon_admin_password" {
  description = "The admin's password (`terraform output -raw mastodon_admin_password`)."
  value       = module.mastodon.mastodon_admin_password
  sensitive   = true
}

output "mastodon_commands" {
  description = "kubectl commands to reach the instance."
  value       = module.mastodon.mastodon_commands
}

output "cluster_name" {
  description = "Name of the DOKS cluster."
  value       = module.mastodon.cluster_name
}

output "kubernetes_version" {
  description = "Exact DOKS version slug of the cluster (./run upgrade compares it)."
  value       = module.mastodon.kubernetes_version
}

output "domain" {
  description = "The Mastodon web domain."
  value       = module.mastodon.domain
}

output "mastodon_admin_username" {
  description = "Username of the first admin account (./run deploy checks its WebFinger)."
  value       = module.mastodon.mastodon_admin_username
}

output "mastodon_namespace" {
  description = "Kubernetes namespace of the application (./run status and ./run admin read it)."
  value       = module.mastodon.mastodon_namespace
}

output "postgres_cluster_id" {
  description = "ID of the PostgreSQL cluster (its backups: GET /v2/databases/<id>/backups)."
  value       = module.mastodon.postgres_cluster_id
}
