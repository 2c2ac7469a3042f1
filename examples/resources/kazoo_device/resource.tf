resource "kazoo_user" "bob" {
  first_name = "Bob"
  last_name  = "Builder"
}

resource "kazoo_device" "bob_desk" {
  name        = "Bob's desk phone"
  owner_id    = kazoo_user.bob.id
  device_type = "sip_device"
  mac_address = "00:04:f2:aa:bb:cc"

  sip = {
    username = "bob-desk"
    password = "use-a-long-random-secret"
  }

  media = {
    audio = { codecs = ["PCMU", "PCMA"] }
  }
}
