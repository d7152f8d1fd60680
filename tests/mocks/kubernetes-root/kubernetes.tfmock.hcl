# The Kubernetes provider as the root module's native tests see it (tests/native_root), read like
# tests/mocks/kubernetes. The root's one kubernetes_resource data source is the Traefik Service, answered here.
# The cloud controller annotates the ingress Service with the load balancer's id, and reports a hostname with
# the do-loadbalancer-hostname annotation: the root must read the balancer by that id.
override_data {
  target = module.mastodon.data.kubernetes_resource.traefik_service
  values = {
    object = {
      metadata = { annotations = { "kubernetes.digitalocean.com/load-balancer-id" = "4de7ac8b-495b-4884-9a69-1050c6793cd6" } }
      status   = { loadBalancer = { ingress = [{ hostname = "social.example.com" }] } }
    }
  }
}
