resource "kazoo_user" "dave" {
  first_name = "Dave"
  last_name  = "Seller"
}

resource "kazoo_device" "sales_phone" {
  name = "Sales floor phone"
}

resource "kazoo_group" "sales" {
  name = "Sales"

  # Members, keyed by user or device id.
  endpoints = jsonencode({
    (kazoo_user.dave.id)          = { type = "user" }
    (kazoo_device.sales_phone.id) = { type = "device" }
  })
}
