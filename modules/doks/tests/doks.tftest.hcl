# Unit tests for modules/doks with a mocked DigitalOcean provider: no account, no network.

mock_provider "digitalocean" {
  source = "../../tests/mocks/digitalocean"
}

variables {
  name   = "social"
  region = "fra1"
}

run "defaults_create_vpc_and_resolve_prefix" {
  command = apply

  assert {
    condition     = length(digitalocean_vpc.this) == 1 && length(data.digitalocean_vpc.existing) == 0
    error_message = "Without vpc.existing the module must create exactly one VPC and read none."
  }
  assert {
    condition     = digitalocean_vpc.this[0].name == "social-vpc" && digitalocean_vpc.this[0].region == "fra1"
    error_message = "The VPC name must derive from var.name and sit in var.region."
  }
  assert {
    condition     = output.vpc_id == "0d3176ad-41e0-4021-b831-0c5c45c60959" && output.vpc_ip_range == "10.110.0.0/20"
    error_message = "vpc_id/vpc_ip_range must come from the created VPC."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.vpc_uuid == output.vpc_id
    error_message = "The cluster must be placed in the module's VPC."
  }
  assert {
    condition     = length(data.digitalocean_kubernetes_versions.this) == 1 && data.digitalocean_kubernetes_versions.this[0].version_prefix == "1.35."
    error_message = "A version prefix must be resolved through the versions data source."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.version == "1.35.2-do.1" && output.kubernetes_version == "1.35.2-do.1"
    error_message = "The cluster version must be the data source's latest_version for the prefix."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.ha == false
    error_message = "ha must be sent explicitly as false by default (the API defaults it to true from 1.36)."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.destroy_all_associated_resources == true
    error_message = "destroy_all_associated_resources must default to true so LBs/volumes do not outlive the cluster."
  }
  assert {
    condition     = length(digitalocean_kubernetes_cluster.this.control_plane_firewall) == 0 && length(digitalocean_kubernetes_cluster.this.cluster_autoscaler_configuration) == 0
    error_message = "Optional control-plane firewall and autoscaler settings must be absent when null."
  }
  assert {
    condition     = length(digitalocean_kubernetes_node_pool.this) == 0
    error_message = "Only the default pool is declared: no extra node pool resources."
  }
  assert {
    condition     = output.cluster_ca_certificate == "-----BEGIN CERTIFICATE-----\nmock\n-----END CERTIFICATE-----\n"
    error_message = "cluster_ca_certificate must be the decoded PEM."
  }
  assert {
    condition     = output.cluster_token == "mock-token" && output.cluster_id == "6a0c2b1e-0000-4000-8000-00000000c1a5"
    error_message = "cluster_token/cluster_id must come from the cluster."
  }
  assert {
    condition     = output.node_tag == "k8s:6a0c2b1e-0000-4000-8000-00000000c1a5"
    error_message = "node_tag must be the k8s:<cluster id> tag DOKS puts on every node."
  }
  assert {
    condition     = output.node_pools["default"].name == "social-default" && output.node_pools["default"].labels["doks.digitalocean.com/node-pool"] == "social-default"
    error_message = "The default pool must be exposed under the role key 'default' with its DOKS pool label."
  }
}

run "exact_slug_reads_no_data_source" {
  command = plan

  variables {
    cluster = { version = "1.34.4-do.0", auto_upgrade = false }
  }

  assert {
    condition     = length(data.digitalocean_kubernetes_versions.this) == 0
    error_message = "An exact slug must not read the versions data source."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.version == "1.34.4-do.0"
    error_message = "An exact slug must be passed to the cluster verbatim."
  }
}

run "bring_your_own_vpc" {
  command = apply

  variables {
    vpc = { existing = { id = "11111111-2222-4333-8444-555555555555" } }
  }

  assert {
    condition     = length(digitalocean_vpc.this) == 0 && length(data.digitalocean_vpc.existing) == 1
    error_message = "With vpc.existing no VPC may be created; without existing.ip_range the VPC is read."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.vpc_uuid == "11111111-2222-4333-8444-555555555555" && output.vpc_id == "11111111-2222-4333-8444-555555555555"
    error_message = "The cluster and vpc_id must use the caller's VPC."
  }
  assert {
    condition     = output.vpc_ip_range == "10.50.0.0/20"
    error_message = "vpc_ip_range must be read from the existing VPC."
  }
}

