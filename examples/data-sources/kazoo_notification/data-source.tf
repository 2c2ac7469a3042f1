# The missed-call email as the account sees it: its own version, or the one it inherits.
data "kazoo_notification" "missed_call" {
  template_id = "missed_call"
}

output "missed_call_subject" {
  value = data.kazoo_notification.missed_call.subject
}
