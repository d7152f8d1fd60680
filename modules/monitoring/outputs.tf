# The ids of the uptime check and alert policies.

output "uptime_check_id" {
  description = "ID of the uptime check on the health URL."
  value       = digitalocean_uptime_check.this.id
}

output "health_url" {
  description = "URL the uptime check requests."
  value       = local.health_url
}

output "uptime_alert_ids" {
  description = "IDs of the uptime alerts, keyed by down, latency and tls_expiry."
  value       = { for k, a in digitalocean_uptime_alert.this : k => a.id }
}

output "database_alert_ids" {
  description = "UUIDs of the database alert policies, keyed by `<database>-<cpu|memory|disk>`."
  value       = { for k, a in digitalocean_monitor_alert.database : k => a.uuid }
}

output "node_alert_ids" {
  description = "UUIDs of the node alert policies, keyed by cpu, memory and disk."
  value       = { for k, a in digitalocean_monitor_alert.node : k => a.uuid }
}

output "notified_emails" {
  description = "E-mail addresses every alert notifies."
  value       = local.emails
}

output "database_alert_entities" {
  description = "Database cluster id each database alert policy watches, keyed like database_alert_ids."
  value       = { for k, a in digitalocean_monitor_alert.database : k => one(a.entities) }
}

output "node_alert_tags" {
  description = "Droplet tags each node alert policy selects nodes by, keyed like node_alert_ids."
  value       = { for k, a in digitalocean_monitor_alert.node : k => a.tags }
}
