resource "kazoo_group" "fixture" {
  name      = "Night shift"
  endpoints = {}
}
