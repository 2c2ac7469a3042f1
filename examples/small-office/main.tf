# A small office on KAZOO: a dental practice with a main number answered by an IVR during
# office hours and by an after-hours greeting and voicemail otherwise, a conference bridge, a
# fax line and its own carrier.
#
#   Example Dental (a sub-account of the provider's account)
#   ├── +1 212 555 0142 (main): office hours → IVR "press 1 for the front desk, 2 for the
#   │   conference bridge, 3 to leave a message"; after hours → closed greeting → voicemail
#   ├── +1 212 555 0143 (fax): the office fax box, which also mails received faxes
#   ├── extensions 1001 and 1002 (front desk and the dentist), 3000 the conference bridge
#   └── its own SIP trunk (a carrier) for outbound calls
#
# The provider is configured from the KAZOO_* environment variables.

terraform {
  required_providers {
    kazoo = {
      source = "kazoo-community/kazoo"
    }
  }
}

resource "kazoo_account" "office" {
  name     = "Example Dental"
  realm    = "example-dental.sip.example.com"
  timezone = "America/New_York"
  language = "en-us"
}

# --- Numbers -------------------------------------------------------------------------------

resource "kazoo_phone_number" "main" {
  account_id = kazoo_account.office.id
  number     = "+12125550142"
  cnam       = { display_name = "Example Dental" }
  e911 = {
    caller_name    = "Example Dental"
    street_address = "350 Fifth Avenue"
    locality       = "New York"
    region         = "NY"
    postal_code    = "10118"
  }
}

resource "kazoo_phone_number" "fax" {
  account_id = kazoo_account.office.id
  number     = "+12125550143"
}

# --- People --------------------------------------------------------------------------------

resource "kazoo_user" "front_desk" {
  account_id = kazoo_account.office.id
  first_name = "Front"
  last_name  = "Desk"
  email      = "front.desk@example-dental.com"
}

resource "kazoo_user" "dentist" {
  account_id = kazoo_account.office.id
  first_name = "Dana"
  last_name  = "Molar"
  email      = "dana.molar@example-dental.com"
}

resource "kazoo_vmbox" "after_hours" {
  account_id             = kazoo_account.office.id
  name                   = "After-hours messages"
  mailbox                = "3001"
  notify_email_addresses = ["front.desk@example-dental.com"]
}

resource "kazoo_group" "everyone" {
  account_id = kazoo_account.office.id
  name       = "Everyone"
  endpoints = {
    (kazoo_user.front_desk.id) = { type = "user" }
    (kazoo_user.dentist.id)    = { type = "user" }
  }
}

# --- Greetings (text to speech) ------------------------------------------------------------

resource "kazoo_media" "ivr_greeting" {
  account_id   = kazoo_account.office.id
  name         = "IVR greeting"
  media_source = "tts"
  tts = {
    text  = "Thank you for calling Example Dental. For the front desk, press 1. To join the conference bridge, press 2. To leave a message, press 3."
    voice = "female/en-US"
  }
}

resource "kazoo_media" "closed" {
  account_id   = kazoo_account.office.id
  name         = "After-hours greeting"
  media_source = "tts"
  tts = {
    text  = "Example Dental is closed. Our hours are Monday to Friday, 8 AM to 5 PM. Please leave a message after the tone."
    voice = "female/en-US"
  }
}

# --- Office hours and the IVR --------------------------------------------------------------

resource "kazoo_temporal_rule" "office_hours" {
  account_id        = kazoo_account.office.id
  name              = "Office hours"
  cycle             = "weekly"
  wdays             = ["monday", "tuesday", "wednesday", "thursday", "friday"]
  time_window_start = 8 * 3600
  time_window_stop  = 17 * 3600
}

resource "kazoo_menu" "main" {
  account_id = kazoo_account.office.id
  name       = "Main menu"
  retries    = 2
  timeout    = 8000
  media = {
    greeting = kazoo_media.ivr_greeting.id
  }
}

resource "kazoo_conference" "bridge" {
  account_id         = kazoo_account.office.id
  name               = "Team bridge"
  conference_numbers = ["3000"]
  member = {
    pins = ["4242"]
  }
}

