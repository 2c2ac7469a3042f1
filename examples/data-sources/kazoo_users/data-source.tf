# Every user of the provider's account whose last name is "Smith" (KAZOO filters on the server).
data "kazoo_users" "smiths" {
  filters = { last_name = "Smith" }
}

output "smith_user_ids" {
  value = data.kazoo_users.smiths.ids
}
