resource "kazoo_menu" "main" {
  name                 = "Main menu"
  retries              = 3
  timeout              = 10000 # ms to wait for the first key
  max_extension_length = 4

  media = {
    greeting      = "https://media.example.com/prompts/main-menu.mp3"
    invalid_media = true # KAZOO's own "invalid entry" prompt
  }
}

resource "kazoo_user" "reception" {
  first_name = "Front"
  last_name  = "Desk"
}

resource "kazoo_vmbox" "general" {
  name    = "General voicemail"
  mailbox = "3000"
}

# The main number plays the menu: 1 reaches the front desk, 2 leaves a message,
# and a caller who presses nothing ends up at the front desk too.
resource "kazoo_callflow" "main" {
  name    = "Main number"
  numbers = ["+12025550100"]

  flow = jsonencode({
    module = "menu"
    data   = { id = kazoo_menu.main.id }
    children = {
      "1" = { module = "user", data = { id = kazoo_user.reception.id } }
      "2" = { module = "voicemail", data = { id = kazoo_vmbox.general.id } }
      "_" = { module = "user", data = { id = kazoo_user.reception.id } }
    }
  })
}
