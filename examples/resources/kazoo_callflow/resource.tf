resource "kazoo_user" "carol" {
  first_name = "Carol"
  last_name  = "Singer"
}

resource "kazoo_vmbox" "carol" {
  name     = "Carol's voicemail"
  mailbox  = "1003"
  owner_id = kazoo_user.carol.id
}

# Extension 1003 and a direct number ring Carol for 20 seconds, then go to her voicemail.
resource "kazoo_callflow" "carol" {
  name    = "Carol"
  numbers = ["1003", "+12025550103"]

  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.carol.id, timeout = 20 }
    children = {
      "_" = {
        module = "voicemail"
        data   = { id = kazoo_vmbox.carol.id }
      }
    }
  })
}
