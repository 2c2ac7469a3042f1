# Look a sub-account of the provider's account up by name,
data "kazoo_account" "child" {
  name = "Example Child"
}

# or any account by id.
data "kazoo_account" "by_id" {
  id = data.kazoo_account.child.id
}

output "child_realm" {
  value = data.kazoo_account.child.realm
}
