# Every device of the provider's account, with the whole document of each
# (`terraform query`, or `terraform query -generate-config-out=devices.tf` to write the
# configuration and import blocks that adopt them).
list "kazoo_device" "all" {
  provider         = kazoo
  include_resource = true
}

# Only the devices KAZOO's list filters select: here, those named "Front desk" in a sub-account.
list "kazoo_device" "front_desk" {
  provider = kazoo

  config {
    account_id  = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
    filter_name = "Front desk"
  }
}
