package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// vmboxSpec is kazoo_vmbox. Messages are not part of the document (KAZOO keeps them apart), so
// the resource manages only the box's settings.
var vmboxSpec = engine.Spec{
	TypeName:              "vmbox",
	Description:           "A voicemail box: its mailbox number, PIN, greeting and what happens to new messages.",
	DataSourceDescription: "Reads a KAZOO voicemail box by id, by mailbox number or by name.",
	Collection:            "vmboxes",
	Schema:                "vmboxes",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"owner_id":          {RefersTo: []string{"user"}},
		"media.unavailable": {RefersTo: []string{"media"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "mailbox", Filter: "mailbox", SummaryKey: "mailbox"},
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}