resource "kazoo_faxbox" "office" {
  account_id   = kazoo_account.office.id
  name         = "Office fax"
  caller_id    = kazoo_phone_number.fax.number
  caller_name  = "Example Dental"
  fax_header   = "Example Dental"
  fax_identity = "+1 212 555 0143"
  notifications = {
    inbound = {
      email = { send_to = jsonencode(["front.desk@example-dental.com"]) }
    }
  }
}

# --- Outbound calls ------------------------------------------------------------------------

variable "trunk_password" {
  description = "Password of the office's SIP trunk at its carrier."
  type        = string
  sensitive   = true
  default     = "change-me-trunk"
}

# The office's own SIP trunk: North American numbers go out through it.
resource "kazoo_carrier" "trunk" {
  account_id  = kazoo_account.office.id
  name        = "Example Telecom trunk"
  weight_cost = 50
  rules       = ["^\\+1(\\d{10})$"]
  gateways = [
    {
      server        = "sip.carrier.example.com"
      realm         = "carrier.example.com"
      username      = "example-dental"
      password      = var.trunk_password
      invite_format = "e164"
    },
  ]
}

# --- Callflows -----------------------------------------------------------------------------

# The main number: during office hours the IVR, otherwise the closed greeting then voicemail.
resource "kazoo_callflow" "main" {
  account_id = kazoo_account.office.id
  name       = "Main number"
  numbers    = [kazoo_phone_number.main.number]
  flow = jsonencode({
    module = "temporal_route"
    data   = { rules = [kazoo_temporal_rule.office_hours.id] }
    children = {
      (kazoo_temporal_rule.office_hours.id) = {
        module = "menu"
        data   = { id = kazoo_menu.main.id }
        children = {
          "1" = { module = "user", data = { id = kazoo_user.front_desk.id } }
          "2" = { module = "conference", data = { id = kazoo_conference.bridge.id } }
          "3" = { module = "voicemail", data = { id = kazoo_vmbox.after_hours.id } }
          "_" = { module = "ring_group", data = { endpoints = [{ id = kazoo_group.everyone.id, endpoint_type = "group" }] } }
        }
      }
      "_" = {
        module   = "play"
        data     = { id = kazoo_media.closed.id }
        children = { "_" = { module = "voicemail", data = { id = kazoo_vmbox.after_hours.id } } }
      }
    }
  })
}

resource "kazoo_callflow" "front_desk" {
  account_id = kazoo_account.office.id
  name       = "Front desk (1001)"
  numbers    = ["1001"]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.front_desk.id, timeout = 20 }
  })
}

resource "kazoo_callflow" "dentist" {
  account_id = kazoo_account.office.id
  name       = "Dana Molar (1002)"
  numbers    = ["1002"]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.dentist.id, timeout = 20 }
  })
}

# Anything else dialled from the office goes out through its own carrier.
resource "kazoo_callflow" "outbound" {
  account_id = kazoo_account.office.id
  name       = "Outbound calls"
  patterns   = ["^\\+?1?\\d{10}$"]
  flow = jsonencode({
    module = "resources"
    data   = { use_local_resources = true }
  })
  depends_on = [kazoo_carrier.trunk]
}

resource "kazoo_callflow" "bridge" {
  account_id = kazoo_account.office.id
  name       = "Conference bridge"
  numbers    = ["3000"]
  flow = jsonencode({
    module = "conference"
    data   = { id = kazoo_conference.bridge.id }
  })
}

resource "kazoo_callflow" "fax" {
  account_id = kazoo_account.office.id
  name       = "Fax line"
  numbers    = [kazoo_phone_number.fax.number]
  flow = jsonencode({
    module = "faxbox"
    data   = { id = kazoo_faxbox.office.id }
  })
}

output "office_account_id" {
  value = kazoo_account.office.id
}

output "fax_to_email_address" {
  description = "Mail sent from an allowed sender to this address is faxed out."
  value       = kazoo_faxbox.office.smtp_email_address
}
