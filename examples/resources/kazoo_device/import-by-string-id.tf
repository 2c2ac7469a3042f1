# Terraform 1.5 and later: import by the import id, "<account_id>/<id>"
# (the same form `terraform import` takes).
import {
  to = kazoo_device.bob_desk
  id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69/8d7f6e5c4b3a29180716f5e4d3c2b1a0"
}
