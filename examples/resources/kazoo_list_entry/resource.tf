resource "kazoo_list" "blocked" {
  name        = "Blocked callers"
  description = "Numbers refused at the main line"
}

# One number,
resource "kazoo_list_entry" "robocaller" {
  list_id     = kazoo_list.blocked.id
  number      = "+12025550142"
  displayname = "Known robocaller"
}

# and every premium-rate number.
resource "kazoo_list_entry" "premium" {
  list_id     = kazoo_list.blocked.id
  pattern     = "^\\+1900"
  displayname = "Premium-rate numbers"
}
