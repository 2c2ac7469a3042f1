package provider_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// kazoo_document manages a collection no typed resource covers (KAZOO's multi-factor provider
// configurations), keeps the keys it does not manage and never shows them as changes.
func TestAccDocument_untypedCollection(t *testing.T) {
	name := "Duo " + randomDigits(6)
	addr := "kazoo_document.test"
	wholeDocHas := func(key string, want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New("document"), jsonKey{key, want})
	}
	lifecycle{
		Type:       "kazoo_document",
		Collection: "multi_factor",
		Create: fmt.Sprintf(`
  collection = "multi_factor"
  data = jsonencode({
    name          = %q
    provider_name = "duo"
    enabled       = false
    settings      = { duo_expire = 300 }
  })`, name),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
			wholeDocHas("provider_name", knownvalue.StringExact("duo")),
		},
		Update: fmt.Sprintf(`
  collection = "multi_factor"
  data = jsonencode({
    name          = %q
    provider_name = "duo"
    enabled       = true
    settings      = { duo_expire = 600, app_expire = 3600 }
  })`, name),
		UpdateChecks: []statecheck.StateCheck{
			// The whole document shows what others keep in it; data only what it names.
			wholeDocHas("ui_metadata", knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data"), jsonKey{"ui_metadata", knownvalue.Null()}),
			wholeDocHas("enabled", knownvalue.Bool(true)),
		},
		Drift: map[string]any{"enabled": false, "settings": map[string]any{"duo_expire": 1}},
		Removed: fmt.Sprintf(`
  collection = "multi_factor"
  data = jsonencode({
    name          = %q
    provider_name = "duo"
    enabled       = true
  })`, name),
		RemovedKeys:  []string{"settings"},
		Invalid:      `collection = "Multi Factor!"` + "\n" + `data = jsonencode({ name = "x" })`,
		InvalidError: regexp.MustCompile(`(?s)collection.*must be a path under the account`),
		// KAZOO's own validation: a provider configuration needs provider_name.
		Duplicate: `
resource "kazoo_document" "incomplete" {
  collection = "multi_factor"
  data       = jsonencode({ name = "No provider", enabled = false })
}`,
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_document.*KAZOO rejected the value of "provider_name"`),
		ImportID: func(a map[string]string) string {
			return a["account_id"] + "/" + a["collection"] + "/" + a["id"]
		},
		// After an import the managed keys are only known from the configuration.
		ImportIgnore: []string{"data"},
	}.run(t)
}

// A collection served by a Crossbar module that is not loaded names the module instead of
// reading as a missing document (skels is KAZOO's example module, never loaded by default).
func TestAccDocument_moduleNotLoaded(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock + `resource "kazoo_document" "skel" {
  collection = "skels"
  data       = jsonencode({ name = "example" })
}`,
			ExpectError: regexp.MustCompile(`KAZOO.s\s+cb_skels\s+module\s+is\s+not\s+loaded\s+on\s+this\s+server\s+\(crossbar\s+autoload_modules\)`),
		}},
	})
}

// jsonKey checks one top-level key of a JSON string attribute.
type jsonKey struct {
	key  string
	want knownvalue.Check
}

func (j jsonKey) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a JSON string, got %T", v)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return err
	}
	got, present := m[j.key]
	if !present {
		return j.want.CheckValue(nil)
	}
	if n, ok := got.(float64); ok {
		got = json.Number(fmt.Sprint(n))
	}
	return j.want.CheckValue(got)
}

func (j jsonKey) String() string { return fmt.Sprintf("JSON key %s: %s", j.key, j.want) }
