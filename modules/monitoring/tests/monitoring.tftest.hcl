# Unit tests for modules/monitoring with a mocked DigitalOcean provider: no account, no network.

mock_provider "digitalocean" {
  source = "../../tests/mocks/digitalocean"
}

variables {
  name   = "social"
  domain = "social.example.com"
  emails = ["admin@example.com"]
  databases = {
    postgres = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"
    valkey   = "5b0c1c77-aaaa-4bbb-8ccc-0000000000a1"
  }
  node_tag = "k8s:6a0c2b1e-0000-4000-8000-00000000c1a5"
}

run "defaults" {
  command = apply

  assert {
    condition     = digitalocean_uptime_check.this.target == "https://social.example.com/health" && digitalocean_uptime_check.this.type == "https" && digitalocean_uptime_check.this.enabled
    error_message = "The uptime check must request https://<domain>/health."
  }
  assert {
    condition     = digitalocean_uptime_check.this.regions == toset(["us_east", "eu_west"])
    error_message = "The check must probe from two regions by default."
  }
  assert {
    condition     = alltrue([for a in digitalocean_uptime_alert.this : a.check_id == "3f1a9e2c-0000-4000-8000-0000000c4ec1"])
    error_message = "Every uptime alert must belong to the check."
  }
  assert {
    condition = (
      digitalocean_uptime_alert.this["down"].type == "down" && digitalocean_uptime_alert.this["down"].period == "2m" &&
      digitalocean_uptime_alert.this["latency"].type == "latency" && digitalocean_uptime_alert.this["latency"].threshold == 2000 &&
      digitalocean_uptime_alert.this["latency"].comparison == "greater_than" && digitalocean_uptime_alert.this["latency"].period == "5m" &&
      digitalocean_uptime_alert.this["tls_expiry"].type == "ssl_expiry" && digitalocean_uptime_alert.this["tls_expiry"].threshold == 14 &&
      digitalocean_uptime_alert.this["tls_expiry"].comparison == "less_than"
    )
    error_message = "Uptime alerts must be down (2m), latency (> 2000 ms for 5m) and TLS expiry (< 14 days)."
  }
  assert {
    condition = alltrue(concat(
      [for a in digitalocean_uptime_alert.this : a.notifications[0].email == tolist(["admin@example.com"]) && length(a.notifications[0].slack) == 0],
      [for a in digitalocean_monitor_alert.database : a.alerts[0].email == tolist(["admin@example.com"]) && length(a.alerts[0].slack) == 0],
      [for a in digitalocean_monitor_alert.node : a.alerts[0].email == tolist(["admin@example.com"]) && length(a.alerts[0].slack) == 0],
    ))
    error_message = "Every alert must e-mail the given addresses and post nowhere else by default."
  }
  assert {
    condition     = toset(keys(digitalocean_monitor_alert.database)) == toset(["postgres-cpu", "postgres-memory", "postgres-disk", "valkey-cpu", "valkey-memory", "valkey-disk"])
    error_message = "Each database must get a CPU, a memory and a disk alert."
  }
  assert {
    condition = (
      digitalocean_monitor_alert.database["postgres-cpu"].type == "v1/dbaas/alerts/cpu_alerts" && digitalocean_monitor_alert.database["postgres-cpu"].value == 80 &&
      digitalocean_monitor_alert.database["valkey-memory"].type == "v1/dbaas/alerts/memory_utilization_alerts" && digitalocean_monitor_alert.database["valkey-memory"].value == 90 &&
      digitalocean_monitor_alert.database["postgres-disk"].type == "v1/dbaas/alerts/disk_utilization_alerts" && digitalocean_monitor_alert.database["postgres-disk"].value == 80
    )
    error_message = "Database alerts must use the dbaas alert types with the default thresholds 80/90/80."
  }
  assert {
    condition = alltrue([
      for k, a in digitalocean_monitor_alert.database :
      a.entities == toset([startswith(k, "postgres-") ? "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30" : "5b0c1c77-aaaa-4bbb-8ccc-0000000000a1"]) &&
      a.compare == "GreaterThan" && a.window == "10m" && a.enabled && length(coalesce(a.tags, [])) == 0
    ])
    error_message = "Each database alert must watch exactly its own cluster, above threshold for 10m."
  }
  assert {
    condition = (
      digitalocean_monitor_alert.node["cpu"].type == "v1/insights/droplet/cpu" && digitalocean_monitor_alert.node["cpu"].value == 85 &&
      digitalocean_monitor_alert.node["memory"].type == "v1/insights/droplet/memory_utilization_percent" && digitalocean_monitor_alert.node["memory"].value == 90 &&
      digitalocean_monitor_alert.node["disk"].type == "v1/insights/droplet/disk_utilization_percent" && digitalocean_monitor_alert.node["disk"].value == 85
    )
    error_message = "Node alerts must use the droplet insight types with the default thresholds 85/90/85."
  }
  assert {
    condition     = alltrue([for a in digitalocean_monitor_alert.node : a.tags == toset(["k8s:6a0c2b1e-0000-4000-8000-00000000c1a5"]) && length(coalesce(a.entities, [])) == 0])
    error_message = "Node alerts must select nodes by the cluster's tag, not by Droplet ids."
  }
  assert {
    condition     = output.health_url == "https://social.example.com/health" && output.uptime_check_id == "3f1a9e2c-0000-4000-8000-0000000c4ec1"
    error_message = "Outputs must report the check."
  }
}

