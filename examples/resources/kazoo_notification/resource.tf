# Voicemail-to-email messages of this account come from the office's address, with a subject
# that names the caller, and a copy goes to the archive.
resource "kazoo_notification" "voicemail" {
  template_id = "voicemail_to_email"
  from        = "voicemail@example-dental.com"
  reply_to    = "front.desk@example-dental.com"
  subject     = "New voicemail from {{caller_id.name}} ({{caller_id.number}})"
  to = {
    type = "original"
  }
  bcc = {
    type            = "specified"
    email_addresses = ["archive@example-dental.com"]
  }
}
