# A customer account under the provider's account.
resource "kazoo_account" "acme" {
  name     = "Acme Corp"
  realm    = "acme.sip.example.com"
  timezone = "America/New_York"
  language = "en-us"

  caller_id = {
    external = {
      name   = "Acme Corp"
      number = "+12025550100"
    }
  }
}

# A department nested under it.
resource "kazoo_account" "acme_support" {
  parent_id = kazoo_account.acme.id
  name      = "Acme Support"
  realm     = "support.acme.sip.example.com"
}
