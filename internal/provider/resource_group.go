package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// groupSpec is kazoo_group. Its endpoints are a JSON object keyed by user or device id.
var groupSpec = engine.Spec{
	TypeName: "group",
	Description: "A group of users and devices, typically rung together by a ring group callflow. " +
		"Write `endpoints` with `jsonencode`, keyed by user or device id, for example `{ (kazoo_user.alice.id) = { type = \"user\" } }`.",
	DataSourceDescription: "Reads a KAZOO group by id or by name.",
	Collection:            "groups",
	Schema:                "groups",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// Keyed by user and device ids.
		"endpoints":              {RefersTo: []string{"user", "device"}},
		"music_on_hold.media_id": {RefersTo: []string{"media"}},
	},
	Lookups: []engine.Lookup{{Attr: "name", Filter: "name", SummaryKey: "name"}},
}
