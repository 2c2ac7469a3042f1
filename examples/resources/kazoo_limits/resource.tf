# Two inbound and two outbound trunks, at most 20 calls at once, no per-minute calls.
resource "kazoo_limits" "office" {
  inbound_trunks  = 2
  outbound_trunks = 2
  calls           = 20
  allow_prepay    = false
}
