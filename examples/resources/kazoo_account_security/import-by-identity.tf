# Terraform 1.12 and later: import by the resource identity instead of an import id.
import {
  to = kazoo_account_security.auth
  identity = {
    account_id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
  }
}
