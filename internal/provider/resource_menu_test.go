package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccMenu_basic(t *testing.T) {
	addr := "kazoo_menu.test"
	lifecycle{
		Type:       "kazoo_menu",
		Collection: "menus",
		Create: `
  name                 = "Main menu"
  retries              = 2
  timeout              = 10000
  max_extension_length = 3
  record_pin           = "2468"
  media = {
    greeting = "https://media.example.com/main-greeting.mp3"
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(2)),
			// Defaults KAZOO fills in are mirrored.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hunt"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("suppress_media"), knownvalue.Bool(false)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("record_pin")),
		},
		DataSource: `data "kazoo_menu" "by_name" { name = kazoo_menu.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_menu.by_name", tfjsonpath.New("media").AtMapKey("greeting"), addr, tfjsonpath.New("media").AtMapKey("greeting"), compareSame),
		},
		Update: `
  name                 = "Main menu (office hours)"
  retries              = 3
  timeout              = 8000
  max_extension_length = 4
  hunt                 = false
  record_pin           = "1357"
  media = {
    greeting      = "https://media.example.com/main-greeting.mp3"
    invalid_media = false
    exit_media    = true
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Main menu (office hours)")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hunt"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("media").AtMapKey("invalid_media"), knownvalue.StringExact("false")),
		},
		Drift: map[string]any{"retries": 9, "media": map[string]any{"exit_media": false}},
		Removed: `
  name = "Main menu (office hours)"
  media = {
    greeting = "https://media.example.com/main-greeting.mp3"
  }`,
		RemovedChecks: []statecheck.StateCheck{
			// Removed fields with a KAZOO default go back to it; the others are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(3)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hunt"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("record_pin"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("media").AtMapKey("invalid_media"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"record_pin", "timeout", "media.invalid_media", "media.exit_media"},
		Invalid:      `name = "x"` + "\n" + `retries = 11`,
		InvalidError: regexp.MustCompile(`(?s)retries.*value must be between 1 and 10`),
		// KAZOO checks menus against their schema only; a PIN only known at apply is refused
		// before it is sent.
		ApplyInvalid: `
resource "kazoo_menu" "source" {
  name = "Source"
}
resource "kazoo_menu" "dup" {
  name       = "Copy"
  record_pin = substr(kazoo_menu.source.id, 0, 2)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_menu.dup.*record_pin.*string length must be between 3 and 6`),
	}.run(t)
}
