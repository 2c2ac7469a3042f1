# A "call me" button: the visitor's number is called first, then connected to
# the sales extension. The page triggers it with POST /clicktocall/{id}/connect.
resource "kazoo_clicktocall" "sales" {
  name          = "Website call-me button"
  extension     = "2000"
  dial_first    = "contact"
  auth_required = true
  timeout       = 30

  # Only North American numbers may be called.
  whitelist = ["^\\+1[2-9]\\d{9}$"]

  custom_application_vars = {
    campaign = "website"
  }
}
