variable "group_id" {
  description = "Id of the group to read."
  type        = string
  default     = null
}

data "kazoo_group" "night" {
  # A group is read by id; here the one the fixture made.
  id = coalesce(var.group_id, kazoo_group.fixture.id)
}

output "night_members" {
  value = keys(data.kazoo_group.night.endpoints)
}
