data "kazoo_vmbox" "support" {
  mailbox = "3000"
}

output "support_box" {
  value = data.kazoo_vmbox.support.id
}
