# Any collection, even one without a data source of its own: here the account's temporal rules.
data "kazoo_documents" "rules" {
  collection = "temporal_rules"
}

output "temporal_rule_names" {
  value = [for r in data.kazoo_documents.rules.items : r.name]
}
