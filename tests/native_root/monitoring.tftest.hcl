# Monitoring of the root module, in a state of its own (OpenTofu has no `state_key`, so a file of its own), with
# the same mocked providers and inputs as root.tftest.hcl.

# The shared defaults (tests/mocks) give every computed attribute a value shaped like the real one.
mock_provider "digitalocean" {
  source = "./tests/mocks/digitalocean"
}

mock_provider "digitalocean" {
  alias  = "spaces"
  source = "./tests/mocks/digitalocean"
}

# The application layer is mocked too (tests/mocks/kubernetes-root: the ingress Service as the cloud controller
# annotates it); modules/mastodon-helm has its own tests of the chart wiring.
mock_provider "kubernetes" {
  source = "./tests/mocks/kubernetes-root"
}

mock_provider "helm" {}

# The shared inputs are in terraform.tfvars beside this file.

# Monitoring is on by default: one uptime check with three alerts, and CPU/memory/disk alerts for each managed
# database and for the nodes, all telling the admin.
run "monitoring_defaults" {
  command = apply
  # In root.tftest.hcl's state the Valkey cluster already exists with the mock's common id, and the override
  # below (distinct ids per database) would never apply.
  override_resource {
    target = module.databases.digitalocean_database_cluster.valkey
    values = {
      id           = "5b0c1c77-aaaa-4bbb-8ccc-0000000000a1"
      urn          = "do:dbaas:5b0c1c77-aaaa-4bbb-8ccc-0000000000a1"
      private_host = "private-valkey.b.db.ondigitalocean.com"
      port         = 25061
    }
  }

  assert {
    condition     = module.monitoring[0].health_url == "https://social.example.com/health" && output.uptime_check_id == module.monitoring[0].uptime_check_id
    error_message = "The uptime check must target the web domain's /health."
  }
  assert {
    condition     = output.monitoring_notified_emails == tolist(["admin@example.com"])
    error_message = "With no extra e-mails, alerts must notify exactly the admin."
  }
  assert {
    condition     = toset(keys(module.monitoring[0].database_alert_ids)) == toset(["postgres-cpu", "postgres-memory", "postgres-disk", "valkey-cpu", "valkey-memory", "valkey-disk"])
    error_message = "Without OpenSearch the database alerts must cover exactly PostgreSQL and Valkey."
  }
  assert {
    condition     = toset(keys(module.monitoring[0].node_alert_ids)) == toset(["cpu", "memory", "disk"])
    error_message = "Nodes must get CPU, memory and disk alerts."
  }
  assert {
    condition = alltrue([
      for k, id in module.monitoring[0].database_alert_entities :
      id == (startswith(k, "valkey-") ? "5b0c1c77-aaaa-4bbb-8ccc-0000000000a1" : "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30")
    ])
    error_message = "Each database alert must watch its own cluster (Valkey alerts the Valkey cluster, PostgreSQL alerts PostgreSQL)."
  }
  assert {
    condition     = alltrue([for tags in values(module.monitoring[0].node_alert_tags) : tags == toset(["k8s:6a0c2b1e-0000-4000-8000-00000000c1a5"])])
    error_message = "Node alerts must select the cluster's nodes by its k8s:<cluster id> tag."
  }
  assert {
    condition     = output.cost_estimate_monthly_usd.other.uptime_check == 1
    error_message = "The uptime check (USD 1/month) must be in the estimate."
  }
}
