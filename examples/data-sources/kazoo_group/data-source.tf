data "kazoo_group" "night" {
  name = "Night shift"
}

output "night_members" {
  value = keys(data.kazoo_group.night.endpoints)
}
