# Every number of the provider's account, with the whole document of each.
list "kazoo_phone_number" "all" {
  provider         = kazoo
  include_resource = true
}

# One number, found by the number itself (KAZOO filters the listing on the server), for
# `terraform query -generate-config-out=number.tf` to write its configuration and import block.
list "kazoo_phone_number" "main" {
  provider         = kazoo
  include_resource = true

  config {
    filter_number = "+14155550100"
  }
}
