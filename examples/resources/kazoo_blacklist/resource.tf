# Numbers in E.164, the way KAZOO stores them.
resource "kazoo_blacklist" "nuisance" {
  name                   = "Nuisance callers"
  numbers                = ["+12025550142", "+14155550199"]
  should_block_anonymous = true
}
