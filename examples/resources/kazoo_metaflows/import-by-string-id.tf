# Terraform 1.5 and later: import by the import id, "<account_id>"
# (the same form `terraform import` takes).
import {
  to = kazoo_metaflows.features
  id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
}
