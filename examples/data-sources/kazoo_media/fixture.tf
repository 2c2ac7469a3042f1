resource "kazoo_media" "fixture" {
  name         = "Hold music"
  media_source = "tts"
  tts = {
    text = "Please hold; your call is important to us."
  }
}
