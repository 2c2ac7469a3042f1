package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// conferenceSpec is kazoo_conference, a conference room. KAZOO adds realtime figures
// (_read_only) to every read; they are not part of the document and not modelled.
var conferenceSpec = engine.Spec{
	TypeName: "conference",
	Description: "A conference room: the numbers and PINs that admit members and moderators, how they join, and the mixer's profile. " +
		"A `conference` node of a `kazoo_callflow` sends callers to it.",
	DataSourceDescription: "Reads a KAZOO conference room by id or by name.",
	Collection:            "conferences",
	Schema:                "conferences",
	Patch:                 true,
	// KAZOO 4.3 answers a GET of an unknown conference id with an ad-hoc conference, which has
	// no revision.
	GoneWithoutRevision: true,
	// KAZOO 4.3 reports a number another conference has under "numbers".
	ErrorPaths: map[string]string{"numbers": "conference_numbers"},
	Overrides: map[string]engine.Override{
		"bridge_password":           {Sensitive: true},
		"member.pins":               {Sensitive: true},
		"moderator.pins":            {Sensitive: true},
		"focus":                     {ComputedOnly: true},
		"owner_id":                  {RefersTo: []string{"user"}},
		"max_members_media":         {RefersTo: []string{"media"}},
		"profile.alone-sound":       {RefersTo: []string{"media"}},
		"profile.enter-sound":       {RefersTo: []string{"media"}},
		"profile.exit-sound":        {RefersTo: []string{"media"}},
		"profile.locked-sound":      {RefersTo: []string{"media"}},
		"profile.max-members-sound": {RefersTo: []string{"media"}},
		"profile.moh-sound":         {RefersTo: []string{"media"}},
		"profile.muted-sound":       {RefersTo: []string{"media"}},
		"profile.unmuted-sound":     {RefersTo: []string{"media"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}
