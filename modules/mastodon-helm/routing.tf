# Routing: Traefik as the Ingress controller behind one DigitalOcean load balancer, cert-manager with an ACME
# ClusterIssuer, and a small local chart for the custom resources (kubernetes_manifest would need a live API
# server and the CRDs at plan time, which do not exist in a one-apply install).

locals {
  edge_namespaces = {
    traefik      = "traefik"
    cert_manager = "cert-manager"
  }

  traefik_replicas  = var.mastodon.sizing.preset == "large" ? 2 : 1
  proxy_trusted_ips = join(",", var.trusted_proxy_cidrs)

  # The ingress controller and cert-manager run on the default pool, away from the Mastodon role pools.
  edge_placement = {
    nodeSelector = local.placement.default.nodeSelector
    tolerations  = local.placement.default.tolerations
  }

  traefik_values = {
    deployment   = { replicas = local.traefik_replicas }
    nodeSelector = local.edge_placement.nodeSelector
    tolerations  = local.edge_placement.tolerations
    ingressClass = {
      enabled        = true
      isDefaultClass = false
      name           = "traefik"
    }
    providers = {
      kubernetesCRD = { enabled = true }
      kubernetesIngress = {
        enabled = true
        # Ingress status then carries the load balancer address, which cert-manager and tools read.
        publishedService = { enabled = true }
      }
    }
    service = {
      annotations = {
        "service.beta.kubernetes.io/do-loadbalancer-name" = "${var.name}-lb"
        # Real client IPs reach Traefik only through PROXY protocol on a DigitalOcean TCP load balancer.
        "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol" = "true"
        # With PROXY protocol on, pods that call the public address (cert-manager's HTTP-01 self-check) would
        # be short-circuited by kube-proxy and send no PROXY header; a hostname instead of an IP in the
        # Service status makes that traffic go through the load balancer (kubernetes/ingress-nginx#3996,
        # cert-manager/cert-manager#466).
        "service.beta.kubernetes.io/do-loadbalancer-hostname" = local.web_host
      }
    }
    # CLI flags rather than chart-version-specific values keys: they mean the same in every Traefik v3 chart.
    additionalArguments = [
      "--entryPoints.web.proxyProtocol.trustedIPs=${local.proxy_trusted_ips}",
      "--entryPoints.websecure.proxyProtocol.trustedIPs=${local.proxy_trusted_ips}",
      "--entryPoints.web.forwardedHeaders.trustedIPs=${local.proxy_trusted_ips}",
      "--entryPoints.websecure.forwardedHeaders.trustedIPs=${local.proxy_trusted_ips}",
      "--entryPoints.web.http.redirections.entryPoint.to=websecure",
      "--entryPoints.web.http.redirections.entryPoint.scheme=https",
      "--entryPoints.web.http.redirections.entryPoint.permanent=true",
      # Lowest priority: ACME HTTP-01 solver routes (more specific, on every entrypoint) still answer on port
      # 80, while the Mastodon Ingress is bound to websecure only, so everything else on port 80 redirects.
      "--entryPoints.web.http.redirections.entryPoint.priority=1",
    ]
  }

  # The controller's placement is top-level; its webhook, CA injector and install check each have their own.
  cert_manager_values = merge(local.edge_placement, {
    for component in ["webhook", "cainjector", "startupapicheck"] : component => local.edge_placement
    }, {
    crds = {
      enabled = true
      # Deleting the release must not delete every Certificate in the cluster with the CRDs.
      keep = true
    }
  })

  edge_values = {
    clusterIssuer = {
      name   = local.issuer_name
      email  = local.acme_email
      server = var.mastodon.acme_server
      solver = var.dns01_digitalocean == null ? {
        type         = "http01"
        ingressClass = "traefik"
        tokenSecret  = ""
        } : {
        type         = "dns01-digitalocean"
        ingressClass = ""
        tokenSecret  = local.secret_names.digitalocean_dns
      }
    }
    bodyLimit = {
      name                = local.body_limit_name
      maxRequestBodyBytes = var.mastodon.max_request_body_mb * 1024 * 1024
    }
  }
}

resource "kubernetes_namespace_v1" "edge" {
  for_each = local.edge_namespaces

  metadata {
    name = each.value
  }
}

resource "helm_release" "traefik" {
  name       = "traefik"
  namespace  = kubernetes_namespace_v1.edge["traefik"].metadata[0].name
  repository = var.mastodon.charts.traefik.repository
  chart      = var.mastodon.charts.traefik.chart
  version    = var.mastodon.charts.traefik.version
  values     = [yamlencode(local.traefik_values)]
  # Helm waits for the LoadBalancer Service to get its address, which `load_balancer_ip` then reads.
  wait    = true
  timeout = var.timeouts.release_seconds
}

resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  namespace  = kubernetes_namespace_v1.edge["cert_manager"].metadata[0].name
  repository = var.mastodon.charts.cert_manager.repository
  chart      = var.mastodon.charts.cert_manager.chart
  version    = var.mastodon.charts.cert_manager.version
  values     = [yamlencode(local.cert_manager_values)]
  # The webhook must answer before the ClusterIssuer can be created.
  wait    = true
  timeout = var.timeouts.release_seconds
}

resource "helm_release" "edge" {
  name      = "${var.name}-edge"
  namespace = kubernetes_namespace_v1.this.metadata[0].name
  chart     = "${path.module}/charts/mastodon-edge"
  values    = [yamlencode(local.edge_values)]
  timeout   = var.timeouts.release_seconds

  # The ClusterIssuer and Middleware kinds exist only once both controllers (and their CRDs) are installed.
  depends_on = [helm_release.traefik, helm_release.cert_manager, kubernetes_secret_v1.this]
}

# The Traefik Service as the cloud controller leaves it: the load balancer's ID in an annotation, its address in
# the status. Read as kubernetes_resource because its `object` is computed: the annotations of
# kubernetes_service_v1 are a plain optional argument, so when the read waits for the release (first apply)
# the plan takes them as known and null, and outputs derived from them stayed null until a second apply.
data "kubernetes_resource" "traefik_service" {
  api_version = "v1"
  kind        = "Service"

  metadata {
    name      = helm_release.traefik.name
    namespace = helm_release.traefik.namespace
  }

  # Helm waits for the Service's status (wait = true above); the cloud controller annotates it before that.
  depends_on = [helm_release.traefik]
}

locals {
  traefik_service       = data.kubernetes_resource.traefik_service.object
  load_balancer_id      = try(local.traefik_service.metadata.annotations["kubernetes.digitalocean.com/load-balancer-id"], null)
  load_balancer_ingress = try(local.traefik_service.status.loadBalancer.ingress, null)
  load_balancer_ips     = local.load_balancer_ingress == null ? [] : compact([for i in local.load_balancer_ingress : try(i.ip, null)])
}
