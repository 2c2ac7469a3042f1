resource "kazoo_phone_number" "fixture" {
  number = "+14155550101"
}
