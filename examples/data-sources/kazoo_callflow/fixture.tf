resource "kazoo_callflow" "fixture" {
  numbers = ["+12025550142"]
  flow    = jsonencode({ module = "park", data = {} })
}
