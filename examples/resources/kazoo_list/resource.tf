# A match list; its entries are kazoo_list_entry resources.
resource "kazoo_list" "blocked" {
  name        = "Blocked callers"
  description = "Numbers refused at the main line"
}
