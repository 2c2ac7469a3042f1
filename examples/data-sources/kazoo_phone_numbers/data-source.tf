# The numbers of the account that are in service.
data "kazoo_phone_numbers" "in_service" {
  filters = { state = "in_service" }
}

output "in_service_numbers" {
  value = data.kazoo_phone_numbers.in_service.ids
}
