# Every device that has a MAC address (provisioned desk phones).
data "kazoo_devices" "provisioned" {
  has_key = "mac_address"
}

output "provisioned_devices" {
  value = { for d in data.kazoo_devices.provisioned.items : d.id => d.name }
}
