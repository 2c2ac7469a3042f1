data "kazoo_media" "hold" {
  name = "Hold music"
}

output "hold_music_id" {
  value = data.kazoo_media.hold.id
}
