# Composition tests for the root module with mocked DigitalOcean provider configurations: wiring between
# doks, databases and spaces, the admin Spaces key, the project, DNS and the cost estimate.

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

run "minimal_composition" {
  command = apply

  variables {
    postgres = { size = "db-s-1vcpu-1gb" }
    project  = {}
  }

  assert {
    condition     = module.databases.postgres_pool_name == output.postgres_pool_name && output.postgres_pool_name == "mastodon-pool"
    error_message = "The root must re-expose the pool name the app uses as its database."
  }
  assert {
    condition     = output.postgres_user == "mastodon" && output.postgres_database == "mastodon"
    error_message = "The app must get its own user and database (never doadmin/defaultdb)."
  }
  assert {
    condition     = output.cluster_id == "6a0c2b1e-0000-4000-8000-00000000c1a5" && output.cluster_token == "mock-token"
    error_message = "Cluster access outputs must come from modules/doks."
  }
  assert {
    condition     = length(digitalocean_spaces_key.admin) == 1 && one(digitalocean_spaces_key.admin[0].grant).permission == "fullaccess" && one(digitalocean_spaces_key.admin[0].grant).bucket == ""
    error_message = "The root must create the bucket-creating admin Spaces key for the spaces provider configuration."
  }
  assert {
    condition     = output.spaces_admin_access_key_id == "DO00MOCKACCESSKEY" && output.spaces_admin_secret_key == "mock-secret"
    error_message = "The admin key must be exposed for the caller's digitalocean.spaces provider."
  }
  assert {
    condition     = output.spaces_media_host == "mastodon-media.fra1.digitaloceanspaces.com" && output.spaces_cdn_endpoint == null
    error_message = "Without a CDN media is served from the bucket host."
  }
  assert {
    condition     = length(digitalocean_domain.this) == 0 && output.dns_zone == null && length(digitalocean_record.web) == 0
    error_message = "DNS off must create no zone and no record."
  }
  # DNS handled elsewhere: the user points the record at this address, so it must be there.
  assert {
    condition     = output.load_balancer_ip == "203.0.113.80"
    error_message = "With dns.zone = null, load_balancer_ip must still be the ingress load balancer's address (read from DigitalOcean by its id)."
  }
  assert {
    condition     = data.digitalocean_loadbalancer.ingress.id == "4de7ac8b-495b-4884-9a69-1050c6793cd6" && data.digitalocean_loadbalancer.ingress.name == null
    error_message = "The root must read the load balancer by the id the cloud controller annotates the ingress Service with."
  }
  assert {
    condition = toset(digitalocean_project.this[0].resources) == toset([
      "do:kubernetes:6a0c2b1e-0000-4000-8000-00000000c1a5",
      "do:dbaas:9cc10173-e9ea-4176-9dbc-a4cee4c4ff30",
      "do:space:mastodon-media",
      "do:loadbalancer:4de7ac8b-495b-4884-9a69-1050c6793cd6",
    ])
    error_message = "The project must group the cluster, the database clusters, the bucket and the load balancer (and nothing absent)."
  }
  assert {
    condition     = output.cost_estimate_monthly_usd.minimum == 96 && output.cost_estimate_monthly_usd.maximum == 96 && output.cost_estimate_monthly_usd.other.uptime_check == 1
    error_message = "Minimal setup should cost 2x24 + 15 + 15 + 5 + 12 + 1 (uptime check) = 96 USD/month."
  }

  # The application layer gets the pool for the app, the cluster for migrations, and the right trust ranges.
  assert {
    condition = alltrue([
      yamldecode(module.mastodon.chart_values).postgresql.hostname == "private-pool.b.db.ondigitalocean.com",
      yamldecode(module.mastodon.chart_values).postgresql.port == 25061,
      yamldecode(module.mastodon.chart_values).postgresql.database == module.databases.postgres_pool_name,
      yamldecode(module.mastodon.chart_values).postgresql.direct.hostname == "private-db.b.db.ondigitalocean.com",
      yamldecode(module.mastodon.chart_values).postgresql.direct.database == "mastodon",
      yamldecode(module.mastodon.chart_values).postgresql.preparedStatements == false,
    ])
    error_message = "Chart values must use the PgBouncer pool (host, 25061, pool name) and the direct connection for migrations."
  }
  assert {
    condition     = length([for j in module.mastodon.job_names : j if strcontains(j, "-db-bootstrap-")]) == 1 && module.mastodon.job_names[0] == one([for j in module.mastodon.job_names : j if strcontains(j, "-db-bootstrap-")])
    error_message = "The root must hand the databases module's grant statements to the application layer's bootstrap Job."
  }
  assert {
    condition     = yamldecode(module.mastodon.chart_values).mastodon.trustedProxyIp == "10.110.0.0/20,10.244.0.0/16"
    error_message = "Trusted proxies must be the VPC range and the pod network."
  }
  assert {
    condition     = yamldecode(module.mastodon.chart_values).mastodon.s3.bucket == output.spaces_bucket_name && yamldecode(module.mastodon.chart_values).mastodon.s3.hostname == "fra1.digitaloceanspaces.com"
    error_message = "Chart values must use the media bucket and the regional Spaces host."
  }
  assert {
    condition     = length(digitalocean_record.web) == 0
    error_message = "Without a DigitalOcean zone no DNS record is created."
  }
  assert {
    condition     = output.mastodon_url == "https://social.example.com" && output.mastodon_admin_username == "owner"
    error_message = "The URL and admin username must be exposed."
  }
}

