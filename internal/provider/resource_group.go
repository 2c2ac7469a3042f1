package provider

import (
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// groupSpec is kazoo_group. KAZOO 4.3's schema leaves endpoints free-form; its groups
// documentation and every KAZOO UI give each member a type and a weight, so the resource models
// that shape (other keys KAZOO keeps in a member are left alone).
var groupSpec = engine.Spec{
	TypeName: "group",
	Description: "A group of users and devices, typically rung together by a ring group callflow. " +
		"`endpoints` maps each member's id to its settings, for example `{ (kazoo_user.alice.id) = { type = \"user\" } }`.",
	DataSourceDescription: "Reads a KAZOO group by id or by name.",
	Collection:            "groups",
	Schema:                "groups",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// Keyed by user and device ids.
		"endpoints":              {Shape: groupEndpoints, RefersTo: []string{"user", "device"}},
		"music_on_hold.media_id": {RefersTo: []string{"media"}},
	},
	Descriptions: map[string]string{
		"endpoints.*.type":   "What the member is: `user` (all of the user's devices ring), `device` or `group`.",
		"endpoints.*.weight": "The member's position when the group is rung in order; lower rings first.",
	},
	Lookups: []engine.Lookup{{Attr: "name", Filter: "name", SummaryKey: "name"}},
}

// groupEndpoints is the documented shape of a group's members: id -> { type, weight }.
var groupEndpoints = &kazooschema.Schema{
	Type:    []string{"object"},
	Default: []byte(`{}`),
	PatternProperties: map[string]*kazooschema.Schema{
		"^[0-9a-f]{32}$": {
			Type: []string{"object"},
			Properties: map[string]*kazooschema.Schema{
				"type":   {Type: []string{"string"}, Enum: []any{"user", "device", "group"}},
				"weight": {Type: []string{"integer"}, Minimum: ptr(0.0)},
			},
		},
	},
}

func ptr[T any](v T) *T { return &v }
