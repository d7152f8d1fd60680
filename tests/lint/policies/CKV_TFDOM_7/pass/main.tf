# Only addresses and names in ConfigMaps; the password comes from a Secret-backed variable in the pod.
locals {
  secret_name = "app-credentials"
  env         = { DB_HOST = "db.internal", RAILS_ENV = "production" }
}

resource "kubernetes_config_map_v1" "env" {
  metadata {
    name = "app-env"
  }

  data = local.env
}

resource "helm_release" "app" {
  name  = "app"
  chart = "./chart"
  values = [yamlencode({
    existingSecret = local.secret_name
    env            = { REDIS_URL = "rediss://default:$(REDIS_PASSWORD)@cache.internal:25061" }
  })]
}
