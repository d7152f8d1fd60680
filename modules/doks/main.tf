# The VPC (created or brought), the DOKS cluster with its default pool, and one node pool per extra role.

locals {
  # An exact slug ("1.35.1-do.0") is used verbatim so a plan needs no API read; a prefix ("1.35.") goes through
  # the versions data source, which returns the newest patch of that minor. Resolving a prefix rather than
  # passing "latest" keeps plans stable: the API would resolve "latest" itself and every later plan would show
  # a version change.
  version_is_slug = can(regex("-do\\.[0-9]+$", var.cluster.version))
  cluster_version = local.version_is_slug ? var.cluster.version : one(data.digitalocean_kubernetes_versions.this[*].latest_version)

  # Decided by the presence of `existing`, never by its id: an id created in the same apply is unknown at plan,
  # and a count cannot depend on it.
  create_vpc   = var.vpc.existing == null
  read_vpc     = !local.create_vpc && try(var.vpc.existing.ip_range, null) == null
  vpc_id       = local.create_vpc ? one(digitalocean_vpc.this[*].id) : var.vpc.existing.id
  vpc_ip_range = local.create_vpc ? one(digitalocean_vpc.this[*].ip_range) : coalesce(var.vpc.existing.ip_range, one(data.digitalocean_vpc.existing[*].ip_range))

  # kube_config is a computed one-element list; read through one() so an empty list yields null, not an error.
  # The provider marks the whole kube_config sensitive, but a CA certificate is public material; unmarking it
  # keeps it usable in plain outputs.
  cluster_ca_b64 = nonsensitive(one(digitalocean_kubernetes_cluster.this.kube_config[*].cluster_ca_certificate))

  default_pool = var.node_pools["default"]
  extra_pools  = { for role, pool in var.node_pools : role => pool if role != "default" }
  pool_names   = { for role in keys(var.node_pools) : role => "${var.name}-${role}" }

  # DOKS labels every node with its pool name; exposing it next to the user's labels gives workloads a
  # selector that exists even when a pool has no labels of its own.
  pool_labels = {
    for role, pool in var.node_pools : role => merge(pool.labels, { "doks.digitalocean.com/node-pool" = local.pool_names[role] })
  }
}

data "digitalocean_kubernetes_versions" "this" {
  count = local.version_is_slug ? 0 : 1

  version_prefix = var.cluster.version
}

resource "digitalocean_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  name        = "${var.name}-vpc"
  region      = var.region
  ip_range    = var.vpc.ip_range
  description = var.vpc.description
}

# Read only for a bring-your-own VPC whose range was not given: it is needed downstream (trusted proxies).
data "digitalocean_vpc" "existing" {
  count = local.read_vpc ? 1 : 0

  id = var.vpc.existing.id
}

resource "digitalocean_kubernetes_cluster" "this" {
  name     = var.name
  region   = var.region
  version  = local.cluster_version
  vpc_uuid = local.vpc_id
  tags     = var.tags

  # Sent explicitly because the API turns HA on by default from 1.36 on, which silently adds USD 40/month.
  ha            = var.cluster.ha
  auto_upgrade  = var.cluster.auto_upgrade
  surge_upgrade = var.cluster.surge_upgrade

  registry_integration = var.cluster.registry_integration

  # Load balancers and volumes created by Services and PVCs inside the cluster are not in Terraform's state;
  # without this they keep running (and billing) after `terraform destroy`.
  destroy_all_associated_resources = var.cluster.destroy_all_associated_resources

  maintenance_policy {
    day        = var.cluster.maintenance_window.day
    start_time = var.cluster.maintenance_window.start_time
  }

  dynamic "control_plane_firewall" {
    for_each = var.cluster.control_plane_allowed_addresses == null ? [] : [var.cluster.control_plane_allowed_addresses]
    content {
      enabled           = true
      allowed_addresses = control_plane_firewall.value
    }
  }

  dynamic "cluster_autoscaler_configuration" {
    for_each = var.cluster.autoscaler == null ? [] : [var.cluster.autoscaler]
    content {
      scale_down_utilization_threshold = cluster_autoscaler_configuration.value.scale_down_utilization_threshold
      scale_down_unneeded_time         = cluster_autoscaler_configuration.value.scale_down_unneeded_time
      expanders                        = cluster_autoscaler_configuration.value.expanders
    }
  }

  node_pool {
    name = local.pool_names["default"]
    size = local.default_pool.size
    # Null for autoscaled pools: the provider then leaves the count to the autoscaler instead of resetting it.
    node_count = local.default_pool.node_count
    auto_scale = local.default_pool.min_nodes != null
    min_nodes  = local.default_pool.min_nodes
    max_nodes  = local.default_pool.max_nodes
    labels     = local.default_pool.labels
    tags       = distinct(concat(var.tags, local.default_pool.tags))

    dynamic "taint" {
      for_each = local.default_pool.taints
      content {
        key    = taint.value.key
        value  = taint.value.value
        effect = taint.value.effect
      }
    }
  }
}

resource "digitalocean_kubernetes_node_pool" "this" {
  for_each = local.extra_pools

  cluster_id = digitalocean_kubernetes_cluster.this.id
  name       = local.pool_names[each.key]
  size       = each.value.size
  node_count = each.value.node_count
  auto_scale = each.value.min_nodes != null
  min_nodes  = each.value.min_nodes
  max_nodes  = each.value.max_nodes
  labels     = each.value.labels
  tags       = distinct(concat(var.tags, each.value.tags))

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }
}
