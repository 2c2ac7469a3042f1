# Text-to-speech media of the account.
data "kazoo_media_list" "tts" {
  filters = { media_source = "tts" }
}

output "tts_media" {
  value = { for m in data.kazoo_media_list.tts.items : m.id => m.name }
}
