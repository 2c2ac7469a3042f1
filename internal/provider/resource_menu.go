package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// menuSpec is kazoo_menu, an auto-attendant (IVR). Its options are not part of the document:
// a callflow's menu module picks the branch for the key pressed.
var menuSpec = engine.Spec{
	TypeName: "menu",
	Description: "An IVR menu (auto-attendant): the greeting callers hear, how long KAZOO waits for keys and how often it asks again. " +
		"The options themselves are the `children` of the `menu` node of a `kazoo_callflow`, keyed by the digit pressed.",
	DataSourceDescription: "Reads a KAZOO IVR menu by id or by name.",
	Collection:            "menus",
	Schema:                "menus",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"record_pin":           {Sensitive: true},
		"media.greeting":       {RefersTo: []string{"media"}},
		"media.exit_media":     {RefersTo: []string{"media"}},
		"media.invalid_media":  {RefersTo: []string{"media"}},
		"media.transfer_media": {RefersTo: []string{"media"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}
