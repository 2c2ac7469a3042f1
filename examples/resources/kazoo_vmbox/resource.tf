resource "kazoo_vmbox" "sales" {
  name                   = "Sales"
  mailbox                = "2000"
  pin                    = "4321" # or pin_wo with pin_wo_version (Terraform 1.11+), kept out of the state
  require_pin            = true
  transcribe             = true
  notify_email_addresses = ["sales@example.com"]

  # Keys this resource does not model, merged into the document.
  extra_json = jsonencode({
    crm_queue = "inbound-sales"
  })
}
