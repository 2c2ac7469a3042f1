package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// listEntrySpec is kazoo_list_entry, a document of the collection nested below each list:
// /v2/accounts/{account_id}/lists/{list_id}/entries.
var listEntrySpec = engine.Spec{
	TypeName: "list_entry",
	Description: "An entry of a `kazoo_list`: a number or a number pattern, with an optional contact card. " +
		"Changing `list_id` creates the entry anew in the other list. Import it as `<list_id>/<id>` or `<account_id>/<list_id>/<id>`.",
	DataSourceDescription: "Reads an entry of a KAZOO match list by its list's id and its own id.",
	Collection:            "entries",
	Schema:                "list_entries",
	Patch:                 true,
	Parent:                &engine.Parent{Attr: "list_id", Collection: "lists"},
	Overrides: map[string]engine.Override{
		"list_id": {RefersTo: []string{"list"}},
	},
}
