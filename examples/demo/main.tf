# The demo: a small company on KAZOO, as a reseller would set it up for a customer.
#
#   Acme Widgets (a sub-account of the provider's account)
#   ├── users Alice (ext. 1001) and Bob (ext. 1002), each with a desk phone and a voicemail box
#   ├── the "Sales" ring group (both users)
#   └── callflows: 1001 and 1002 ring the user then fall back to their voicemail,
#       2000 rings the sales group, and the main number +1 415 555 0100 rings the sales group
#       and then leaves a message in the sales voicemail box.
#
# The provider is configured from KAZOO_URL and KAZOO_API_KEY (scripts/demo.sh sets them for
# the simulator it starts).

terraform {
  required_providers {
    kazoo = {
      source = "kazoo-community/kazoo"
    }
  }
}

provider "kazoo" {}

variable "sip_password" {
  description = "SIP password given to the demo's desk phones."
  type        = string
  sensitive   = true
  default     = "demo-Sip-Passw0rd"
}

variable "vmbox_pin" {
  description = "PIN of the demo's voicemail boxes."
  type        = string
  sensitive   = true
  default     = "731946"
}

variable "user_password" {
  description = "Password the demo's users log in to KAZOO with."
  type        = string
  sensitive   = true
  default     = "demo-User-Passw0rd"
}

locals {
  people = {
    alice = { first_name = "Alice", last_name = "Liddell", extension = "1001" }
    bob   = { first_name = "Bob", last_name = "Marley", extension = "1002" }
  }
}

resource "kazoo_account" "acme" {
  name     = "Acme Widgets"
  realm    = "acme-widgets.sip.example.com"
  timezone = "America/Los_Angeles"
  language = "en-us"
}

resource "kazoo_user" "staff" {
  for_each = local.people

  account_id = kazoo_account.acme.id
  first_name = each.value.first_name
  last_name  = each.value.last_name
  username   = "${each.key}@acme-widgets.example.com"
  email      = "${each.key}@acme-widgets.example.com"
  timezone   = "America/Los_Angeles"

  # Write-only: sent to KAZOO, never kept in the state or shown in plans. Bump the version to
  # send a new password.
  password_wo         = var.user_password
  password_wo_version = 1

  # No calls to Caribbean numbers (often premium rate) from the staff's own lines.
  call_restriction = {
    caribbean = { action = "deny" }
  }
}

resource "kazoo_device" "desk_phone" {
  for_each = local.people

  account_id  = kazoo_account.acme.id
  name        = "${each.value.first_name}'s desk phone"
  device_type = "sip_device"
  owner_id    = kazoo_user.staff[each.key].id
  sip = {
    username = "${each.key}-desk"
  }
  sip_password_wo         = var.sip_password
  sip_password_wo_version = 1
}

resource "kazoo_vmbox" "personal" {
  for_each = local.people

  account_id = kazoo_account.acme.id
  name       = "${each.value.first_name}'s voicemail"
  mailbox    = each.value.extension
  owner_id   = kazoo_user.staff[each.key].id

  pin_wo         = var.vmbox_pin
  pin_wo_version = 1
}

resource "kazoo_vmbox" "sales" {
  account_id = kazoo_account.acme.id
  name       = "Sales voicemail"
  mailbox    = "2000"
}

resource "kazoo_group" "sales" {
  account_id = kazoo_account.acme.id
  name       = "Sales"
  # Members keyed by user id; the weight orders them when the group rings in turn.
  endpoints = {
    for key, user in kazoo_user.staff : user.id => { type = "user", weight = index(keys(local.people), key) + 1 }
  }
}

# Each extension rings its user for 20 seconds, then goes to the user's voicemail.
resource "kazoo_callflow" "extension" {
  for_each = local.people

  account_id = kazoo_account.acme.id
  name       = "${each.value.first_name} (${each.value.extension})"
  numbers    = [each.value.extension]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.staff[each.key].id, timeout = 20 }
    children = {
      "_" = { module = "voicemail", data = { id = kazoo_vmbox.personal[each.key].id } }
    }
  })
}

# The main number and extension 2000 ring the whole sales group, then take a message.
resource "kazoo_callflow" "main_number" {
  account_id = kazoo_account.acme.id
  name       = "Main number"
  numbers    = ["+14155550100", "2000"]
  flow = jsonencode({
    module = "ring_group"
    data = {
      name      = "Sales"
      strategy  = "simultaneous"
      timeout   = 25
      endpoints = [{ id = kazoo_group.sales.id, endpoint_type = "group" }]
    }
    children = {
      "_" = { module = "voicemail", data = { id = kazoo_vmbox.sales.id } }
    }
  })
}

output "account_id" {
  description = "The demo sub-account."
  value       = kazoo_account.acme.id
}

output "extensions" {
  description = "Extension number => callflow id."
  value = merge(
    { for key, cf in kazoo_callflow.extension : local.people[key].extension => cf.id },
    { "+14155550100" = kazoo_callflow.main_number.id, "2000" = kazoo_callflow.main_number.id },
  )
}
