# Find a device by name,
data "kazoo_device" "reception" {
  name = "Reception phone"
}

# or by its SIP username.
data "kazoo_device" "by_sip" {
  sip_username = "reception"
}

output "reception_owner" {
  value = data.kazoo_device.reception.owner_id
}
