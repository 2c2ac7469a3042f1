resource "kazoo_directory" "staff" {
  name          = "Staff"
  sort_by       = "last_name"
  min_dtmf      = 3
  confirm_match = true
}

# Dialling 411 reaches the directory.
resource "kazoo_callflow" "directory" {
  name    = "Dial by name"
  numbers = ["411"]

  flow = jsonencode({
    module = "directory"
    data   = { id = kazoo_directory.staff.id }
  })
}

resource "kazoo_device" "alice_desk" {
  name = "Alice's desk phone"
}

resource "kazoo_callflow" "alice" {
  name    = "Alice"
  numbers = ["1001"]

  flow = jsonencode({
    module = "device"
    data   = { id = kazoo_device.alice_desk.id }
  })
}

# Alice is listed in the directory; choosing her runs the callflow that rings her desk.
resource "kazoo_user" "alice" {
  first_name = "Alice"
  last_name  = "Archer"
  directories = jsonencode({
    (kazoo_directory.staff.id) = kazoo_callflow.alice.id
  })
}
