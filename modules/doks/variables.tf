# Inputs: names, region, VPC placement, cluster settings and node pools.

variable "name" {
  description = "Base name every resource name derives from (VPC, cluster, node pools). Lowercase letters, digits and hyphens, 3-32 characters, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "Variable name must be 3-32 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (DNS-safe)."
  }
}

variable "region" {
  description = "DigitalOcean region slug for the VPC and the cluster, e.g. fra1, ams3, sfo3."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{3}[0-9]$", var.region))
    error_message = "Variable region must be a DigitalOcean region slug such as fra1, ams3, nyc3 or sfo3."
  }
}

variable "vpc" {
  description = <<-EOT
    Network placement. Leave `existing` null to create a VPC named `<name>-vpc` (optionally with `ip_range`, an
    RFC1918 CIDR between /16 and /24; null lets DigitalOcean pick a free range). Set `existing = { id }` to place
    the cluster in a VPC you already manage; its range is then read from the API, unless you also give
    `existing.ip_range` (a literal), which keeps plans free of API reads. Whether a VPC is created depends only on
    `existing` being set, so its `id` may come from a VPC created in the same configuration.
  EOT
  type = object({
    ip_range = optional(string)
    existing = optional(object({
      id       = string
      ip_range = optional(string)
    }))
    description = optional(string, "Mastodon: cluster, databases and their private traffic")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.vpc.existing == null || can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", try(var.vpc.existing.id, "")))
    error_message = "Variable vpc.existing.id must be a VPC UUID (e.g. 0d3176ad-41e0-4021-b831-0c5c45c60959); leave vpc.existing null to create a VPC."
  }

  validation {
    condition     = var.vpc.existing == null || var.vpc.ip_range == null
    error_message = "Variable vpc: set either existing (bring your own VPC; its range goes in existing.ip_range) or ip_range (for a new VPC), not both."
  }

  validation {
    condition = var.vpc.ip_range == null || (
      can(cidrhost(var.vpc.ip_range, 0)) &&
      try(tonumber(split("/", var.vpc.ip_range)[1]) >= 16 && tonumber(split("/", var.vpc.ip_range)[1]) <= 24, false) &&
      can(regex("^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)", var.vpc.ip_range))
    )
    error_message = "Variable vpc.ip_range must be an RFC1918 CIDR (10/8, 172.16/12, 192.168/16) with a prefix between /16 and /24, e.g. 10.20.0.0/20."
  }

  validation {
    condition     = try(var.vpc.existing.ip_range, null) == null || can(cidrhost(try(var.vpc.existing.ip_range, ""), 0))
    error_message = "Variable vpc.existing.ip_range must be the VPC's range in CIDR notation, e.g. 10.110.0.0/20 (or null to read it from the API)."
  }

  # DigitalOcean keeps these for DOKS (pod and service networks, cluster internals) and its own services; a VPC
  # overlapping them is refused, or leaves pods unable to reach the VPC. A new VPC's range is judged only once the
  # rule above accepts its prefix, so a bad range is reported once.
  validation {
    condition = alltrue([
      for r in compact([
        try(tonumber(split("/", var.vpc.ip_range)[1]) >= 16 && tonumber(split("/", var.vpc.ip_range)[1]) <= 24, false) ? var.vpc.ip_range : null,
        try(var.vpc.existing.ip_range, null),
        ]) : !anytrue([
        for reserved in ["10.244.0.0/16", "10.245.0.0/16", "10.246.0.0/24", "10.229.0.0/16"] : try(
          cidrhost("${split("/", r)[0]}/${min(tonumber(split("/", r)[1]), tonumber(split("/", reserved)[1]))}", 0) ==
          cidrhost("${split("/", reserved)[0]}/${min(tonumber(split("/", r)[1]), tonumber(split("/", reserved)[1]))}", 0),
          false
        )
      ])
    ])
    error_message = "Variable vpc.ip_range (or vpc.existing.ip_range) overlaps a range DigitalOcean reserves for DOKS and its services: 10.244.0.0/16 (pods), 10.245.0.0/16 (services), 10.246.0.0/24 and 10.229.0.0/16; pick another, e.g. 10.20.0.0/20."
  }
}

variable "cluster" {
  description = <<-EOT
    DOKS cluster settings.
    - `version`: a minor-version prefix such as "1.35." (resolved to the newest patch slug with the
      `digitalocean_kubernetes_versions` data source) or an exact slug such as "1.35.1-do.0" (used as is, no API
      read at plan time; requires `auto_upgrade = false`, otherwise the provider would see an auto-upgraded cluster
      as a downgrade and replace it).
    - `ha`: HA control plane (USD 40/month). Always sent explicitly: the API defaults it to true from 1.36 on.
    - `destroy_all_associated_resources`: delete load balancers and volumes created from inside the cluster on
      destroy, so they do not outlive it and keep billing.
    - `control_plane_allowed_addresses`: null leaves the API server open; a list of CIDRs/IPs enables the
      control-plane firewall with only those sources (remember the machine that runs Terraform).
    - `autoscaler`: null keeps DigitalOcean's cluster-autoscaler defaults.
  EOT
  type = object({
    version                          = optional(string, "1.35.")
    ha                               = optional(bool, false)
    auto_upgrade                     = optional(bool, true)
    surge_upgrade                    = optional(bool, true)
    destroy_all_associated_resources = optional(bool, true)
    registry_integration             = optional(bool, false)
    maintenance_window = optional(object({
      day        = optional(string, "sunday")
      start_time = optional(string, "04:00")
    }), {})
    control_plane_allowed_addresses = optional(list(string))
    autoscaler = optional(object({
      scale_down_utilization_threshold = optional(number)
      scale_down_unneeded_time         = optional(string)
      expanders                        = optional(list(string))
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^1\\.[0-9]+\\.$", var.cluster.version)) || can(regex("^1\\.[0-9]+\\.[0-9]+-do\\.[0-9]+$", var.cluster.version))
    error_message = "Variable cluster.version must be a minor prefix like \"1.35.\" or an exact DOKS slug like \"1.35.1-do.0\"."
  }

  validation {
    condition     = !(can(regex("-do\\.[0-9]+$", var.cluster.version)) && var.cluster.auto_upgrade)
    error_message = "Variable cluster: an exact version slug needs auto_upgrade = false (an auto-upgraded cluster would look like a downgrade and be replaced); use a prefix such as \"1.35.\" with auto_upgrade."
  }

  validation {
    condition     = contains(["any", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], var.cluster.maintenance_window.day)
    error_message = "Variable cluster.maintenance_window.day must be one of any, monday ... sunday."
  }

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.cluster.maintenance_window.start_time))
    error_message = "Variable cluster.maintenance_window.start_time must be HH:MM in 24-hour UTC, e.g. 04:00."
  }

  validation {
    condition     = var.cluster.control_plane_allowed_addresses == null || try(length(var.cluster.control_plane_allowed_addresses) > 0 && alltrue([for a in var.cluster.control_plane_allowed_addresses : can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/([0-9]|[12][0-9]|3[0-2]))?$", a)) && can(cidrhost(strcontains(a, "/") ? a : "${a}/32", 0))]), false)
    error_message = "Variable cluster.control_plane_allowed_addresses must be a non-empty list of IPv4 addresses or CIDRs such as 203.0.113.7 or 203.0.113.0/24 (null turns the control-plane firewall off)."
  }

  # An allow-list that admits everyone is an open API server that looks closed.
  validation {
    condition     = !contains(coalesce(var.cluster.control_plane_allowed_addresses, []), "0.0.0.0/0")
    error_message = "Variable cluster.control_plane_allowed_addresses must not contain 0.0.0.0/0, which admits everyone: list your addresses, or set null to leave the control-plane firewall off."
  }

  validation {
    condition = var.cluster.autoscaler == null || (
      try(coalesce(var.cluster.autoscaler.scale_down_utilization_threshold, 0.5) > 0 && coalesce(var.cluster.autoscaler.scale_down_utilization_threshold, 0.5) <= 1, false) &&
      can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", coalesce(try(var.cluster.autoscaler.scale_down_unneeded_time, null), "10m"))) && try(var.cluster.autoscaler.scale_down_unneeded_time != "", true) &&
      alltrue([for e in try(coalesce(var.cluster.autoscaler.expanders, []), []) : contains(["random", "priority", "least-waste"], e)])
    )
    error_message = "Variable cluster.autoscaler: scale_down_utilization_threshold must be in (0, 1], scale_down_unneeded_time a duration like \"10m\" or \"1h30m\", expanders among random, priority, least-waste."
  }
}

variable "node_pools" {
  description = <<-EOT
    Node pools keyed by role. The key `default` is required and becomes the cluster's built-in pool; every other
    key (e.g. `web`, `streaming`, `sidekiq`) becomes a separate pool named `<name>-<role>`. Each pool has a
    `size` slug and either a fixed `node_count` or autoscaling bounds `min_nodes`/`max_nodes` (not both),
    plus Kubernetes `labels` and `taints` used to place workloads.
  EOT
  type = map(object({
    size       = string
    node_count = optional(number)
    min_nodes  = optional(number)
    max_nodes  = optional(number)
    labels     = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = string
      effect = string
    })), [])
    tags = optional(list(string), [])
  }))
  default = {
    default = { size = "s-2vcpu-4gb", node_count = 2 }
  }
  nullable = false

  validation {
    condition     = contains(keys(var.node_pools), "default")
    error_message = "Variable node_pools must contain a \"default\" entry: it becomes the cluster's built-in pool."
  }

  validation {
    condition     = alltrue([for role in keys(var.node_pools) : can(regex("^[a-z][a-z0-9-]{0,19}$", role))])
    error_message = "Variable node_pools keys (roles) must be 1-20 lowercase letters, digits or hyphens, starting with a letter (e.g. web, sidekiq)."
  }

  validation {
    condition     = alltrue([for p in values(var.node_pools) : can(regex("^[a-z0-9]+(-[a-z0-9]+)+$", p.size))])
    error_message = "Variable node_pools[*].size must be a Droplet size slug such as s-2vcpu-4gb or c-4."
  }

  validation {
    condition = alltrue([for p in values(var.node_pools) :
      (p.node_count != null && p.min_nodes == null && p.max_nodes == null) ||
      (p.node_count == null && p.min_nodes != null && p.max_nodes != null)
    ])
    error_message = "Variable node_pools: each pool needs either node_count (fixed size) or both min_nodes and max_nodes (autoscaling), not a mix."
  }

  validation {
    condition     = alltrue([for p in values(var.node_pools) : p.node_count == null || try(p.node_count >= 1 && p.node_count <= 100 && floor(p.node_count) == p.node_count, false)])
    error_message = "Variable node_pools[*].node_count must be a whole number from 1 to 100."
  }

  validation {
    condition     = alltrue([for p in values(var.node_pools) : p.min_nodes == null || try(p.min_nodes >= 1 && p.max_nodes <= 100 && p.min_nodes <= p.max_nodes && floor(p.min_nodes) == p.min_nodes && floor(p.max_nodes) == p.max_nodes, false)])
    error_message = "Variable node_pools: autoscaling needs whole numbers 1 <= min_nodes <= max_nodes <= 100."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.node_pools) : [
      for t in p.taints : can(regex("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", t.key)) && can(regex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", t.value))
    ]]))
    error_message = "Variable node_pools[*].taints[*] needs a key that is a Kubernetes label key (optional prefix/ plus name, e.g. workload) and a value of up to 63 alphanumerics, -, _ or . (may be empty)."
  }

  validation {
    condition     = alltrue(flatten([for p in values(var.node_pools) : [for t in p.tags : can(regex("^[A-Za-z0-9:_-]{1,255}$", t))]]))
    error_message = "Variable node_pools[*].tags must be DigitalOcean tag names: 1-255 letters, digits, colons, hyphens or underscores."
  }

  validation {
    condition     = alltrue(flatten([for p in values(var.node_pools) : [for t in p.taints : contains(["NoSchedule", "PreferNoSchedule", "NoExecute"], t.effect)]]))
    error_message = "Variable node_pools[*].taints[*].effect must be NoSchedule, PreferNoSchedule or NoExecute."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.node_pools) : [
      for k, v in p.labels : can(regex("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", k)) && can(regex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", v))
    ]]))
    error_message = "Variable node_pools[*].labels must be valid Kubernetes label keys (optional prefix/ plus name) and values (up to 63 alphanumerics, -, _ or .)."
  }
}

variable "tags" {
  description = "DigitalOcean tags applied to the cluster and every node pool (letters, digits, :, - and _)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for t in var.tags : can(regex("^[A-Za-z0-9:_-]{1,255}$", t))])
    error_message = "Variable tags must be DigitalOcean tag names: 1-255 letters, digits, colons, hyphens or underscores."
  }
}
