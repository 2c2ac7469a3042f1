variable "alice_password" {
  description = "Alice's initial password."
  type        = string
  sensitive   = true
  default     = "Change-Me-2024"
}

resource "kazoo_user" "alice" {
  first_name = "Alice"
  last_name  = "Liddell"
  username   = "alice"
  email      = "alice@example.com"
  priv_level = "admin"

  # KAZOO never returns it. With Terraform 1.11 or later, use password_wo (with
  # password_wo_version) instead to keep it out of the state as well.
  password = var.alice_password

  caller_id = {
    internal = { name = "Alice", number = "1001" }
  }

  call_forward = {
    enabled = true
    number  = "+12025550123"
  }
}
