resource "kazoo_whitelabel" "brand" {
  company_name      = "Example Telecom"
  domain            = "https://portal.example.com"
  hide_powered      = true
  hide_registration = true

  # Uploaded from local files; editing a file uploads it again.
  # logo_file = "${path.module}/brand/logo.png"
  # icon_file = "${path.module}/brand/favicon.ico"
}
