# During a call, "#" starts a feature code; wait at most 2 seconds between digits.
resource "kazoo_metaflows" "features" {
  binding_digit = "#"
  digit_timeout = 2000
  listen_on     = "self"
}
