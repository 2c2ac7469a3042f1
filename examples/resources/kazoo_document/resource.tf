# A multi-factor authentication provider configuration: KAZOO's multi_factor collection has no
# typed resource, so kazoo_document manages the keys named in data and leaves the rest alone.
resource "kazoo_document" "duo" {
  collection = "multi_factor"
  data = jsonencode({
    name          = "Duo for admins"
    provider_name = "duo"
    enabled       = false
    settings = {
      duo_expire = 300
      app_expire = 3600
    }
  })
}

output "duo_document" {
  value = jsondecode(kazoo_document.duo.document)
}
