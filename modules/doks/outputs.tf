# Cluster identity, API access for the kubernetes and helm providers, the VPC and the pools.

output "cluster_id" {
  description = "ID of the DOKS cluster (also the value of `k8s` database firewall rules)."
  value       = digitalocean_kubernetes_cluster.this.id
}

output "cluster_urn" {
  description = "URN of the DOKS cluster, for project assignment."
  value       = digitalocean_kubernetes_cluster.this.urn
}

output "cluster_name" {
  description = "Name of the DOKS cluster."
  value       = digitalocean_kubernetes_cluster.this.name
}

output "cluster_endpoint" {
  description = "HTTPS URL of the Kubernetes API server."
  value       = digitalocean_kubernetes_cluster.this.endpoint
}

output "cluster_ca_certificate" {
  description = "PEM of the cluster's certificate authority (already base64-decoded: pass it as is to the kubernetes/helm providers)."
  value       = local.cluster_ca_b64 == null ? null : base64decode(local.cluster_ca_b64)
}

output "cluster_token" {
  description = "Bearer token for the Kubernetes API. It expires (7 days by default); the provider fetches a new one on refresh once `expires_at` has passed, so plans keep working."
  value       = one(digitalocean_kubernetes_cluster.this.kube_config[*].token)
  sensitive   = true
}

output "kubernetes_version" {
  description = "Exact DOKS version slug the cluster was created with (resolved from the prefix when one was given)."
  value       = digitalocean_kubernetes_cluster.this.version
}

output "vpc_id" {
  description = "ID of the VPC holding the cluster (created here or brought by the caller)."
  value       = local.vpc_id
}

output "vpc_ip_range" {
  description = "CIDR of the VPC, e.g. for trusted-proxy settings."
  value       = local.vpc_ip_range
}

output "node_pools" {
  description = "Per role: pool name, node labels (including `doks.digitalocean.com/node-pool`) and taints, so workloads can select and tolerate their pool. The default pool is under its role key `default`."
  value = {
    for role, pool in var.node_pools : role => {
      name   = local.pool_names[role]
      labels = local.pool_labels[role]
      taints = [for t in pool.taints : { key = t.key, value = t.value, effect = t.effect }]
    }
  }
}

output "cluster_subnet" {
  description = "Pod network CIDR of the cluster (traffic from ingress pods to the app comes from it, so it is a trusted proxy range)."
  value       = digitalocean_kubernetes_cluster.this.cluster_subnet
}

output "node_tag" {
  description = "Droplet tag DOKS puts on every node of this cluster (`k8s:<cluster id>`, next to `k8s` and `k8s:worker`), for alert policies and firewalls that must follow nodes as they are replaced."
  value       = "k8s:${digitalocean_kubernetes_cluster.this.id}"
}

# The inputs other modules share, once validated here: a caller that passes these on (as the root does) has a bad
# value reported by this module alone, since a module reading them is not evaluated once this one's checks fail.
output "name" {
  description = "The base name every resource name derives from, as given in `name` (checked by this module)."
  value       = var.name
}

output "tags" {
  description = "The DigitalOcean tags of the cluster and its node pools, as given in `tags` (checked by this module)."
  value       = var.tags
}
