package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// documentSpec is kazoo_document: any Crossbar document no typed resource covers, on the same
// engine (ids chosen by the provider, PATCH or GET+overlay+POST, KAZOO's errors, import).
var documentSpec = engine.Spec{
	TypeName: "document",
	Description: "Any KAZOO document that no typed resource covers, in any collection of an account: " +
		"`collection` is its path under the account (`\"temporal_rules\"`, `\"lists/<list_id>/entries\"`), `data` the keys " +
		"Terraform manages. Keys other tools set in the document are kept and never shown as changes; the whole " +
		"document is in `document`. Updates use PATCH, or read, merge and POST where the endpoint has no PATCH. " +
		"Prefer a typed resource where one exists: it validates the document before KAZOO sees it.",
	Scope: engine.ScopeAccount,
	Patch: true,
	FreeForm: &engine.FreeForm{
		CollectionAttr: "collection",
		CollectionDescription: "The collection the document lives in: its path under `/v2/accounts/{account_id}/`, such as " +
			"`temporal_rules`, `skels` or `lists/<list_id>/entries`. Changing it creates the document anew in the other collection.",
		DataAttr: "data",
		DataDescription: "The keys of the document Terraform manages, as a JSON object (use `jsonencode`). Only these keys " +
			"are written and compared; a key removed from here is removed from the document. Keys starting with `_` or `pvt_` " +
			"are KAZOO's own and cannot be set.",
		DocumentAttr:        "document",
		DocumentDescription: "The whole document as KAZOO returns it, as JSON (decode it with `jsondecode`), including keys Terraform does not manage.",
	},
}
