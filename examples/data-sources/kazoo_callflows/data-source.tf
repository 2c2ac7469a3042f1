data "kazoo_callflows" "all" {}

output "callflow_names" {
  value = [for c in data.kazoo_callflows.all.items : c.name]
}
