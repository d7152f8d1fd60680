# Shared mock defaults for the DigitalOcean provider in every native test (Terraform reads this directory through
# `mock_provider "digitalocean" { source = ... }`; for OpenTofu, which has no `source`, the test session writes
# these blocks into each mock_provider). Values are shaped like the API's: UUIDs, URNs, private host names,
# RFC1918 ranges. A mock otherwise gives computed attributes unknown values (Terraform) or random strings
# (OpenTofu), which the modules' own validations rightly refuse. A test file's own blocks of the same type win.
# Only computed attributes that nothing configures appear here: OpenTofu refuses mock values for anything else.

mock_resource "digitalocean_vpc" {
  defaults = {
    id       = "0d3176ad-41e0-4021-b831-0c5c45c60959"
    urn      = "do:vpc:0d3176ad-41e0-4021-b831-0c5c45c60959"
    ip_range = "10.110.0.0/20"
  }
}

mock_data "digitalocean_vpc" {
  defaults = {
    urn      = "do:vpc:0d3176ad-41e0-4021-b831-0c5c45c60959"
    ip_range = "10.50.0.0/20"
  }
}

mock_resource "digitalocean_kubernetes_cluster" {
  defaults = {
    id             = "6a0c2b1e-0000-4000-8000-00000000c1a5"
    urn            = "do:kubernetes:6a0c2b1e-0000-4000-8000-00000000c1a5"
    endpoint       = "https://6a0c2b1e-0000-4000-8000-00000000c1a5.k8s.ondigitalocean.com"
    ipv4_address   = "203.0.113.20"
    status         = "running"
    cluster_subnet = "10.244.0.0/16"
    service_subnet = "10.245.0.0/16"
    kube_config = [{
      host                   = "https://6a0c2b1e-0000-4000-8000-00000000c1a5.k8s.ondigitalocean.com"
      cluster_ca_certificate = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCm1vY2sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
      token                  = "mock-token"
      raw_config             = "apiVersion: v1"
      client_key             = ""
      client_certificate     = ""
      expires_at             = "2030-01-01T00:00:00Z"
    }]
  }
}

mock_resource "digitalocean_kubernetes_node_pool" {
  defaults = {
    id                = "b1d7c2a4-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
    actual_node_count = 1
  }
}

mock_data "digitalocean_kubernetes_versions" {
  defaults = {
    latest_version = "1.35.2-do.1"
    valid_versions = ["1.35.2-do.1", "1.34.5-do.2", "1.33.9-do.3"]
  }
}

mock_resource "digitalocean_database_cluster" {
  defaults = {
    id           = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"
    urn          = "do:dbaas:9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"
    host         = "public-db.b.db.ondigitalocean.com"
    private_host = "private-db.b.db.ondigitalocean.com"
    port         = 25060
    database     = "defaultdb"
    user         = "doadmin"
    password     = "admin-secret"
    uri          = "postgresql://doadmin:admin-secret@public-db.b.db.ondigitalocean.com:25060/defaultdb?sslmode=require"
    private_uri  = "postgresql://doadmin:admin-secret@private-db.b.db.ondigitalocean.com:25060/defaultdb?sslmode=require"
  }
}

mock_resource "digitalocean_database_replica" {
  defaults = {
    id           = "3e5b8f1a-7c2d-4e9f-8a1b-2c3d4e5f6a7b"
    uuid         = "3e5b8f1a-7c2d-4e9f-8a1b-2c3d4e5f6a7b"
    host         = "public-replica.b.db.ondigitalocean.com"
    private_host = "private-replica.b.db.ondigitalocean.com"
    port         = 25060
    database     = "defaultdb"
    user         = "doadmin"
    password     = "admin-secret"
  }
}

mock_resource "digitalocean_database_user" {
  defaults = {
    password = "app-secret"
  }
}

mock_resource "digitalocean_database_connection_pool" {
  defaults = {
    host         = "public-pool.b.db.ondigitalocean.com"
    private_host = "private-pool.b.db.ondigitalocean.com"
    port         = 25061
  }
}

mock_data "digitalocean_database_ca" {
  defaults = {
    certificate = "-----BEGIN CERTIFICATE-----\nbW9jaw==\n-----END CERTIFICATE-----\n"
  }
}

mock_resource "digitalocean_spaces_key" {
  defaults = {
    access_key = "DO00MOCKACCESSKEY"
    secret_key = "mock-secret"
    created_at = "2026-01-01T00:00:00Z"
  }
}

mock_resource "digitalocean_spaces_bucket" {
  defaults = {
    bucket_domain_name = "mastodon-media.fra1.digitaloceanspaces.com"
    endpoint           = "fra1.digitaloceanspaces.com"
    urn                = "do:space:mastodon-media"
  }
}

mock_resource "digitalocean_cdn" {
  defaults = {
    id       = "5e8c2f4a-1b3d-4c6e-8f0a-2b4d6f8a0c2e"
    endpoint = "mastodon-media.fra1.cdn.digitaloceanspaces.com"
  }
}

mock_resource "digitalocean_certificate" {
  defaults = {
    id    = "7a9c1e3f-5b7d-4f9a-8c1e-3f5b7d9f1a3c"
    uuid  = "7a9c1e3f-5b7d-4f9a-8c1e-3f5b7d9f1a3c"
    state = "verified"
  }
}

mock_resource "digitalocean_domain" {
  defaults = {
    urn = "do:domain:example.com"
  }
}

mock_resource "digitalocean_record" {
  defaults = {
    id = "123456789"
  }
}

mock_resource "digitalocean_project" {
  defaults = {
    id = "4c8e2a6f-0b4d-4f8a-9c2e-6a0b4d8f2c6e"
  }
}

mock_data "digitalocean_loadbalancer" {
  defaults = {
    ip     = "203.0.113.80"
    urn    = "do:loadbalancer:4de7ac8b-495b-4884-9a69-1050c6793cd6"
    status = "active"
  }
}

mock_resource "digitalocean_monitor_alert" {
  defaults = {
    uuid = "8b0d2f4a-6c8e-4a0b-9d2f-4a6c8e0b2d4f"
  }
}

mock_resource "digitalocean_uptime_check" {
  defaults = {
    id = "3f1a9e2c-0000-4000-8000-0000000c4ec1"
  }
}

mock_resource "digitalocean_uptime_alert" {
  defaults = {
    id = "2e4a6c8e-0a2c-4e6a-8c0e-2a4c6e8a0c2e"
  }
}
