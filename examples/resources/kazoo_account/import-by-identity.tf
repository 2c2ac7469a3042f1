# Terraform 1.12 and later: import by the resource identity instead of an import id.
# parent_id may be left out: the provider finds the account among its own account's descendants.
import {
  to = kazoo_account.acme_support
  identity = {
    parent_id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
    id        = "8d7f6e5c4b3a29180716f5e4d3c2b1a0"
  }
}
