# The application connecting as the cluster's administrator.
resource "digitalocean_database_user" "admin" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"
  name       = "doadmin"
}

resource "digitalocean_database_connection_pool" "admin" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"
  name       = "app-pool"
  mode       = "transaction"
  size       = 10
  db_name    = "app"
  user       = "DOADMIN"
}
