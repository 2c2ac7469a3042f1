package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// cccpSpec is kazoo_cccp, an authorisation of the calling card (CCCP) service. KAZOO 4.3 has
// no PATCH on cccps, and reports a taken caller ID or PIN under the key "cccp".
var cccpSpec = engine.Spec{
	TypeName: "cccp",
	Description: "A calling card (CCCP) authorisation: a caller ID or a PIN that lets a user call the calling card access " +
		"number and dial out through the account. KAZOO serves it through its `cb_cccps` module, which a stock installation " +
		"does not load (`sup crossbar_maintenance start_module cb_cccps`). KAZOO returns the PIN in plain text; it is kept " +
		"in the state as a sensitive value.",
	DataSourceDescription: "Reads a KAZOO calling card authorisation by id or by caller ID.",
	Collection:            "cccps",
	Schema:                "cccps",
	Overrides: map[string]engine.Override{
		"pin":     {Sensitive: true},
		"cid":     {Normalize: "e164"},
		"user_id": {RefersTo: []string{"user"}},
	},
	// A caller ID (or, without one, a PIN) another entry has.
	ErrorPaths: map[string]string{"cccp": "cid"},
	Lookups: []engine.Lookup{
		{Attr: "cid", SummaryKey: "cid", Normalize: "e164"},
	},
}
