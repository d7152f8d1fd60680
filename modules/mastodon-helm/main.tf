# The namespace every other file of the module places its objects in.

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.namespace
    labels = {
      "app.kubernetes.io/part-of" = var.name
    }
  }
}
