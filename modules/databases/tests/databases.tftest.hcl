# Unit tests for modules/databases with a mocked DigitalOcean provider: no account, no network.

mock_provider "digitalocean" {
  source = "../../tests/mocks/digitalocean"
}

variables {
  name                  = "social"
  region                = "fra1"
  vpc_id                = "0d3176ad-41e0-4021-b831-0c5c45c60959"
  kubernetes_cluster_id = "6a0c2b1e-0000-4000-8000-00000000c1a5"
}

run "defaults" {
  command = apply

  assert {
    condition     = digitalocean_database_cluster.postgres.engine == "pg" && digitalocean_database_cluster.postgres.private_network_uuid == var.vpc_id
    error_message = "PostgreSQL must be a pg cluster in the given VPC."
  }
  assert {
    condition     = digitalocean_database_db.mastodon.name == "mastodon" && digitalocean_database_user.mastodon.name == "mastodon"
    error_message = "The app must get its own database and user."
  }
  assert {
    condition     = output.postgres_user != "doadmin" && output.postgres_database != "defaultdb"
    error_message = "The app must never be handed doadmin or defaultdb."
  }
  assert {
    condition     = digitalocean_database_connection_pool.mastodon.mode == "transaction" && digitalocean_database_connection_pool.mastodon.db_name == "mastodon" && digitalocean_database_connection_pool.mastodon.user == "mastodon"
    error_message = "The pool must run in transaction mode on the app database as the app user."
  }
  assert {
    condition     = digitalocean_database_connection_pool.mastodon.size == 42
    error_message = "Default pool size for db-s-1vcpu-2gb must be 25*2-3-5 = 42."
  }
  assert {
    condition     = output.postgres_pool_name == "mastodon-pool" && output.postgres_pool_name == digitalocean_database_connection_pool.mastodon.name
    error_message = "postgres_pool_name (the app's database name behind PgBouncer) must be the pool's name."
  }
  assert {
    condition     = output.postgres_pool_host == "private-pool.b.db.ondigitalocean.com" && output.postgres_pool_port == 25061
    error_message = "The pool path must use the pool's private host and port 25061."
  }
  assert {
    condition     = output.postgres_direct_host == "private-db.b.db.ondigitalocean.com" && output.postgres_direct_port == 25060 && output.postgres_database == "mastodon"
    error_message = "The direct path must use the cluster's private host, port 25060 and the real database."
  }
  assert {
    condition     = output.postgres_password == "app-secret" && output.postgres_ca_certificate == "-----BEGIN CERTIFICATE-----\nbW9jaw==\n-----END CERTIFICATE-----\n"
    error_message = "User password and CA must be exposed."
  }
  assert {
    condition     = length(digitalocean_database_firewall.postgres.rule) == 1 && alltrue([for r in digitalocean_database_firewall.postgres.rule : r.type == "k8s" && r.value == var.kubernetes_cluster_id])
    error_message = "The PostgreSQL firewall must admit only the cluster (k8s rule with the cluster id)."
  }
  assert {
    condition     = digitalocean_database_firewall.postgres.cluster_id == digitalocean_database_cluster.postgres.id
    error_message = "The PostgreSQL firewall must protect the PostgreSQL cluster."
  }
  assert {
    condition     = keys(digitalocean_database_cluster.valkey) == ["valkey"] && keys(digitalocean_database_firewall.valkey) == ["valkey"]
    error_message = "Without valkey_cache there is one Valkey cluster, with its firewall."
  }
  assert {
    condition     = digitalocean_database_cluster.valkey["valkey"].name == "social-valkey" && digitalocean_database_cluster.valkey["valkey"].engine == "valkey" && digitalocean_database_cluster.valkey["valkey"].eviction_policy == "noeviction"
    error_message = "Valkey must be social-valkey with eviction policy noeviction."
  }
  assert {
    condition     = digitalocean_database_firewall.valkey["valkey"].cluster_id == digitalocean_database_cluster.valkey["valkey"].id && length(digitalocean_database_firewall.valkey["valkey"].rule) == 1 && alltrue([for r in digitalocean_database_firewall.valkey["valkey"].rule : r.type == "k8s" && r.value == var.kubernetes_cluster_id])
    error_message = "The Valkey firewall must protect the Valkey cluster and admit only the cluster."
  }
  assert {
    condition     = output.valkey_cache_cluster_id == null && output.valkey_cache_host == null && output.valkey_cache_port == null && output.valkey_cache_password == null
    error_message = "Without valkey_cache the cache outputs are null."
  }
  assert {
    condition     = output.valkey_url == "rediss://doadmin:admin-secret@private-db.b.db.ondigitalocean.com:25060" && output.valkey_host == "private-db.b.db.ondigitalocean.com"
    error_message = "valkey_url must be rediss:// with user, password, private host and port."
  }
  assert {
    condition     = length(digitalocean_database_cluster.opensearch) == 0 && length(digitalocean_database_firewall.opensearch) == 0
    error_message = "OpenSearch off must leave no resources."
  }
  assert {
    condition     = output.opensearch_host == null && output.opensearch_port == null && output.opensearch_user == null && output.opensearch_password == null
    error_message = "OpenSearch outputs must be null when off."
  }
}

