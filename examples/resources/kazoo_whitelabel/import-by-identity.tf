# Terraform 1.12 and later: import by the resource identity instead of an import id.
# Logo and icon are not read back: keep logo_file and icon_file in the configuration, and the
# apply that imports uploads them.
import {
  to = kazoo_whitelabel.brand
  identity = {
    account_id = "3b1c7f2a9d8e4c6b8a0f1e2d3c4b5a69"
  }
}
