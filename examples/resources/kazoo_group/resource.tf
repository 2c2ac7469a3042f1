resource "kazoo_user" "dave" {
  first_name = "Dave"
  last_name  = "Seller"
}

resource "kazoo_device" "sales_phone" {
  name = "Sales floor phone"
}

resource "kazoo_group" "sales" {
  name = "Sales"

  # Members, keyed by user or device id; weight orders them when the group rings in turn.
  endpoints = {
    (kazoo_user.dave.id)          = { type = "user", weight = 1 }
    (kazoo_device.sales_phone.id) = { type = "device", weight = 2 }
  }
}
