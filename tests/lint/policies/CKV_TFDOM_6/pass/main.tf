# The application's own user and a pool bound to it.
resource "digitalocean_database_user" "app" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"
  name       = "app"
}

resource "digitalocean_database_connection_pool" "app" {
  cluster_id = "c0ffee00-0000-4000-8000-000000000003"
  name       = "app-pool"
  mode       = "transaction"
  size       = 10
  db_name    = "app"
  user       = digitalocean_database_user.app.name
}
