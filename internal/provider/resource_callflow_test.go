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

func TestAccCallflow_basic(t *testing.T) {
	ext := randomDigits(5)
	did := nanpNumber()  // a 10-digit NANP number: KAZOO stores it as +1...
	did2 := nanpNumber() // added by the update
	addr := "kazoo_callflow.test"
	lifecycle{
		Type:       "kazoo_callflow",
		Collection: "callflows",
		Deps: `
resource "kazoo_user" "owner" {
  first_name = "Callflow"
  last_name  = "Owner"
}
resource "kazoo_vmbox" "box" {
  name    = "Owner's box"
  mailbox = "` + randomDigits(6) + `"
}
`,
		Create: fmt.Sprintf(`
  name    = "Main line"
  numbers = [%q, %q]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.owner.id, timeout = 20 }
    children = {
      "_" = { module = "voicemail", data = { id = kazoo_vmbox.box.id } }
    }
  })
  metaflow = { numbers = { "2" = { module = "transfer" } } }`, ext, did),
		CreateChecks: []statecheck.StateCheck{
			// The configured spelling of the number stays in state.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("numbers"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact(ext), knownvalue.StringExact(did)})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("patterns"), knownvalue.ListSizeExact(0)),
		},
		DataSource: fmt.Sprintf(`
data "kazoo_callflow" "by_number" {
  number     = %q
  depends_on = [kazoo_callflow.test]
}`, did),
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_callflow.by_number", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_callflow.by_number", tfjsonpath.New("numbers"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact(ext), knownvalue.StringExact("+1" + did)})),
			// KAZOO adds metadata when it reads a callflow (not in its answer to a write).
			statecheck.ExpectKnownValue("data.kazoo_callflow.by_number", tfjsonpath.New("metadata"), knownvalue.NotNull()),
		},
		Update: fmt.Sprintf(`
  name    = "Main line (day)"
  numbers = [%q, %q, %q]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.owner.id, timeout = 30 }
  })
  metaflow = {
    numbers = {
      "2" = { module = "transfer" }
      "3" = { module = "hangup" }
    }
  }`, ext, did, did2),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Main line (day)")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("numbers"), knownvalue.ListSizeExact(3)),
		},
		Drift: map[string]any{"flow": map[string]any{"module": "device"}},
		Removed: fmt.Sprintf(`
  numbers = [%q, %q, %q]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.owner.id, timeout = 30 }
  })
  metaflow = { numbers = { "2" = { module = "transfer" } } }`, ext, did, did2),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.Null()),
		},
		RemovedKeys: []string{"name", "flow.children", "metaflow.numbers.3"},
		// A metaflow code's module changed elsewhere is set back by one PATCH; its data, set
		// elsewhere and not configured, is mirrored and kept.
		MapDrift: func(map[string]any) map[string]any {
			return map[string]any{"metaflow": map[string]any{"numbers": map[string]any{"3": map[string]any{"module": "hold"}}}}
		},
		MapAdded: func(map[string]any) map[string]any {
			return map[string]any{"metaflow": map[string]any{"numbers": map[string]any{"2": map[string]any{"data": map[string]any{"takeback_dtmf": "*1"}}}}}
		},
		MapKept: func(doc map[string]any) error {
			if v, _ := lookupKey(doc, "metaflow.numbers.2.data.takeback_dtmf"); v != "*1" {
				return fmt.Errorf("metaflow.numbers.2.data.takeback_dtmf = %v, want the value set elsewhere", v)
			}
			return nil
		},
		Invalid:      `numbers = ["100"]` + "\n" + `flow = "{not json"`,
		InvalidError: regexp.MustCompile(`(?s)Invalid JSON`),
		Duplicate: fmt.Sprintf(`
resource "kazoo_callflow" "dup" {
  numbers = [%q]
  flow    = jsonencode({ module = "voicemail", data = {} })
}`, ext),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_callflow.*KAZOO rejected the value of "numbers`),
		// Import reads KAZOO's E.164 spelling of the numbers, and the metadata KAZOO adds on
		// reads (its answer to a write has none).
		ImportIgnore: []string{"numbers", "metadata"},
	}.run(t)
}

// A callflow nothing can reach, or whose flow KAZOO's schema rejects, is refused at plan time.
func TestAccCallflow_planTimeValidation(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock + `resource "kazoo_callflow" "x" { flow = jsonencode({ module = "park", data = {} }) }`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)At least one of these attributes must be configured: \[numbers,patterns\]`),
			},
			{
				// A node without its module.
				Config: providerBlock + `resource "kazoo_callflow" "x" {
  numbers = ["100"]
  flow    = jsonencode({ data = {}, children = { "_" = { module = "voicemail", data = {} } } })
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)KAZOO would reject "flow.module"`),
			},
		},
	})
}
