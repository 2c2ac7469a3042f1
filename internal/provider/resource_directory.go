package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// directorySpec is kazoo_directory, a dial-by-name directory. KAZOO's schema declares users
// as a list of strings, but a read replaces it with the members KAZOO finds (objects naming
// the user and the callflow), so the resource only mirrors it, as JSON.
var directorySpec = engine.Spec{
	TypeName: "directory",
	Description: "A dial-by-name directory: callers spell a name on the keypad and KAZOO connects them to the matching user. " +
		"A user is listed in a directory through the `directories` attribute of its `kazoo_user`, which maps the directory's id " +
		"to the callflow that reaches the user.",
	DataSourceDescription: "Reads a KAZOO dial-by-name directory by id or by name.",
	Collection:            "directories",
	Schema:                "directories",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"users": {ComputedOnly: true, JSON: true},
	},
	Descriptions: map[string]string{
		"users": "Members of the directory as KAZOO lists them when reading it, as JSON: a list of objects with `user_id` and " +
			"`callflow_id`. Users join a directory through `directories` on the `kazoo_user`, not here.",
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}
