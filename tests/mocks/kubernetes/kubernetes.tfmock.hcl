# Shared mock defaults for the Kubernetes provider in every native test (read like tests/mocks/digitalocean).
# The Traefik Service as a cloud controller without the hostname annotation reports it: an IPv4 address. Tests
# of the hostname-only status or of the load balancer's id annotation override it.

mock_data "kubernetes_resource" {
  defaults = {
    object = { status = { loadBalancer = { ingress = [{ ip = "203.0.113.10" }] } } }
  }
}
