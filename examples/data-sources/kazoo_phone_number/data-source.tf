data "kazoo_phone_number" "main" {
  number = "+14155550101"
}

output "main_number_state" {
  value = data.kazoo_phone_number.main.state
}
