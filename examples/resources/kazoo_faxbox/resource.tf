resource "kazoo_faxbox" "office" {
  name         = "Office fax"
  caller_id    = "+12025550190"
  caller_name  = "Example Corp"
  fax_header   = "Example Corp"
  fax_identity = "+1 202 555 0190"
  retries      = 2

  # Mail from these senders to the box's smtp_email_address is faxed out.
  smtp_permission_list = ["office@example.com"]

  notifications = {
    inbound = {
      email = { send_to = jsonencode(["office@example.com"]) }
    }
    outbound = {
      email = { send_to = jsonencode("office@example.com") }
    }
  }
}

# Faxes sent to the fax number land in the box.
resource "kazoo_callflow" "fax" {
  name    = "Fax line"
  numbers = ["+12025550190"]

  flow = jsonencode({
    module = "faxbox"
    data   = { id = kazoo_faxbox.office.id }
  })
}

output "fax_by_email_address" {
  value = kazoo_faxbox.office.smtp_email_address
}
