# Which callflow answers this number?
data "kazoo_callflow" "main" {
  number = "+12025550142"
}

output "main_flow" {
  value = jsondecode(data.kazoo_callflow.main.flow)
}
