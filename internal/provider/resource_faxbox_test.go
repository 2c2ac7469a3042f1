package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccFaxbox_basic(t *testing.T) {
	email := "fax-" + randomDigits(8) + "@example.com"
	addr := "kazoo_faxbox.test"
	lifecycle{
		Type:       "kazoo_faxbox",
		Collection: "faxboxes",
		Create: fmt.Sprintf(`
  name                      = "Office fax"
  caller_id                 = "+12025550190"
  fax_header                = "Example Corp"
  custom_smtp_email_address = %q
  smtp_permission_list      = ["office@example.com"]
  notifications = {
    inbound = {
      email = { send_to = jsonencode(["office@example.com"]) }
    }
  }`, email),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("fax_header"), knownvalue.StringExact("Example Corp")),
			// Defaults KAZOO fills in are mirrored, and so is the address KAZOO makes up.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("caller_name"), knownvalue.StringExact("Kazoo Fax Printer")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("smtp_email_address"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{8}\.`))),
		},
		DataSource: `data "kazoo_faxbox" "by_name" { name = kazoo_faxbox.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_faxbox.by_name", tfjsonpath.New("smtp_email_address"), "kazoo_faxbox.test", tfjsonpath.New("smtp_email_address"), compareSame),
		},
		Update: fmt.Sprintf(`
  name                      = "Office fax (front desk)"
  caller_id                 = "+12025550190"
  caller_name               = "Example Corp"
  fax_header                = "Example Corp - Front desk"
  retries                   = 3
  custom_smtp_email_address = %q
  smtp_permission_list      = ["office@example.com", "frontdesk@example.com"]
  notifications = {
    inbound = {
      email    = { send_to = jsonencode(["office@example.com", "frontdesk@example.com"]) }
      callback = { url = "https://hooks.example.com/fax", method = "post", type = "json" }
    }
    outbound = {
      email = { send_to = jsonencode("office@example.com") }
    }
  }`, email),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(3)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("notifications").AtMapKey("inbound").AtMapKey("callback").AtMapKey("type"), knownvalue.StringExact("json")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("smtp_permission_list"), knownvalue.ListSizeExact(2)),
		},
		Drift: map[string]any{"retries": 0, "notifications": map[string]any{"inbound": map[string]any{"callback": map[string]any{"url": "https://evil.example.com/"}}}},
		Removed: fmt.Sprintf(`
  name                      = "Office fax (front desk)"
  custom_smtp_email_address = %q`, email),
		RemovedChecks: []statecheck.StateCheck{
			// Removed fields go back to KAZOO's defaults or are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("fax_header"), knownvalue.StringExact("Kazoo Fax Printer")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("smtp_permission_list"), knownvalue.ListSizeExact(0)),
			// An object the configuration no longer sets, left with nothing of its own, is gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("notifications"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("smtp_email_address"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{8}\.`))),
		},
		RemovedKeys: []string{"caller_id", "notifications.inbound.callback.url", "notifications.inbound.email.send_to",
			"notifications.outbound.email.send_to"},
		Invalid:      `name = "x"` + "\n" + `notifications = { inbound = { callback = { url = "ftp://example.com/x" } } }`,
		InvalidError: regexp.MustCompile(`(?s)notifications.inbound.callback.url.*must match the pattern`),
		// An address another fax box already accepts mail on.
		Duplicate: fmt.Sprintf(`
resource "kazoo_faxbox" "dup" {
  name                      = "Copy"
  custom_smtp_email_address = %q
}`, email),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_faxbox.*custom_smtp_email_address.*KAZOO rejected the value of "custom_smtp_email_address"`),
	}.run(t)
}
