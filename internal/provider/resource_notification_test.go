package provider_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccNotification_basic(t *testing.T) {
	addr := "kazoo_notification.test"
	lifecycle{
		Type:       "kazoo_notification",
		Collection: "notifications",
		NoPatch:    true,
		Create: `
  template_id = "voicemail_to_email"
  from        = "voicemail@example.com"
  subject     = "New voicemail from {{caller_id.name}}"
  to = {
    type = "original"
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("voicemail_to_email")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("subject"), knownvalue.StringExact("New voicemail from {{caller_id.name}}")),
		},
		DataSource: `data "kazoo_notification" "vm" { template_id = kazoo_notification.test.template_id }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_notification.vm", tfjsonpath.New("from"), knownvalue.StringExact("voicemail@example.com")),
		},
		Update: `
  template_id = "voicemail_to_email"
  from        = "voicemail@example.com"
  subject     = "Voicemail for {{user.first_name}} from {{caller_id.name}}"
  reply_to    = "office@example.com"
  to = {
    type = "original"
  }
  bcc = {
    type            = "specified"
    email_addresses = ["archive@example.com"]
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("bcc").AtMapKey("email_addresses"), knownvalue.ListSizeExact(1)),
		},
		Drift: map[string]any{"subject": "Changed in MonsterUI"},
		Removed: `
  template_id = "voicemail_to_email"
  from        = "voicemail@example.com"
  subject     = "Voicemail for {{user.first_name}} from {{caller_id.name}}"
  to = {
    type = "original"
  }`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("reply_to"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"reply_to", "bcc.email_addresses"},
		Invalid:      `template_id = "Voicemail To Email"` + "\n" + `from = "a@example.com"` + "\n" + `subject = "x"` + "\n" + `to = { type = "original" }`,
		InvalidError: regexp.MustCompile(`(?s)template_id.*must be a template name`),
		ApplyInvalid: `
resource "kazoo_notification" "dup" {
  template_id = "missed_call"
  from        = "voicemail@example.com"
  subject     = substr(kazoo_notification.test.id, 0, 0)
  to          = { type = "original" }
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_notification.dup.*subject.*string length must be between 1 and 200`),
		// Destroy reverts the account to the system template: KAZOO still answers, as the system's.
		DestroyCheck: func(d map[string]any) error {
			if d != nil && d["account_overridden"] == true {
				return errors.New("the account still overrides voicemail_to_email after destroy")
			}
			return nil
		},
	}.run(t)
}
