# Connection details for the application: hosts, ports, users, pools and the CA; passwords are sensitive.

output "postgres_cluster_id" {
  description = "ID of the PostgreSQL cluster."
  value       = digitalocean_database_cluster.postgres.id
}

output "postgres_cluster_urn" {
  description = "URN of the PostgreSQL cluster, for project assignment."
  value       = digitalocean_database_cluster.postgres.urn
}

output "postgres_pool_host" {
  description = "Private (VPC) host of the PgBouncer pool: what the app connects to."
  value       = digitalocean_database_connection_pool.mastodon.private_host
}

output "postgres_pool_port" {
  description = "Port of the PgBouncer pool (25061 on DigitalOcean)."
  value       = digitalocean_database_connection_pool.mastodon.port
}

output "postgres_pool_name" {
  description = "Name of the PgBouncer pool. The app uses it as its database name (DB_NAME), since PgBouncer routes by pool name."
  value       = digitalocean_database_connection_pool.mastodon.name
}

output "postgres_pool_size" {
  description = "Backend connections the pool holds (given, or derived from the plan size)."
  value       = digitalocean_database_connection_pool.mastodon.size
}

output "postgres_direct_host" {
  description = "Private (VPC) host of the PostgreSQL cluster itself, bypassing PgBouncer: for migrations."
  value       = digitalocean_database_cluster.postgres.private_host
}

output "postgres_direct_port" {
  description = "Port of the PostgreSQL cluster itself (25060 on DigitalOcean)."
  value       = digitalocean_database_cluster.postgres.port
}

output "postgres_database" {
  description = "Name of Mastodon's real database (use it with the direct host/port)."
  value       = digitalocean_database_db.mastodon.name
}

output "postgres_user" {
  description = "Mastodon's own database user (never doadmin)."
  value       = digitalocean_database_user.mastodon.name
}

output "postgres_password" {
  description = "Password of Mastodon's database user."
  value       = digitalocean_database_user.mastodon.password
  sensitive   = true
}

output "postgres_ca_certificate" {
  description = "PEM of the CA that signs the PostgreSQL cluster's certificate (for sslmode=verify-full and Node streaming)."
  value       = data.digitalocean_database_ca.postgres.certificate
}

output "postgres_admin_user" {
  description = "The cluster's admin user. Only for a one-off bootstrap job that runs `postgres_bootstrap_sql`; the app must never use it."
  value       = digitalocean_database_cluster.postgres.user
}

output "postgres_admin_password" {
  description = "Password of the cluster's admin user (see postgres_admin_user)."
  value       = digitalocean_database_cluster.postgres.password
  sensitive   = true
}

output "postgres_bootstrap_sql" {
  description = "Statements the admin user must run once, connected directly to `postgres_database`, before the first migration: since PostgreSQL 15 only the database owner (doadmin here, as the API creates it) may create tables in the public schema, and the API cannot change ownership."
  value = [
    "GRANT ALL PRIVILEGES ON DATABASE \"${digitalocean_database_db.mastodon.name}\" TO \"${digitalocean_database_user.mastodon.name}\";",
    "GRANT ALL ON SCHEMA public TO \"${digitalocean_database_user.mastodon.name}\";",
  ]
}

output "valkey_cluster_id" {
  description = "ID of the Valkey cluster."
  value       = local.valkey.id
}

output "valkey_cluster_urn" {
  description = "URN of the Valkey cluster, for project assignment."
  value       = local.valkey.urn
}

output "valkey_host" {
  description = "Private (VPC) host of Valkey."
  value       = local.valkey.private_host
}

output "valkey_port" {
  description = "Port of Valkey (TLS required by default)."
  value       = local.valkey.port
}

output "valkey_user" {
  description = "Valkey user (DigitalOcean's `default`)."
  value       = local.valkey_user
}

output "valkey_password" {
  description = "Valkey password."
  value       = local.valkey.password
  sensitive   = true
}

output "valkey_url" {
  description = "TLS URL `rediss://<user>:<password>@<private host>:<port>` (REDIS_URL); contains the password."
  value       = "rediss://${urlencode(local.valkey_user)}:${urlencode(local.valkey.password)}@${local.valkey.private_host}:${local.valkey.port}"
  sensitive   = true
}

output "opensearch_cluster_id" {
  description = "ID of the OpenSearch cluster, or null when search is off."
  value       = one(digitalocean_database_cluster.opensearch[*].id)
}

output "opensearch_cluster_urn" {
  description = "URN of the OpenSearch cluster, or null when search is off."
  value       = one(digitalocean_database_cluster.opensearch[*].urn)
}

output "opensearch_host" {
  description = "Private (VPC) host of OpenSearch, or null when search is off. Mastodon does not officially support OpenSearch."
  value       = one(digitalocean_database_cluster.opensearch[*].private_host)
}

output "opensearch_port" {
  description = "Port of OpenSearch, or null when search is off."
  value       = one(digitalocean_database_cluster.opensearch[*].port)
}

output "opensearch_user" {
  description = "OpenSearch user, or null when search is off."
  value       = one(digitalocean_database_cluster.opensearch[*].user)
}

output "opensearch_password" {
  description = "OpenSearch password, or null when search is off."
  value       = one(digitalocean_database_cluster.opensearch[*].password)
  sensitive   = true
}

output "valkey_cache_cluster_id" {
  description = "ID of the cache Valkey cluster; null without valkey_cache."
  value       = one(local.valkey_cache[*].id)
}

output "valkey_cache_cluster_urn" {
  description = "URN of the cache Valkey cluster (for a DigitalOcean project); null without valkey_cache."
  value       = one(local.valkey_cache[*].urn)
}

output "valkey_cache_host" {
  description = "Private (VPC) host of the cache Valkey; null without valkey_cache."
  value       = one(local.valkey_cache[*].private_host)
}

output "valkey_cache_port" {
  description = "TLS port of the cache Valkey; null without valkey_cache."
  value       = one(local.valkey_cache[*].port)
}

output "valkey_cache_password" {
  description = "Password of the cache Valkey's default user; null without valkey_cache."
  value       = one(local.valkey_cache[*].password)
  sensitive   = true
}

output "postgres_read_replica_hosts" {
  description = "Private (VPC) hosts of the PostgreSQL read-only nodes, in order; Mastodon reads from the first."
  value       = digitalocean_database_replica.postgres[*].private_host
}

output "postgres_read_replica_port" {
  description = "Direct port of the read-only nodes (PgBouncer pools live on the primary); null without nodes."
  value       = one(distinct(digitalocean_database_replica.postgres[*].port))
}

output "postgres_read_replica_ids" {
  description = "IDs (UUIDs) of the PostgreSQL read-only nodes."
  value       = digitalocean_database_replica.postgres[*].uuid
}
