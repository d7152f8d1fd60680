# A generated password reaches a ConfigMap through a local, and a chart gets a URL with a password in it.
resource "random_password" "db" {
  length = 32
}

locals {
  database_url = "postgres://app:${random_password.db.result}@db.internal:25060/app"
  env          = { DATABASE_URL = local.database_url, RAILS_ENV = "production" }
}

resource "kubernetes_config_map_v1" "env" {
  metadata {
    name = "app-env"
  }

  data = local.env
}

resource "helm_release" "app" {
  name   = "app"
  chart  = "./chart"
  values = [yamlencode({ env = { REDIS_URL = "rediss://default:hunter2@cache.internal:25061" } })]
}
