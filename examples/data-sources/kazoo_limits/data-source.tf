# The limits of the provider's account (set account_id for another one).
data "kazoo_limits" "mine" {}

output "trunks" {
  value = {
    inbound  = data.kazoo_limits.mine.inbound_trunks
    outbound = data.kazoo_limits.mine.outbound_trunks
  }
}