run "slack_extra_emails_opensearch_and_thresholds" {
  command = apply

  variables {
    emails = ["admin@example.com"]
    databases = {
      postgres   = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"
      valkey     = "5b0c1c77-aaaa-4bbb-8ccc-0000000000a1"
      opensearch = "77d0b0e1-bbbb-4ccc-8ddd-0000000000b2"
    }
    monitoring = {
      extra_emails = ["ops@example.com", "admin@example.com"]
      slack        = { url = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXX", channel = "#mastodon-alerts" }
      uptime       = { regions = ["eu_west"], latency_ms = 800, tls_expiry_days = 7 }
      window       = "5m"
      databases    = { disk_percent = 70 }
      nodes        = { cpu_percent = 95 }
    }
  }

  assert {
    condition = alltrue(concat(
      [for a in digitalocean_uptime_alert.this : a.notifications[0].email == tolist(["admin@example.com", "ops@example.com"]) && a.notifications[0].slack[0].channel == "#mastodon-alerts" && a.notifications[0].slack[0].url == "https://hooks.slack.com/services/T0000/B0000/XXXXXXXX"],
      [for a in digitalocean_monitor_alert.database : a.alerts[0].email == tolist(["admin@example.com", "ops@example.com"]) && a.alerts[0].slack[0].channel == "#mastodon-alerts"],
      [for a in digitalocean_monitor_alert.node : a.alerts[0].email == tolist(["admin@example.com", "ops@example.com"]) && a.alerts[0].slack[0].channel == "#mastodon-alerts"],
    ))
    error_message = "Every alert must notify every e-mail and the Slack webhook."
  }
  assert {
    condition     = length(digitalocean_monitor_alert.database) == 9 && digitalocean_monitor_alert.database["opensearch-disk"].entities == toset(["77d0b0e1-bbbb-4ccc-8ddd-0000000000b2"])
    error_message = "A third database must get its own three alerts."
  }
  assert {
    condition     = digitalocean_monitor_alert.database["valkey-disk"].value == 70 && digitalocean_monitor_alert.database["valkey-cpu"].value == 80 && digitalocean_monitor_alert.node["cpu"].value == 95 && digitalocean_monitor_alert.node["memory"].value == 90
    error_message = "Given thresholds must replace only their own defaults."
  }
  assert {
    condition     = alltrue([for a in concat(values(digitalocean_monitor_alert.database), values(digitalocean_monitor_alert.node)) : a.window == "5m"])
    error_message = "The window must apply to every policy."
  }
  assert {
    condition     = digitalocean_uptime_check.this.regions == toset(["eu_west"]) && digitalocean_uptime_alert.this["latency"].threshold == 800 && digitalocean_uptime_alert.this["tls_expiry"].threshold == 7
    error_message = "Uptime settings must reach the check and its alerts."
  }
}

run "rejects_a_malformed_webhook" {
  command = plan

  variables {
    monitoring = { slack = { url = "http://hooks.slack.com/services/T0000/B0000/XXXX", channel = "#alerts" } }
  }

  expect_failures = [var.monitoring]
}

run "rejects_a_threshold_of_100_percent" {
  command = plan

  variables {
    monitoring = { databases = { cpu_percent = 100 } }
  }

  expect_failures = [var.monitoring]
}

run "rejects_no_email" {
  command = plan

  variables {
    emails = []
  }

  expect_failures = [var.monitoring]
}
