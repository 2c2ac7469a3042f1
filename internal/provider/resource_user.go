package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// userSpec is kazoo_user. KAZOO lower-cases usernames and never returns the password: it keeps
// only hashes of it.
var userSpec = engine.Spec{
	TypeName: "user",
	Description: "A user of a KAZOO account: the person behind devices, voicemail boxes and callflows. " +
		"The password is sent to KAZOO but never read back; use `password_wo` to keep it out of the state.",
	DataSourceDescription: "Reads a KAZOO user by id or by username.",
	Collection:            "users",
	Schema:                "users",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// KAZOO makes up a username for a password given without one.
		"username":                 {Normalize: "lower", ServerDefault: true},
		"music_on_hold.media_id":   {RefersTo: []string{"media"}},
		"pronounced_name.media_id": {RefersTo: []string{"media"}},
		// Keyed by directory id; each value is the id of the callflow a caller reaches.
		"directories": {RefersTo: []string{"directory", "callflow"}},
	},
	WriteOnlySecrets: []string{"password"},
	// KAZOO keeps hashes of username:password, so a new username needs the password again.
	SendSecretWith: map[string][]string{"password": {"username"}},
	Lookups: []engine.Lookup{
		{Attr: "username", Filter: "username", SummaryKey: "username", Normalize: "lower"},
	},
}
