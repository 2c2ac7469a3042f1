data "kazoo_user" "erin" {
  username = "erin"
}

output "erin_id" {
  value = data.kazoo_user.erin.id
}
