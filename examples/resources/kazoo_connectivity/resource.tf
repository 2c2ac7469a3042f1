resource "kazoo_phone_number" "office" {
  number = "+14155550150"
}

variable "pbx_trunk_password" {
  type      = string
  sensitive = true
  default   = "change-me-pbx"
}

# The office PBX registers with SIP credentials and receives calls to the
# office number, in E.164 form.
resource "kazoo_connectivity" "office_pbx" {
  name = "Office PBX trunk"

  account = {
    trunks = 4
    caller_id = {
      cid_name   = "Example Corp"
      cid_number = "+14155550150"
    }
  }

  servers = [{
    name = "Office PBX"
    # With Terraform 1.11 or later, leave auth_password out and set
    # auth_password_wo (with auth_password_wo_version) here, beside auth, to
    # keep the password out of the state and plans entirely.
    auth = {
      auth_method   = "password"
      auth_user     = "office-pbx"
      auth_password = var.pbx_trunk_password
    }
    options = {
      inbound_format = "e164"
    }
    dids = {
      (kazoo_phone_number.office.number) = {}
    }
  }]
}
