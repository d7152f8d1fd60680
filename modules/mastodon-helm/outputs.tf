# The instance's address, the ingress load balancer and the commands an operator runs.

output "url" {
  description = "Public URL of the instance."
  value       = "https://${local.web_host}"
}

output "web_host" {
  description = "Host name the Ingress serves and the DNS record must point at the load balancer."
  value       = local.web_host
}

output "load_balancer_ip" {
  description = "IPv4 address of the load balancer, from the Traefik Service status; null when DigitalOcean reports only the hostname (it does with the do-loadbalancer-hostname annotation): then look the address up by load_balancer_id."
  value       = try(one([for ip in local.load_balancer_ips : ip if !strcontains(ip, ":")]), null)
}

output "load_balancer_ipv6" {
  description = "IPv6 address of the load balancer when its Service status reports one, else null."
  value       = try(one([for ip in local.load_balancer_ips : ip if strcontains(ip, ":")]), null)
}

output "load_balancer_id" {
  description = "ID of the DigitalOcean load balancer (the kubernetes.digitalocean.com/load-balancer-id annotation the cloud controller sets on the Traefik Service), for `data \"digitalocean_loadbalancer\"` in the root module."
  value       = try(data.kubernetes_service_v1.traefik.metadata[0].annotations["kubernetes.digitalocean.com/load-balancer-id"], null)
}

output "namespace" {
  description = "Namespace Mastodon runs in."
  value       = kubernetes_namespace_v1.this.metadata[0].name
}

output "release_name" {
  description = "Name of the Mastodon Helm release."
  value       = helm_release.mastodon.name
}

output "chart_values" {
  description = "The values given to the Mastodon chart, as YAML (references to Secrets only, no secret values): feed it to `helm template` to inspect what the chart renders."
  value       = local.chart_values_yaml
}

output "admin_username" {
  description = "Username of the first admin (Owner) account, or null when none is created."
  value       = try(var.admin.username, null)
}

output "admin_commands" {
  description = "How to get the admin's password, or null without admin: `print_password` prints the generated one from the create-admin Job's log, `reset_password` sets and prints a new one."
  value = var.admin == null ? null : {
    print_password = "kubectl -n ${var.namespace} logs job/${local.fullname}-create-admin"
    reset_password = "kubectl -n ${var.namespace} exec deploy/${local.fullname}-web -- bin/tootctl accounts modify ${var.admin.username} --reset-password"
  }
}

output "commands" {
  description = "Commands to reach the instance (after configuring kubectl for the cluster)."
  value = {
    pods        = "kubectl -n ${var.namespace} get pods"
    tootctl     = "kubectl -n ${var.namespace} exec -it deploy/${local.fullname}-web -- bin/tootctl"
    rails       = "kubectl -n ${var.namespace} exec -it deploy/${local.fullname}-web -- bin/rails console"
    web_logs    = "kubectl -n ${var.namespace} logs deploy/${local.fullname}-web"
    certificate = "kubectl -n ${var.namespace} describe certificate ${local.tls_secret}"
    search      = "kubectl -n ${var.namespace} exec -it deploy/${local.fullname}-web -- bin/tootctl search deploy"
  }
}

output "vapid_public_key" {
  description = "The instance's VAPID public key (public by design)."
  value       = module.secrets.vapid_public_key
}

output "job_names" {
  description = "Names of the module's one-off Jobs in the order they run: the PostgreSQL bootstrap (only with postgres_bootstrap), db-prepare, db-migrate, create-admin (only with admin). `kubectl -n <namespace> logs job/<name>` shows what each did."
  value       = local.job_names
}

output "load_balancer_name" {
  description = "Name the module gives the DigitalOcean load balancer (do-loadbalancer-name annotation), to look it up when load_balancer_id is null. Unknown until the ingress Service has been read, so a lookup by it waits for apply on the first run instead of failing at plan."
  value       = data.kubernetes_service_v1.traefik.id == null ? null : "${var.name}-lb"
}

output "generated_keys_digest" {
  description = "SHA-256 over the application keys in use (secret_key_base, VAPID pair, ActiveRecord encryption, OTP), not the keys themselves: an upgrade plan must leave it unchanged, or sessions, push subscriptions and encrypted columns break."
  value       = nonsensitive(sha256(jsonencode([module.secrets.values, module.secrets.otp_secret])))
}
