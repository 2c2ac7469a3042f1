package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// connectivitySpec is kazoo_connectivity, a SIP trunking (trunkstore) configuration. KAZOO
// lists the collection as bare ids only, so the data source finds one by id.
var connectivitySpec = engine.Spec{
	TypeName: "connectivity",
	Description: "A SIP trunking (trunkstore) configuration: the PBXs that use the account as a SIP trunk, how KAZOO " +
		"recognises each (SIP credentials or IP address) and the numbers (`DIDs`) routed to each. The numbers must be " +
		"the account's own (`kazoo_phone_number`); KAZOO assigns them to trunkstore.",
	DataSourceDescription: "Reads a KAZOO SIP trunking (trunkstore) configuration by id.",
	Collection:            "connectivity",
	Schema:                "connectivity",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// KAZOO writes the account's realm into account.auth_realm on every write.
		"account": {ServerDefault: true},
		// Not computed, so that each server can hold auth_password_wo: left out of the
		// configuration, KAZOO's servers are left alone and not read.
		"servers":                         {NotComputed: true},
		"servers.options.hunt_account_id": {RefersTo: []string{"account"}},
	},
}
