resource "kazoo_account" "fixture" {
  name = "Example Child"
}