run "opensearch_on_extra_rules_and_standby" {
  command = apply

  variables {
    postgres = {
      size                 = "db-s-2vcpu-4gb"
      node_count           = 2
      pool_size            = 50
      extra_firewall_rules = [{ type = "ip_addr", value = "203.0.113.7" }]
    }
    opensearch = {}
  }

  assert {
    condition     = digitalocean_database_cluster.postgres.node_count == 2 && digitalocean_database_connection_pool.mastodon.size == 50
    error_message = "node_count (standby) and an explicit pool size must be passed through."
  }
  assert {
    condition     = length(digitalocean_database_firewall.postgres.rule) == 2 && contains([for r in digitalocean_database_firewall.postgres.rule : "${r.type}=${r.value}"], "k8s=${var.kubernetes_cluster_id}") && contains([for r in digitalocean_database_firewall.postgres.rule : "${r.type}=${r.value}"], "ip_addr=203.0.113.7")
    error_message = "Extra PostgreSQL sources must be added next to the cluster rule."
  }
  assert {
    condition     = length(digitalocean_database_cluster.opensearch) == 1 && digitalocean_database_cluster.opensearch[0].engine == "opensearch"
    error_message = "opensearch = {} must create one OpenSearch cluster."
  }
  assert {
    condition     = alltrue([for r in digitalocean_database_firewall.opensearch[0].rule : r.type == "k8s" && r.value == var.kubernetes_cluster_id])
    error_message = "The OpenSearch firewall must admit only the cluster."
  }
  assert {
    condition     = output.opensearch_host == "private-db.b.db.ondigitalocean.com" && output.opensearch_user == "doadmin"
    error_message = "OpenSearch outputs must be set when on."
  }
}

run "rejects_standby_on_smallest_plan" {
  command = plan

  variables {
    postgres = { size = "db-s-1vcpu-1gb", node_count = 2 }
  }

  expect_failures = [var.postgres]
}

run "rejects_doadmin" {
  command = plan

  variables {
    postgres = { user = "doadmin" }
  }

  expect_failures = [var.postgres]
}

run "rejects_pool_larger_than_backend" {
  command = plan

  variables {
    postgres = { size = "db-s-1vcpu-1gb", pool_size = 22 }
  }

  expect_failures = [digitalocean_database_connection_pool.mastodon]
}

run "restore_from_a_point_in_time" {
  command = plan

  variables {
    postgres = {
      restore_from = { cluster_name = "social-pg", backup_created_at = "2026-11-30T04:05:00Z" }
    }
  }

  assert {
    condition     = one(digitalocean_database_cluster.postgres.backup_restore).database_name == "social-pg" && one(digitalocean_database_cluster.postgres.backup_restore).backup_created_at == "2026-11-30T04:05:00Z"
    error_message = "The restore must name the source cluster and the backup time."
  }
  assert {
    condition     = digitalocean_database_cluster.postgres.name == "social-pg-202611300405"
    error_message = "A restored cluster must get a name of its own, beside its source."
  }
}

