resource "kazoo_vmbox" "fixture" {
  name    = "Support"
  mailbox = "3000"
}
