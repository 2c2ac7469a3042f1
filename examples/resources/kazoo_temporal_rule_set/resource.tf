resource "kazoo_temporal_rule" "new_year" {
  name  = "New Year's Day"
  cycle = "yearly"
  month = 1
  days  = [1]
}

resource "kazoo_temporal_rule" "christmas" {
  name  = "Christmas Day"
  cycle = "yearly"
  month = 12
  days  = [25]
}

# The set matches on any of its days; a temporal_route branch keyed by its id
# can send holiday calls to a closed-office greeting.
resource "kazoo_temporal_rule_set" "holidays" {
  name = "Public holidays"
  temporal_rules = [
    kazoo_temporal_rule.new_year.id,
    kazoo_temporal_rule.christmas.id,
  ]
}
