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
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

func TestAccPhoneNumber_basic(t *testing.T) {
	number := "+1" + nanpNumber()
	addr := "kazoo_phone_number.test"
	lifecycle{
		Type:       "kazoo_phone_number",
		Collection: "phone_numbers",
		Create: fmt.Sprintf(`
  number = %q
  cnam = {
    display_name = "Example Dental"
  }
  extra_json = jsonencode({ billing_ref = "PO-7" })`, number),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(number)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("cnam").AtMapKey("display_name"), knownvalue.StringExact("Example Dental")),
		},
		DataSource: `data "kazoo_phone_number" "by_number" { number = kazoo_phone_number.test.number }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_phone_number.by_number", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_phone_number.by_number", tfjsonpath.New("cnam").AtMapKey("display_name"), knownvalue.StringExact("Example Dental")),
		},
		Update: fmt.Sprintf(`
  number = %q
  cnam = {
    display_name   = "Example Dent."
    inbound_lookup = true
  }
  e911 = {
    caller_name    = "Example Dental"
    street_address = "100 Main St"
    locality       = "Springfield"
    region         = "IL"
    postal_code    = "62701"
  }
  extra_json = jsonencode({ billing_ref = "PO-8" })`, number),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("cnam").AtMapKey("inbound_lookup"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("e911").AtMapKey("postal_code"), knownvalue.StringExact("62701")),
		},
		Drift: map[string]any{"cnam": map[string]any{"display_name": "Somebody else"}},
		Removed: fmt.Sprintf(`
  number = %q`, number),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("e911"), knownvalue.Null()),
			// An object the configuration no longer sets, left with nothing of its own, is gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("cnam"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"cnam.display_name", "cnam.inbound_lookup", "e911", "billing_ref"},
		Invalid:      `number = "5551234"`,
		InvalidError: regexp.MustCompile(`(?s)number.*must be an E.164 number`),
		// The same number in a second resource: KAZOO answers 409 number_exists.
		Duplicate: fmt.Sprintf(`
resource "kazoo_phone_number" "dup" {
  number = %q
}`, number),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_phone_number.*The number\s+already exists in KAZOO`),
	}.run(t)
}

// KAZOO's 402 for a number the account must pay for names accept_charges; accepting adds it.
func TestAccPhoneNumber_acceptCharges(t *testing.T) {
	provider, _, _ := ownSimulator(t, kazoosim.Options{RequireAcceptCharges: true})
	number := func(accept string) string {
		return provider + "resource \"kazoo_phone_number\" \"paid\" {\n  number = \"+12125550199\"\n" + accept + "}\n"
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: number(""), ExpectError: regexp.MustCompile(`(?s)Error creating kazoo_phone_number.*accept_charges = true`)},
			{Config: number("  accept_charges = true\n")},
		},
	})
}
