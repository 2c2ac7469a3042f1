resource "kazoo_device" "fixture" {
  name = "Reception phone"
  sip  = { username = "reception" }
}
