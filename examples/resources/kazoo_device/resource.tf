resource "kazoo_user" "bob" {
  first_name = "Bob"
  last_name  = "Builder"
}

resource "kazoo_device" "bob_desk" {
  name        = "Bob's desk phone"
  owner_id    = kazoo_user.bob.id
  device_type = "sip_device"
  mac_address = "00:04:f2:aa:bb:cc"

  # KAZOO returns the SIP password, so it is kept in the state (as a sensitive value). With
  # Terraform 1.11 or later, leave it out and set sip_password_wo (with
  # sip_password_wo_version) instead to keep it out of the state and plans entirely.
  sip = {
    username = "bob-desk"
    password = "use-a-long-random-secret"
  }

  # No international calls from this phone, whatever its user may do.
  call_restriction = {
    international = { action = "deny" }
  }

  media = {
    audio = { codecs = ["PCMU", "PCMA"] }
  }
}
