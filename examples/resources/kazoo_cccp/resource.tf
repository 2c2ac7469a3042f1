resource "kazoo_user" "sam" {
  first_name = "Sam"
  last_name  = "Traveller"
}

# Calls from Sam's mobile to the calling card access number may dial out
# through the account, showing the office's caller ID.
resource "kazoo_cccp" "road_warrior" {
  cid     = "+12025550177"
  user_id = kazoo_user.sam.id
  active  = true
  comment = "Sam's mobile"
}

variable "sam_calling_card_pin" {
  type      = string
  sensitive = true
  default   = "40817263"
}

# From any other phone, Sam enters this PIN instead.
resource "kazoo_cccp" "road_warrior_pin" {
  pin     = var.sam_calling_card_pin
  user_id = kazoo_user.sam.id
  active  = true
  comment = "Sam, from any phone"
}
