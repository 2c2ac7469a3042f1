resource "kazoo_vmbox" "sales" {
  name                   = "Sales"
  mailbox                = "2000"
  pin                    = "4321"
  require_pin            = true
  transcribe             = true
  notify_email_addresses = ["sales@example.com"]

  # Keys this resource does not model, merged into the document.
  extra_json = jsonencode({
    crm_queue = "inbound-sales"
  })
}
