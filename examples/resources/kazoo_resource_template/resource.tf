# Offered by user interfaces as a starting point when a sub-account adds a carrier:
# the gateways and rules are filled in, the credentials are left to the account.
resource "kazoo_resource_template" "example_telecom" {
  template_name = "Example Telecom (North America)"
  name          = "Example Telecom"
  rules         = ["^\\+1(\\d{10})$"]
  weight_cost   = 40

  gateways = [{
    server        = "sip.carrier.example.com"
    realm         = "carrier.example.com"
    invite_format = "e164"
  }]
}
