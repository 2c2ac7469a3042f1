# Not shown in the docs: a read through the provider configured above, so that the examples
# test proves the provider block works (Terraform configures no provider that nothing uses).
variable "kazoo_account_id" {
  type = string
}

data "kazoo_account" "self" {
  id = var.kazoo_account_id
}
