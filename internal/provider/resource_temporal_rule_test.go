package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccTemporalRule_basic(t *testing.T) {
	addr := "kazoo_temporal_rule.test"
	lifecycle{
		Type:       "kazoo_temporal_rule",
		Collection: "temporal_rules",
		Create: `
  name              = "Office hours"
  cycle             = "weekly"
  wdays             = ["monday", "tuesday", "wednesday", "thursday", "friday"]
  time_window_start = 32400 # 09:00
  time_window_stop  = 61200 # 17:00
  flags             = ["office"]`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("wdays"), knownvalue.ListSizeExact(5)),
			// Defaults KAZOO fills in are mirrored.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("interval"), knownvalue.Int64Exact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("start_date"), knownvalue.Int64Exact(62586115200)),
		},
		DataSource: `data "kazoo_temporal_rule" "by_name" { name = kazoo_temporal_rule.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_temporal_rule.by_name", tfjsonpath.New("wdays"), addr, tfjsonpath.New("wdays"), compareSame),
		},
		Update: `
  name              = "Office hours (summer)"
  cycle             = "weekly"
  interval          = 1
  wdays             = ["monday", "tuesday", "wednesday", "thursday"]
  time_window_start = 28800 # 08:00
  time_window_stop  = 57600 # 16:00
  start_date        = 63881107200 # 2024-05-01
  flags             = ["office"]`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("wdays"), knownvalue.ListSizeExact(4)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window_start"), knownvalue.Int64Exact(28800)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("start_date"), knownvalue.Int64Exact(63881107200)),
		},
		Drift: map[string]any{"time_window_stop": 86400, "wdays": []any{"saturday"}},
		Removed: `
  name  = "Office hours (summer)"
  cycle = "weekly"
  wdays = ["monday", "tuesday", "wednesday", "thursday"]`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window_start"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
			// A removed start date goes back to KAZOO's default.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("start_date"), knownvalue.Int64Exact(62586115200)),
		},
		RemovedKeys:  []string{"time_window_start", "time_window_stop", "flags"},
		Invalid:      `name = "x"` + "\n" + `cycle = "hourly"`,
		InvalidError: regexp.MustCompile(`(?s)cycle.*value must be one of`),
		// KAZOO checks rules against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_temporal_rule" "source" {
  name  = "Source"
  cycle = "daily"
}
resource "kazoo_temporal_rule" "dup" {
  name  = "Copy"
  cycle = "daily"
  month = length(kazoo_temporal_rule.source.id)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_temporal_rule.dup.*month.*value must be between 1 and 12`),
	}.run(t)
}
