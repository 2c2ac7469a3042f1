# Every call that ends is posted as JSON to the CRM, tagged with where it came from.
resource "kazoo_webhook" "call_events" {
  name      = "CRM call log"
  hook      = "channel_destroy"
  uri       = "https://crm.example.com/hooks/kazoo"
  http_verb = "post"
  format    = "json"
  retries   = 3

  custom_data = {
    source = "kazoo"
    tenant = "example-corp"
  }
}
