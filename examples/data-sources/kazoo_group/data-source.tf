data "kazoo_group" "night" {
  name = "Night shift"
}

output "night_members" {
  value = jsondecode(data.kazoo_group.night.endpoints)
}
