resource "kazoo_user" "fixture" {
  first_name = "Erin"
  last_name  = "Example"
  username   = "erin"
  password   = "Fixture-Password-1"
}