run "restore_from_the_latest_backup" {
  command = plan

  variables {
    postgres = {
      restore_from = { cluster_name = "social-pg" }
    }
  }

  assert {
    condition     = one(digitalocean_database_cluster.postgres.backup_restore).backup_created_at == null && digitalocean_database_cluster.postgres.name == "social-pg-restored"
    error_message = "Without a time the latest backup is restored, into <name>-pg-restored."
  }
}

run "malformed_restore_time_is_rejected" {
  command = plan

  variables {
    postgres = {
      restore_from = { cluster_name = "social-pg", backup_created_at = "30/11/2026 04:05" }
    }
  }

  expect_failures = [var.postgres]
}

run "rejects_read_replica_on_smallest_plan" {
  command = plan

  variables {
    postgres = { size = "db-s-1vcpu-1gb", read_replicas = { count = 1 } }
  }

  expect_failures = [var.postgres]
}

run "rejects_read_replica_smaller_than_primary" {
  command = plan

  variables {
    postgres = { size = "db-s-2vcpu-4gb", read_replicas = { count = 1, size = "db-s-1vcpu-2gb" } }
  }

  expect_failures = [var.postgres]
}

run "cache_store_and_read_replicas" {
  command = plan

  variables {
    postgres     = { size = "db-s-2vcpu-4gb", read_replicas = { count = 2 } }
    valkey_cache = {}
  }

  assert {
    condition     = digitalocean_database_cluster.valkey["valkey-cache"].name == "social-cache" && digitalocean_database_cluster.valkey["valkey-cache"].eviction_policy == "allkeys-lru" && digitalocean_database_cluster.valkey["valkey"].eviction_policy == "noeviction"
    error_message = "the cache store (social-cache) evicts (allkeys-lru); Sidekiq's Valkey never does"
  }
  assert {
    condition     = digitalocean_database_cluster.valkey["valkey-cache"].private_network_uuid == var.vpc_id && alltrue([for r in digitalocean_database_replica.postgres : r.private_network_uuid == var.vpc_id && r.size == "db-s-2vcpu-4gb" && r.region == var.region])
    error_message = "cache store and read-only nodes must sit in the cluster's VPC and region, nodes at the primary's size by default"
  }
  assert {
    condition     = alltrue([for f in concat([digitalocean_database_firewall.valkey["valkey-cache"]], digitalocean_database_firewall.postgres_replica) : length(f.rule) == 1 && alltrue([for r in f.rule : r.type == "k8s" && r.value == var.kubernetes_cluster_id])])
    error_message = "the cache store and every read-only node must admit only the cluster"
  }
  assert {
    condition     = length(digitalocean_database_replica.postgres) == 2 && length(digitalocean_database_firewall.postgres_replica) == 2
    error_message = "two read-only nodes, each with a firewall"
  }
}

run "cache_store_outputs" {
  command = apply

  variables {
    valkey_cache = { size = "db-s-1vcpu-2gb" }
  }

  # The mock gives every cluster the same computed values, so these check the wiring only; that each output
  # reads its own cluster is shown against the provider double, whose values differ (tests/plan/test_state_moves.py).
  assert {
    condition     = digitalocean_database_firewall.valkey["valkey-cache"].cluster_id == digitalocean_database_cluster.valkey["valkey-cache"].id && digitalocean_database_cluster.valkey["valkey-cache"].size == "db-s-1vcpu-2gb"
    error_message = "the cache store's firewall must protect the cache store, sized as asked"
  }
  assert {
    condition     = output.valkey_cache_cluster_id == digitalocean_database_cluster.valkey["valkey-cache"].id && output.valkey_cache_cluster_urn == digitalocean_database_cluster.valkey["valkey-cache"].urn && output.valkey_cache_host == digitalocean_database_cluster.valkey["valkey-cache"].private_host && output.valkey_cache_port == digitalocean_database_cluster.valkey["valkey-cache"].port && output.valkey_cache_password == digitalocean_database_cluster.valkey["valkey-cache"].password
    error_message = "the cache outputs must be the cache store's"
  }
  assert {
    condition     = output.valkey_cluster_id == digitalocean_database_cluster.valkey["valkey"].id && output.valkey_host == digitalocean_database_cluster.valkey["valkey"].private_host && output.valkey_password == digitalocean_database_cluster.valkey["valkey"].password
    error_message = "the main Valkey outputs must stay the main cluster's"
  }
}
