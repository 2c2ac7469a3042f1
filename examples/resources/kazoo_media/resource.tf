# A greeting spoken by KAZOO's text to speech.
resource "kazoo_media" "closed" {
  name         = "Office closed"
  media_source = "tts"
  language     = "en-us"
  tts = {
    text  = "Thank you for calling Example Dental. Our office is closed; please leave a message after the tone."
    voice = "female/en-US"
  }
}

# A recorded greeting uploaded from a local file: editing the file uploads it again.
# resource "kazoo_media" "welcome" {
#   name        = "Welcome"
#   source_file = "${path.module}/audio/welcome.mp3"
# }
