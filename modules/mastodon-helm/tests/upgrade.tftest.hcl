# An upgrade: install one Mastodon version, then plan the next. The migration Jobs are named after the image tag,
# so the plan creates them again under new names (Kubernetes runs a Job once); every generated key stays.
# Kubernetes and Helm are mocked; random and tls run for real, so the keys are real values carried in state.

mock_provider "kubernetes" {
  source = "../../tests/mocks/kubernetes"
}

mock_provider "helm" {}

run "install" {
  command = apply

  variables {
    mastodon = { namespace = "mastodon", version = "v4.6.2", acme_email = "admin@social.example.org" }
    admin    = { username = "owner", email = "admin@social.example.org" }
  }

  assert {
    condition     = endswith(module.jobs_before_release["db-prepare"].job.metadata[0].name, "-db-prepare-v4-6-2") && endswith(module.jobs_after_release["db-migrate"].job.metadata[0].name, "-db-migrate-v4-6-2")
    error_message = "the install's migration Jobs must carry its image tag"
  }
}

run "upgrade_plan" {
  command = plan

  variables {
    mastodon = { namespace = "mastodon", version = "v4.6.3", acme_email = "admin@social.example.org" }
    admin    = { username = "owner", email = "admin@social.example.org" }
    # What the install left, carried as a variable: OpenTofu evaluates `run.<name>` only in variables.
    install = {
      job_names             = run.install.job_names
      generated_keys_digest = run.install.generated_keys_digest
      vapid_public_key      = run.install.vapid_public_key
    }
  }

  assert {
    condition     = endswith(module.jobs_before_release["db-prepare"].job.metadata[0].name, "-db-prepare-v4-6-3") && endswith(module.jobs_after_release["db-migrate"].job.metadata[0].name, "-db-migrate-v4-6-3")
    error_message = "the upgrade must run db:prepare and db:migrate again, as new Jobs named after the new tag"
  }
  assert {
    condition     = length(setsubtract(toset(output.job_names), toset(var.install.job_names))) == 2 && length([for n in output.job_names : n if endswith(n, "-create-admin")]) == 1 && [for n in output.job_names : n if endswith(n, "-create-admin")] == [for n in var.install.job_names : n if endswith(n, "-create-admin")]
    error_message = "exactly the two migration Jobs must be new; the create-admin Job keeps its name and does not run again"
  }
  assert {
    condition     = yamldecode(helm_release.mastodon.values[0]).image.tag == "v4.6.3"
    error_message = "the chart must move to the new image tag"
  }
  assert {
    condition     = output.generated_keys_digest == var.install.generated_keys_digest && output.vapid_public_key == var.install.vapid_public_key
    error_message = "an upgrade must keep every generated key (secret_key_base, VAPID, ActiveRecord encryption)"
  }
}
