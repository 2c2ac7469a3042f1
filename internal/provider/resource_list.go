package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// listSpec is kazoo_list, a match list; its entries are kazoo_list_entry documents.
var listSpec = engine.Spec{
	TypeName: "list",
	Description: "A match list: named entries (numbers, number patterns and contact cards) that callflows can match callers against. " +
		"Its entries are `kazoo_list_entry` resources. KAZOO serves lists through its `cb_lists` module, which a stock " +
		"installation does not load (`sup crossbar_maintenance start_module cb_lists`).",
	DataSourceDescription: "Reads a KAZOO match list by id or by name.",
	Collection:            "lists",
	Schema:                "lists",
	Patch:                 true,
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}