run "bring_your_own_vpc_with_its_range_reads_nothing" {
  command = plan

  variables {
    vpc = { existing = { id = "11111111-2222-4333-8444-555555555555", ip_range = "10.60.0.0/20" } }
  }

  assert {
    condition     = length(digitalocean_vpc.this) == 0 && length(data.digitalocean_vpc.existing) == 0
    error_message = "With vpc.existing.ip_range given, no VPC is created and none is read (a plan needs no API call)."
  }
  assert {
    condition     = output.vpc_ip_range == "10.60.0.0/20"
    error_message = "vpc_ip_range must be the range the caller gave."
  }
}

run "role_pools_for_each" {
  command = apply

  variables {
    cluster = {
      ha                              = true
      control_plane_allowed_addresses = ["203.0.113.7/32"]
      autoscaler                      = { scale_down_unneeded_time = "10m", expanders = ["least-waste"] }
    }
    node_pools = {
      default = { size = "s-2vcpu-4gb", node_count = 2 }
      web     = { size = "s-4vcpu-8gb", min_nodes = 2, max_nodes = 4, labels = { "mastodon/role" = "web" } }
      streaming = {
        size       = "s-2vcpu-4gb"
        node_count = 1
        labels     = { "mastodon/role" = "streaming" }
      }
      sidekiq = {
        size      = "s-4vcpu-8gb"
        min_nodes = 1
        max_nodes = 3
        labels    = { "mastodon/role" = "sidekiq" }
        taints    = [{ key = "mastodon/role", value = "sidekiq", effect = "NoSchedule" }]
      }
    }
  }

  assert {
    condition     = length(digitalocean_kubernetes_node_pool.this) == 3 && toset(keys(digitalocean_kubernetes_node_pool.this)) == toset(["web", "streaming", "sidekiq"])
    error_message = "Every non-default role must become exactly one node pool keyed by role."
  }
  assert {
    condition     = alltrue([for role, p in digitalocean_kubernetes_node_pool.this : p.name == "social-${role}"])
    error_message = "Pool names must be <name>-<role>."
  }
  assert {
    condition     = digitalocean_kubernetes_node_pool.this["web"].auto_scale && digitalocean_kubernetes_node_pool.this["web"].min_nodes == 2 && digitalocean_kubernetes_node_pool.this["web"].max_nodes == 4
    error_message = "min/max must turn autoscaling on with those bounds."
  }
  assert {
    condition     = !digitalocean_kubernetes_node_pool.this["streaming"].auto_scale && digitalocean_kubernetes_node_pool.this["streaming"].node_count == 1
    error_message = "node_count must give a fixed-size pool."
  }
  assert {
    condition     = length(digitalocean_kubernetes_node_pool.this["sidekiq"].taint) == 1 && one(digitalocean_kubernetes_node_pool.this["sidekiq"].taint).effect == "NoSchedule"
    error_message = "Taints must be applied to their pool."
  }
  assert {
    condition     = output.node_pools["sidekiq"].taints == [{ key = "mastodon/role", value = "sidekiq", effect = "NoSchedule" }]
    error_message = "node_pools output must expose the pool's taints."
  }
  assert {
    condition     = output.node_pools["web"].labels["mastodon/role"] == "web" && length(output.node_pools) == 4
    error_message = "node_pools output must expose every role (default included) with its labels."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.node_pool[0].name == "social-default" && digitalocean_kubernetes_cluster.this.node_pool[0].node_count == 2
    error_message = "The default role must be the cluster's built-in pool."
  }
  assert {
    condition     = digitalocean_kubernetes_cluster.this.ha && one(digitalocean_kubernetes_cluster.this.control_plane_firewall).allowed_addresses == tolist(["203.0.113.7/32"])
    error_message = "HA and the control-plane allow-list must be passed through."
  }
  assert {
    condition     = one(digitalocean_kubernetes_cluster.this.cluster_autoscaler_configuration).expanders == tolist(["least-waste"])
    error_message = "Autoscaler settings must be passed through."
  }
}

run "rejects_slug_with_auto_upgrade" {
  command = plan

  variables {
    cluster = { version = "1.34.4-do.0", auto_upgrade = true }
  }

  expect_failures = [var.cluster]
}

run "rejects_missing_default_pool" {
  command = plan

  variables {
    node_pools = { web = { size = "s-2vcpu-4gb", node_count = 1 } }
  }

  expect_failures = [var.node_pools]
}

run "rejects_min_above_max" {
  command = plan

  variables {
    node_pools = { default = { size = "s-2vcpu-4gb", min_nodes = 3, max_nodes = 2 } }
  }

  expect_failures = [var.node_pools]
}

run "rejects_vpc_range_outside_rfc1918" {
  command = plan

  variables {
    vpc = { ip_range = "8.8.0.0/20" }
  }

  expect_failures = [var.vpc]
}
