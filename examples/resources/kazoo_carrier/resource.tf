variable "carrier_trunk_password" {
  type      = string
  sensitive = true
  default   = "change-me-trunk"
}

# The account's own route to a SIP provider: North American numbers go out
# through two gateways, tried in order.
resource "kazoo_carrier" "example_telecom" {
  name             = "Example Telecom"
  weight_cost      = 40
  rules            = ["^\\+1(\\d{10})$"]
  gateway_strategy = "sequential"

  gateways = [
    {
      server   = "sip1.carrier.example.com"
      realm    = "carrier.example.com"
      username = "acme-corp"
      # Kept in the state as a sensitive value. With Terraform 1.11 or later,
      # leave it out and set password_wo (with password_wo_version, bumped to
      # send a new one) in the gateway instead to keep it out of the state and
      # plans entirely; the other gateways keep their passwords either way.
      password      = var.carrier_trunk_password
      invite_format = "e164"
    },
    {
      server        = "sip2.carrier.example.com"
      realm         = "carrier.example.com"
      username      = "acme-corp"
      password      = var.carrier_trunk_password
      invite_format = "e164"
    },
  ]

  # Toll-free calls prefer this carrier more than other calls do.
  classifiers = {
    tollfree_us = { weight_cost = 20 }
  }
}
