package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

func TestAccVMBox_basic(t *testing.T) {
	mailbox := randomDigits(6)
	addr := "kazoo_vmbox.test"
	lifecycle{
		Type:       "kazoo_vmbox",
		Collection: "vmboxes",
		Create: fmt.Sprintf(`
  name                   = "Sales voicemail"
  mailbox                = %q
  pin                    = "4321"
  require_pin            = true
  notify_email_addresses = ["sales@example.com"]
  extra_json             = jsonencode({ crm_id = "42" })`, mailbox),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("mailbox"), knownvalue.StringExact(mailbox)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("media_extension"), knownvalue.StringExact("mp3")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("seek_duration_ms"), knownvalue.Int64Exact(10000)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("pin")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("extra_json"), knownvalue.StringExact(`{"crm_id":"42"}`)),
		},
		DataSource: `data "kazoo_vmbox" "by_mailbox" { mailbox = kazoo_vmbox.test.mailbox }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_vmbox.by_mailbox", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_vmbox.by_mailbox", tfjsonpath.New("name"), knownvalue.StringExact("Sales voicemail")),
		},
		Update: fmt.Sprintf(`
  name                   = "Sales and support voicemail"
  mailbox                = %q
  pin                    = "8765"
  require_pin            = true
  transcribe             = true
  notify_email_addresses = ["sales@example.com", "support@example.com"]
  extra_json             = jsonencode({ crm_id = "43", crm_tags = { tier = "gold" } })`, mailbox),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Sales and support voicemail")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("notify_email_addresses"), knownvalue.ListSizeExact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("transcribe"), knownvalue.Bool(true)),
		},
		// Drift of a key extra_json names shows too.
		Drift: map[string]any{"pin": "0000", "transcribe": false, "crm_tags": map[string]any{"tier": "bronze", "extra": true}},
		Removed: fmt.Sprintf(`
  name    = "Sales and support voicemail"
  mailbox = %q`, mailbox),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin"), knownvalue.Null()),
			// Removed fields with a KAZOO default go back to it.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("require_pin"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("transcribe"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("notify_email_addresses"), knownvalue.ListSizeExact(0)),
		},
		RemovedKeys:  []string{"pin", "crm_id", "crm_tags"},
		Invalid:      `name = "x"` + "\n" + `mailbox = "100"` + "\n" + `pin = "12"`,
		InvalidError: regexp.MustCompile(`(?s)pin.*string length must be between 4 and 6`),
		Duplicate: fmt.Sprintf(`
resource "kazoo_vmbox" "dup" {
  name    = "Copy"
  mailbox = %q
}`, mailbox),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_vmbox.*KAZOO rejected the value of "mailbox"`),
	}.run(t)
}

// extra_json may not carry keys an attribute manages, nor private keys KAZOO would drop.
func TestAccVMBox_extraJSONValidation(t *testing.T) {
	config := func(extra string) string {
		return providerBlock + fmt.Sprintf(`resource "kazoo_vmbox" "x" {
  name       = "x"
  mailbox    = "100"
  extra_json = jsonencode(%s)
}`, extra)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(`{ name = "shadow" }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Key modelled by an attribute.*"name"`)},
			{Config: config(`{ pvt_type = "vmbox" }`), PlanOnly: true, ExpectError: regexp.MustCompile(`Private key in extra_json`)},
			{Config: config(`["not", "an", "object"]`), PlanOnly: true, ExpectError: regexp.MustCompile(`must be a JSON object`)},
		},
	})
}
