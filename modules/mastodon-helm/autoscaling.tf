# HorizontalPodAutoscalers for web and streaming, and metrics-server (DOKS ships none) for the resource metrics
# they scale on. The chart has no HPA template; its Deployments start at the minimum replicas.

locals {
  metrics_server_on = local.autoscaling_on && var.mastodon.sizing.autoscaling.metrics_server
  # Deployment names from the chart's templates (deployment-web.yaml, deployment-streaming.yaml).
  autoscaled = {
    web       = "${local.fullname}-web"
    streaming = "${local.fullname}-streaming"
  }
}

resource "helm_release" "metrics_server" {
  count = local.metrics_server_on ? 1 : 0

  name       = "metrics-server"
  namespace  = "kube-system"
  repository = var.mastodon.charts.metrics_server.repository
  chart      = var.mastodon.charts.metrics_server.chart
  version    = var.mastodon.charts.metrics_server.version
  values = [yamlencode({
    # DOKS kubelets are reached on their VPC address.
    args         = ["--kubelet-preferred-address-types=InternalIP"]
    nodeSelector = local.placement.default.nodeSelector
    tolerations  = local.placement.default.tolerations
  })]
  wait    = true
  timeout = var.timeouts.release_seconds
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "this" {
  for_each = local.autoscaling_on ? local.autoscaled : {}

  metadata {
    name      = each.value
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.selector_base, { "app.kubernetes.io/component" = each.key })
  }

  spec {
    min_replicas = local.autoscaling[each.key].min_replicas
    max_replicas = local.autoscaling[each.key].max_replicas

    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = each.value
    }

    # Utilisation is relative to the pods' requests, which every preset sets.
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = local.autoscaling[each.key].cpu_percent
        }
      }
    }

    metric {
      type = "Resource"
      resource {
        name = "memory"
        target {
          type                = "Utilization"
          average_utilization = local.autoscaling[each.key].memory_percent
        }
      }
    }
  }

  # The Deployments come with the release.
  depends_on = [helm_release.mastodon, helm_release.metrics_server]
}
