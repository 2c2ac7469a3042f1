resource "kazoo_user" "host" {
  first_name = "Helen"
  last_name  = "Host"
}

# Callers dial 3100, then enter a PIN: 1234 joins muted as a member,
# 9876 joins as a moderator, and the conference waits for a moderator.
resource "kazoo_conference" "all_hands" {
  name               = "All hands"
  owner_id           = kazoo_user.host.id
  conference_numbers = ["3100"]
  wait_for_moderator = true
  play_name          = true

  member = {
    pins       = ["1234"]
    join_muted = true
  }
  moderator = {
    pins = ["9876"]
  }
  profile = {
    max_members = 50
  }
}

resource "kazoo_callflow" "all_hands" {
  name    = "All hands conference"
  numbers = ["3100"]

  flow = jsonencode({
    module = "conference"
    data   = { id = kazoo_conference.all_hands.id }
  })
}
