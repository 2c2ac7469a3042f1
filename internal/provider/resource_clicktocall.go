package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// clicktocallSpec is kazoo_clicktocall. Placing a call (POST /clicktocall/{id}/connect) is an
// action, not part of the document.
var clicktocallSpec = engine.Spec{
	TypeName: "clicktocall",
	Description: "A click to call: a fixed destination (`extension`) that KAZOO connects to a number given when the call " +
		"is triggered, for example from a \"call me\" button on a web page (`/clicktocall/{id}/connect`).",
	DataSourceDescription: "Reads a KAZOO click to call by id or by name.",
	Collection:            "clicktocall",
	Schema:                "clicktocall",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"music_on_hold.media_id": {RefersTo: []string{"media"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", SummaryKey: "name"},
	},
}
