resource "kazoo_phone_number" "main" {
  number = "+14155550100"

  # Caller name sent with outbound calls from this number.
  cnam = {
    display_name = "Example Dental"
  }

  # Where emergency services are sent for calls from this number.
  e911 = {
    caller_name    = "Example Dental"
    street_address = "100 Main St"
    locality       = "Springfield"
    region         = "IL"
    postal_code    = "62701"
  }
}
