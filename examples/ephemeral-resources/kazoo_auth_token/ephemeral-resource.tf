# The provider's own login, handed to a second provider configuration without the token ever
# reaching the plan or the state.
ephemeral "kazoo_auth_token" "login" {}

provider "kazoo" {
  alias      = "with_token"
  auth_token = ephemeral.kazoo_auth_token.login.token
  account_id = ephemeral.kazoo_auth_token.login.account_id
}

data "kazoo_account" "mine" {
  provider = kazoo.with_token
  id       = var.kazoo_account_id
}

variable "kazoo_account_id" {
  description = "The id of the account the provider logs in to"
  type        = string
}
