# Monday to Friday, 9:00 to 17:00 in the account's time zone.
resource "kazoo_temporal_rule" "office_hours" {
  name              = "Office hours"
  cycle             = "weekly"
  wdays             = ["monday", "tuesday", "wednesday", "thursday", "friday"]
  time_window_start = 9 * 3600
  time_window_stop  = 17 * 3600
}

resource "kazoo_user" "reception" {
  first_name = "Front"
  last_name  = "Desk"
}

resource "kazoo_vmbox" "after_hours" {
  name    = "After-hours voicemail"
  mailbox = "3001"
}

# During office hours calls ring the front desk; at any other time they go to voicemail.
resource "kazoo_callflow" "main" {
  name    = "Main number"
  numbers = ["+12025550100"]

  flow = jsonencode({
    module = "temporal_route"
    data   = {}
    children = {
      (kazoo_temporal_rule.office_hours.id) = { module = "user", data = { id = kazoo_user.reception.id } }
      "_"                                   = { module = "voicemail", data = { id = kazoo_vmbox.after_hours.id } }
    }
  })
}
