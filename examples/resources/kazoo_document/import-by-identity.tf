# Terraform 1.12 and later: import by the resource identity instead of an import id.
# All three are required: the collection may itself have slashes ("lists/<list_id>/entries").
import {
  to = kazoo_document.duo
  identity = {
    account_id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
    collection = "multi_factor"
    id         = "8d7f6e5c4b3a29180716f5e4d3c2b1a0"
  }
}