run "production_composition" {
  command = apply

  variables {
    cluster = { ha = true }
    node_pools = {
      default = { size = "s-2vcpu-4gb", node_count = 2 }
      web     = { size = "s-4vcpu-8gb", min_nodes = 2, max_nodes = 4 }
      sidekiq = { size = "s-4vcpu-8gb", min_nodes = 1, max_nodes = 3, taints = [{ key = "mastodon/role", value = "sidekiq", effect = "NoSchedule" }] }
    }
    postgres   = { size = "db-s-2vcpu-4gb", node_count = 2 }
    opensearch = {}
    spaces     = { key_wait_seconds = 0, cdn = { custom_domain = "media.example.com" } }
    dns        = { zone = "example.com", create_zone = true }
    project    = { name = "social" }
  }

  assert {
    condition     = length(module.doks.node_pools) == 3 && output.node_pools["sidekiq"].name == "mastodon-sidekiq"
    error_message = "Role pools must be re-exposed by role."
  }
  assert {
    condition     = output.spaces_media_host == "media.example.com"
    error_message = "With a CDN custom domain media_host must be that domain."
  }
  assert {
    condition     = length(digitalocean_domain.this) == 1 && output.dns_zone == "example.com"
    error_message = "create_zone must create the zone and expose it."
  }
  assert {
    condition     = output.opensearch_host == "private-db.b.db.ondigitalocean.com"
    error_message = "OpenSearch on must expose its private host."
  }
  assert {
    condition     = length([for k in keys(module.monitoring[0].database_alert_ids) : k if startswith(k, "opensearch-")]) == 3 && length(module.monitoring[0].database_alert_ids) == 9
    error_message = "With OpenSearch on, it must get its CPU, memory and disk alerts too."
  }
  assert {
    condition     = contains(digitalocean_project.this[0].resources, "do:domain:example.com") && digitalocean_project.this[0].name == "social"
    error_message = "The project must include the managed zone and use the given name."
  }
  assert {
    condition     = output.cost_estimate_monthly_usd.other.control_plane == 40 && output.cost_estimate_monthly_usd.minimum == 40 + 48 + 96 + 48 + 120 + 15 + 30 + 5 + 12 + 1
    error_message = "The estimate must include HA, pools at min_nodes, two PostgreSQL nodes, Valkey and OpenSearch."
  }

  assert {
    condition     = digitalocean_record.web[0].type == "A" && digitalocean_record.web[0].name == "social" && digitalocean_record.web[0].value == "203.0.113.80" && digitalocean_record.web[0].domain == "example.com"
    error_message = "The web domain's A record must point at the ingress load balancer, relative to the zone."
  }
  assert {
    condition     = contains(digitalocean_project.this[0].resources, "do:loadbalancer:4de7ac8b-495b-4884-9a69-1050c6793cd6")
    error_message = "The ingress load balancer belongs in the project."
  }
}

run "monitoring_off" {
  command = plan

  variables {
    monitoring = null
  }

  assert {
    condition     = length(module.monitoring) == 0 && output.uptime_check_id == null && output.monitoring_notified_emails == null
    error_message = "monitoring = null must create no check and no alert."
  }
  assert {
    condition     = output.cost_estimate_monthly_usd.other.uptime_check == 0
    error_message = "Without monitoring the estimate must not count an uptime check."
  }
}

run "monitoring_without_anyone_to_tell" {
  command = plan

  variables {
    admin      = null
    mastodon   = { acme_email = "acme@example.com" }
    monitoring = {}
  }

  expect_failures = [var.monitoring]
}

run "optional_features_off" {
  command = plan

  variables {
    spaces = { create_admin_key = false }
  }

  assert {
    condition     = length(digitalocean_spaces_key.admin) == 0 && length(digitalocean_project.this) == 0 && length(digitalocean_domain.this) == 0
    error_message = "Admin key, project and zone must be absent when turned off."
  }
  assert {
    condition     = output.project_id == null
    error_message = "project_id must be null without a project."
  }
}

run "rejects_cdn_domain_outside_zone" {
  command = plan

  variables {
    spaces = { cdn = { custom_domain = "media.example.org" } }
    dns    = { zone = "example.com" }
  }

  expect_failures = [var.spaces]
}

run "rejects_zone_not_parent_of_domain" {
  command = plan

  variables {
    dns = { zone = "example.org" }
  }

  expect_failures = [var.dns]
}

run "bucket_waits_for_the_new_spaces_key" {
  command = plan

  variables {
    spaces = {}
  }

  assert {
    condition     = length(terraform_data.spaces_admin_key_active) == 1
    error_message = "With the admin Spaces key created here, the apply must wait until it works before the bucket is created."
  }
}

run "no_wait_for_a_key_brought_by_the_caller" {
  command = plan

  variables {
    spaces = { create_admin_key = false }
  }

  assert {
    condition     = length(terraform_data.spaces_admin_key_active) == 0
    error_message = "A key the caller brings is already active: no wait."
  }
}
