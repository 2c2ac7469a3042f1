package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// Every document with a name is found by it.
func TestAccDataSources_byName(t *testing.T) {
	suffix := randomDigits(6)
	config := providerBlock + fmt.Sprintf(`
resource "kazoo_user" "a" {
  first_name = "Ann"
  last_name  = "Lookup"
}
resource "kazoo_group" "g" {
  name      = "Front desk %[1]s"
  endpoints = { (kazoo_user.a.id) = { type = "user" } }
}
resource "kazoo_vmbox" "v" {
  name    = "Front desk box %[1]s"
  mailbox = "%[1]s"
}
resource "kazoo_callflow" "c" {
  name    = "Front desk flow %[1]s"
  numbers = ["7%[1]s"]
  flow    = jsonencode({ module = "voicemail", data = { id = kazoo_vmbox.v.id } })
}
resource "kazoo_menu" "m" {
  name = "Front desk menu %[1]s"
}
resource "kazoo_temporal_rule" "r" {
  name  = "Front desk hours %[1]s"
  cycle = "weekly"
  wdays = ["monday"]
}
resource "kazoo_temporal_rule_set" "s" {
  name           = "Front desk set %[1]s"
  temporal_rules = [kazoo_temporal_rule.r.id]
}
resource "kazoo_directory" "d" {
  name = "Front desk directory %[1]s"
}
resource "kazoo_conference" "c" {
  name = "Front desk bridge %[1]s"
}
resource "kazoo_faxbox" "f" {
  name = "Front desk fax %[1]s"
}
data "kazoo_menu" "m" { name = kazoo_menu.m.name }
data "kazoo_temporal_rule" "r" { name = kazoo_temporal_rule.r.name }
data "kazoo_temporal_rule_set" "s" { name = kazoo_temporal_rule_set.s.name }
data "kazoo_directory" "d" { name = kazoo_directory.d.name }
data "kazoo_conference" "c" { name = kazoo_conference.c.name }
data "kazoo_faxbox" "f" { name = kazoo_faxbox.f.name }
data "kazoo_group" "g" { name = kazoo_group.g.name }
data "kazoo_vmbox" "v" { name = kazoo_vmbox.v.name }
data "kazoo_callflow" "c" { name = kazoo_callflow.c.name }
`, suffix)
	same := func(name string) statecheck.StateCheck {
		return statecheck.CompareValuePairs("data."+name, tfjsonpath.New("id"), name, tfjsonpath.New("id"), compareSame)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{same("kazoo_group.g"), same("kazoo_vmbox.v"), same("kazoo_callflow.c"),
				same("kazoo_menu.m"), same("kazoo_temporal_rule.r"), same("kazoo_temporal_rule_set.s"), same("kazoo_directory.d"),
				same("kazoo_conference.c"), same("kazoo_faxbox.f")},
		}},
	})
}

// The plural data sources list an account's documents with KAZOO's filters, every page.
func TestAccDataSources_plural(t *testing.T) {
	suffix := randomDigits(6)
	number := "+1" + nanpNumber()
	resources := providerBlock + fmt.Sprintf(`
resource "kazoo_user" "u" {
  count      = 3
  first_name = "Plural%[1]s"
  last_name  = "User ${count.index}"
}
resource "kazoo_device" "d" {
  name = "Plural phone %[1]s"
  sip = {
    username = "plural%[1]s"
    password = "Secret-%[1]s"
  }
}
resource "kazoo_vmbox" "v" {
  name    = "Plural box %[1]s"
  mailbox = "%[1]s"
  pin     = "4321"
}
resource "kazoo_callflow" "c" {
  name    = "Plural flow %[1]s"
  numbers = ["8%[1]s"]
  flow    = jsonencode({ module = "voicemail", data = { id = kazoo_vmbox.v.id } })
}
resource "kazoo_phone_number" "n" {
  number = %[2]q
}
resource "kazoo_media" "m" {
  name         = "Plural media %[1]s"
  media_source = "tts"
  tts          = { text = "Hello" }
}
`, suffix, number)
	sources := fmt.Sprintf(`
data "kazoo_users" "named" {
  filters    = { first_name = "Plural%[1]s" }
  depends_on = [kazoo_user.u]
}
data "kazoo_devices" "named" {
  filters    = { name = kazoo_device.d.name }
}
data "kazoo_callflows" "named" {
  filters = { name = kazoo_callflow.c.name }
}
data "kazoo_phone_numbers" "all" {
  depends_on = [kazoo_phone_number.n]
}
data "kazoo_media_list" "named" {
  filters = { name = kazoo_media.m.name }
}
data "kazoo_documents" "boxes_with_pin" {
  collection = "vmboxes"
  has_key    = "pin"
  filters    = { mailbox = kazoo_vmbox.v.mailbox }
}
output "number_listed" { value = contains(data.kazoo_phone_numbers.all.ids, kazoo_phone_number.n.number) }
`, suffix)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: resources},
			{
				Config: resources + sources,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.kazoo_users.named", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.kazoo_devices.named", tfjsonpath.New("items"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Plural phone " + suffix)}),
					})),
					statecheck.CompareValuePairs("data.kazoo_devices.named", tfjsonpath.New("ids").AtSliceIndex(0), "kazoo_device.d", tfjsonpath.New("id"), compareSame),
					statecheck.CompareValuePairs("data.kazoo_callflows.named", tfjsonpath.New("ids").AtSliceIndex(0), "kazoo_callflow.c", tfjsonpath.New("id"), compareSame),
					statecheck.ExpectKnownOutputValue("number_listed", knownvalue.Bool(true)),
					statecheck.CompareValuePairs("data.kazoo_media_list.named", tfjsonpath.New("ids").AtSliceIndex(0), "kazoo_media.m", tfjsonpath.New("id"), compareSame),
					statecheck.ExpectKnownValue("data.kazoo_documents.boxes_with_pin", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.CompareValuePairs("data.kazoo_documents.boxes_with_pin", tfjsonpath.New("ids").AtSliceIndex(0), "kazoo_vmbox.v", tfjsonpath.New("id"), compareSame),
				},
			},
		},
	})
}
