# tflint for `./run lint`: its bundled terraform ruleset (no plugin download), every rule of it.
config {
  # Follow calls of local modules so their variables are checked as the caller sets them.
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}

# The root and modules/mastodon-helm declare every provider their child modules use, so a caller sees the
# whole tree's provider sources and version ranges at the module it calls.
rule "terraform_unused_required_providers" {
  enabled = false
}
