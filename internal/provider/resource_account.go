package provider

import (
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// accountSpec is kazoo_account: a child account created under parent_id (PUT
// /v2/accounts/{parent_id}) and then addressed as /v2/accounts/{id}.
var accountSpec = engine.Spec{
	TypeName: "account",
	Description: "A KAZOO account created under a parent account (by default the provider's own). " +
		"KAZOO refuses to delete an account that still has sub-accounts: destroy them first.",
	DataSourceDescription: "Reads a KAZOO account by id, or by name among the children of `parent_id`.",
	Collection:            "accounts",
	Schema:                "accounts",
	Patch:                 true,
	Scope:                 engine.ScopeAccounts,
	Overrides: map[string]engine.Override{
		// KAZOO removes spaces from realms before storing them, and makes one up when none is given.
		// Both are refilled by KAZOO when an update leaves them out: removed from the
		// configuration, they keep their value (a new realm would break every registration).
		"realm": {Normalize: "nospace", ServerDefault: true, RefilledWhenRemoved: true},
		// KAZOO gives a new account the system's default timezone.
		"timezone":               {ServerDefault: true, RefilledWhenRemoved: true},
		"music_on_hold.media_id": {RefersTo: []string{"media"}},
	},
	// Fields KAZOO computes and returns but never takes from a request.
	Additional: []engine.Additional{
		computed("billing_mode", "string", "How the account is billed, as KAZOO reports it (for example `normal` or `limits_only`)."),
		computed("created", "integer", "When the account was created, in Gregorian seconds as KAZOO counts time."),
		computed("is_reseller", "boolean", "Whether the account is a reseller."),
		computed("reseller_id", "string", "The id of the reseller account this account belongs to."),
		computed("superduper_admin", "boolean", "Whether the account has super-administrator rights over the whole system."),
		computed("wnm_allow_additions", "boolean", "Whether the account may add phone numbers to the system."),
	},
	Lookups: []engine.Lookup{{Attr: "name", SummaryKey: "name"}},
}

// computed declares a read-only top-level attribute for a key KAZOO adds to the document.
func computed(key, jsonType, desc string) engine.Additional {
	return engine.Additional{
		Key:         key,
		Schema:      &kazooschema.Schema{Type: []string{jsonType}},
		Description: desc,
		Override:    engine.Override{ComputedOnly: true},
	}
}
