# Every device of the provider's account, with the whole document of each
# (`terraform query`, or `terraform query -generate-config-out=devices.tf` to write the
# configuration and import blocks that adopt them).
list "kazoo_device" "all" {
  provider         = kazoo
  include_resource = true
}

# Only the devices KAZOO's list filters select: here the softphones named "Front desk". Set
# account_id to list a sub-account instead of the provider's account.
list "kazoo_device" "front_desk" {
  provider = kazoo

  config {
    filter_name        = "Front desk"
    filter_device_type = "softphone"
  }
}
