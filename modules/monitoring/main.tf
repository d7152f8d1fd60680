# An uptime check of the instance's health URL and alert policies for databases and nodes.

locals {
  health_url = "https://${var.domain}/health"
  emails     = distinct(concat(var.emails, var.monitoring.extra_emails))

  # A webhook URL lets anyone post to the channel: keep it out of plan output.
  slack = var.monitoring.slack == null ? [] : [{ url = sensitive(var.monitoring.slack.url), channel = var.monitoring.slack.channel }]

  # DigitalOcean averages database metrics over the whole cluster (primary and standby nodes); entities are
  # cluster ids.
  database_metrics = {
    cpu    = { type = "v1/dbaas/alerts/cpu_alerts", threshold = var.monitoring.databases.cpu_percent, label = "CPU" }
    memory = { type = "v1/dbaas/alerts/memory_utilization_alerts", threshold = var.monitoring.databases.memory_percent, label = "memory" }
    disk   = { type = "v1/dbaas/alerts/disk_utilization_alerts", threshold = var.monitoring.databases.disk_percent, label = "disk" }
  }
  database_alerts = {
    for pair in setproduct(keys(var.databases), keys(local.database_metrics)) : "${pair[0]}-${pair[1]}" => merge(
      local.database_metrics[pair[1]], { database = pair[0], cluster_id = var.databases[pair[0]] }
    )
  }

  node_metrics = {
    cpu    = { type = "v1/insights/droplet/cpu", threshold = var.monitoring.nodes.cpu_percent, label = "CPU" }
    memory = { type = "v1/insights/droplet/memory_utilization_percent", threshold = var.monitoring.nodes.memory_percent, label = "memory" }
    disk   = { type = "v1/insights/droplet/disk_utilization_percent", threshold = var.monitoring.nodes.disk_percent, label = "disk" }
  }

  uptime_alerts = {
    # `down` fires when any probe region sees the check fail; `down_global` would wait for all of them.
    down = { type = "down", threshold = null, comparison = null, period = var.monitoring.uptime.down_period, what = "is down" }
    latency = {
      type = "latency", threshold = var.monitoring.uptime.latency_ms, comparison = "greater_than", period = var.monitoring.uptime.latency_period,
      what = "answers slower than ${var.monitoring.uptime.latency_ms} ms"
    }
    tls_expiry = {
      type = "ssl_expiry", threshold = var.monitoring.uptime.tls_expiry_days, comparison = "less_than", period = null,
      what = "has a TLS certificate expiring within ${var.monitoring.uptime.tls_expiry_days} days"
    }
  }
}

# /health is served by the web pods (Rails' health check, no database query), so this watches the whole path a
# visitor takes: DNS, the load balancer, the ingress controller, TLS and Puma.
resource "digitalocean_uptime_check" "this" {
  name    = "${var.name}-health"
  type    = "https"
  target  = local.health_url
  regions = var.monitoring.uptime.regions
  enabled = true
}

resource "digitalocean_uptime_alert" "this" {
  for_each = local.uptime_alerts

  name       = "${var.name}: ${var.domain} ${each.value.what}"
  check_id   = digitalocean_uptime_check.this.id
  type       = each.value.type
  threshold  = each.value.threshold
  comparison = each.value.comparison
  period     = each.value.period

  notifications {
    email = local.emails

    dynamic "slack" {
      for_each = local.slack
      content {
        url     = slack.value.url
        channel = slack.value.channel
      }
    }
  }
}

resource "digitalocean_monitor_alert" "database" {
  for_each = local.database_alerts

  description = "${var.name}: ${each.value.database} ${each.value.label} above ${each.value.threshold}% for ${var.monitoring.window}"
  type        = each.value.type
  compare     = "GreaterThan"
  value       = each.value.threshold
  window      = var.monitoring.window
  entities    = [each.value.cluster_id]
  enabled     = true

  alerts {
    email = local.emails

    dynamic "slack" {
      for_each = local.slack
      content {
        url     = slack.value.url
        channel = slack.value.channel
      }
    }
  }
}

# Selected by tag rather than by Droplet id: DOKS replaces node Droplets on upgrades, recycling and autoscaling,
# and every node of the cluster carries its `k8s:<cluster id>` tag, so new nodes are watched without an apply.
resource "digitalocean_monitor_alert" "node" {
  for_each = local.node_metrics

  description = "${var.name}: a cluster node's ${each.value.label} above ${each.value.threshold}% for ${var.monitoring.window}"
  type        = each.value.type
  compare     = "GreaterThan"
  value       = each.value.threshold
  window      = var.monitoring.window
  tags        = [var.node_tag]
  enabled     = true

  alerts {
    email = local.emails

    dynamic "slack" {
      for_each = local.slack
      content {
        url     = slack.value.url
        channel = slack.value.channel
      }
    }
  }
}
