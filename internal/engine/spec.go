// Package engine turns a description of a KAZOO document collection (a Spec) into a Terraform
// resource and data source: the schema derived from KAZOO's JSON schema facts, the conversion
// between KAZOO documents and Terraform values, and create/read/update/delete/import with
// KAZOO's semantics (client-chosen ids on PUT, PATCH of changed fields or GET+overlay+POST,
// 404 as "gone").
//
// A resource is data. Hand-written behaviour lives in a Spec's overrides and hooks, beside the
// Spec in the provider package.
package engine

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// Scope says where a resource's documents live and how they are addressed.
type Scope int

const (
	// ScopeAccount is a collection under an account:
	// PUT /v2/accounts/{account_id}/{collection}, then /v2/accounts/{account_id}/{collection}/{id}.
	ScopeAccount Scope = iota
	// ScopeAccounts is KAZOO's account tree: PUT /v2/accounts/{parent_id} creates a child and the
	// child is then /v2/accounts/{id}. The resource has parent_id instead of account_id.
	ScopeAccounts
	// ScopeSingleton is one document per account at /v2/accounts/{account_id}/{collection}
	// (limits, whitelabel). Its id is the account's id.
	ScopeSingleton
	// ScopeKeyed is a collection whose documents are named by a value the user chooses (phone
	// numbers): /v2/accounts/{account_id}/{collection}/{key}. The key is the attribute KeyAttr
	// and the document's id.
	ScopeKeyed
)

// Spec describes one KAZOO document collection as a Terraform resource and data source.
type Spec struct {
	// TypeName is the resource type without the provider prefix ("device" for kazoo_device).
	TypeName string
	// Description is the resource's Markdown description.
	Description string
	// DataSourceDescription is the data source's Markdown description.
	DataSourceDescription string
	// Collection is the URL segment of the collection ("devices").
	Collection string
	// Schema is the kazooschema name the document is validated with ("devices").
	Schema string
	// Patch is true when the item path accepts PATCH; otherwise updates GET, overlay the planned
	// fields and POST the whole document.
	Patch bool
	// Scope says how documents are addressed.
	Scope Scope
	// NoDefaults drops every default of Schema: KAZOO applies none to this collection's
	// documents (resource templates borrow the carriers' schema without being checked by it).
	NoDefaults bool
	// Parent is set for a collection nested below a document of another collection (list
	// entries below their list); see nested.go.
	Parent *Parent

	// KeyAttr names the key attribute of ScopeKeyed (for example "number"); KeyDescription
	// describes it.
	KeyAttr        string
	KeyDescription string
	// KeyInBody creates a keyed document with PUT on the collection carrying the key as data.id
	// (4.3's notifications have no PUT on the item), instead of PUT on the item.
	KeyInBody bool
	// KeyValidators check the key at plan time (a phone number must be E.164).
	KeyValidators []validator.String
	// KeyFilter is the document key Crossbar's list filters compare with the key (phone
	// numbers: "_id", the number), for a ScopeKeyed collection whose listing can be narrowed
	// to one key: its list resource then takes filter_<KeyAttr>, sent as filter_<KeyFilter>.
	KeyFilter string
	// CreateWithPost makes create GET the document, overlay the planned fields and POST it, for
	// singletons KAZOO creates on the first POST (limits).
	CreateWithPost bool
	// NoDelete is true for documents KAZOO cannot delete (limits): destroying the resource only
	// forgets it.
	NoDelete bool

	// Overrides adjust individual attributes, keyed by dotted JSON path ("sip.password").
	Overrides map[string]Override
	// Additional declares top-level document keys that the schema does not model but that the
	// resource exposes as typed attributes (for example keys KAZOO computes on read).
	Additional []Additional
	// Descriptions describes attributes the description files do not cover (those declared in
	// Additional and their children), keyed by dotted JSON path.
	Descriptions map[string]string
	// WriteOnlySecrets names top-level string attributes that KAZOO never returns (user
	// "password"). Each keeps the value Terraform sent, is never compared with the server, and
	// gets a write-only twin "<name>_wo" with a "<name>_wo_version" trigger.
	WriteOnlySecrets []string
	// SendSecretWith names, for a write-only secret, the top-level keys KAZOO accepts only
	// together with the secret: an update that sets one of them to a new value sends the
	// configured secret (or its write-only twin) as well, changed or not. KAZOO hashes a user's password with the
	// username, so it refuses a new username without the password.
	SendSecretWith map[string][]string
	// GoneWithoutRevision treats a GET answered without a revision as "not found": KAZOO makes
	// up a conference for any id it does not have (see gone.go).
	GoneWithoutRevision bool
	// ErrorPaths maps a key KAZOO reports validation errors under, when it names no attribute,
	// to the dotted JSON path of the attribute concerned ("numbers" → "conference_numbers").
	ErrorPaths map[string]string
	// AlwaysSend lists top-level keys that every update sends with their planned or current
	// value, even when unchanged (KAZOO refuses a device update without device_type).
	AlwaysSend []string

	// FreeForm, when set, makes a resource without a schema for any collection (kazoo_document).
	FreeForm *FreeForm

	// Locals are attributes kept only in Terraform (never document keys), for hooks to act on.
	Locals []Local

	// Lookups are the ways the data source finds a document besides its id.
	Lookups []Lookup
	// NoLookupByID is true when the data source cannot be looked up by id (it then needs one of
	// the Lookups).
	NoLookupByID bool

	// Hooks are escape hatches for behaviour that is truly special to one resource.
	Hooks Hooks
}

// Override adjusts one attribute derived from the schema.
type Override struct {
	// Exclude drops the attribute (and everything under it) from the resource.
	Exclude bool
	// Sensitive hides the value in plans and logs.
	Sensitive bool
	// Optional makes an attribute the schema requires optional, for documents KAZOO does not
	// check against the schema they borrow (resource templates use the carriers' schema).
	Optional bool
	// ComputedOnly makes the attribute read-only: KAZOO sets it, Terraform only mirrors it.
	ComputedOnly bool
	// NotComputed makes an optional top-level attribute not computed: the configuration alone
	// says what it holds. Left out of the configuration it is null in the plan and the state,
	// and KAZOO's value is neither sent nor read (an import reads it once). A list of objects
	// needs it for its items to hold write-only twins of their secrets (item_secrets.go): the
	// framework refuses write-only attributes under a computed one.
	NotComputed bool
	// RequiresReplace forces a new document when the value changes.
	RequiresReplace bool
	// JSON models the node as a JSON string attribute instead of typed attributes.
	JSON bool
	// Normalize names a string normaliser (see RegisterNormalizer). KAZOO's stored spelling and
	// the configured one are equal when they normalise to the same string, so the configured
	// spelling stays in state. For lists of strings it applies to each element.
	Normalize string
	// Name renames the Terraform attribute (the JSON key stays the same).
	Name string
	// Shape replaces the node's schema facts for a node KAZOO's schema leaves free-form but
	// documents elsewhere (a group's endpoints: id -> { type, weight }). The node is then
	// modelled from Shape like any schema node; descriptions of what it adds come from
	// Spec.Descriptions.
	Shape *kazooschema.Schema
	// KeySet models a map whose values carry nothing (KAZOO's blacklist numbers: number -> {})
	// as a set of its keys: a member added is sent as key: {}, a member removed as key: null.
	KeySet bool
	// KeepWhenAbsent keeps the planned (or prior) value when KAZOO's document lacks the key:
	// KAZOO drops some values that equal a server-side default (a device's sip.realm equal to
	// the account's realm), and reading them back as null would plan them again forever.
	KeepWhenAbsent bool
	// RefersTo names the resource types (TypeName: "user", "media") whose document ids the
	// attribute holds, so that tools writing configuration (kazoo-export) write a reference
	// (kazoo_user.alice.id) instead of the id. A list or map holds ids in its elements (a map
	// also in its keys); a JSON attribute may hold them anywhere inside (callflow flow nodes).
	// "*" means any type. It changes nothing in the resource itself.
	RefersTo []string
	// ServerDefault says KAZOO may give the attribute a value of its own choosing when a create
	// leaves it out (not a schema default): it is planned unknown on create instead of as its
	// schema default or null (an account's realm, a user's generated username).
	ServerDefault bool
	// RefilledWhenRemoved says KAZOO gives the attribute a value of its own again whenever an
	// update leaves it out (an account's realm and timezone): removed from the configuration,
	// it keeps its value and is no longer managed, instead of being sent as removed (KAZOO
	// would choose anew: a new realm breaks every registration of the account).
	RefilledWhenRemoved bool
	// Recompute says when KAZOO gives a ComputedOnly attribute a new value on an update. Nil:
	// never; the attribute keeps its prior value in the plan.
	Recompute *Recompute
	// ListFilter is the key Crossbar's list filters compare a top-level attribute by, when the
	// documents the listing filters hold it under another key (a phone number's used_by is
	// stored as pvt_used_by): the list resource's filter_<name> is sent as filter_<ListFilter>.
	ListFilter string
	// NoListFilter drops the list resource's filter_<name> argument of an attribute the
	// documents the listing filters never hold (a phone number's create_with_state).
	NoListFilter bool
}

// Recompute describes what a ComputedOnly attribute is computed from.
type Recompute struct {
	// From lists the attributes the value is computed from (document attributes or locals);
	// empty: every document attribute. A planned value of one of them only known at apply
	// makes the attribute unknown.
	From []string
	// Digest returns what of the document the value depends on (the ids a callflow's flow
	// refers to); the attribute is planned unknown when the digests of the prior and planned
	// documents differ. Nil compares the From keys whole.
	Digest func(doc map[string]any) any
}

// Additional is a top-level attribute for a key outside the schema.
type Additional struct {
	// Key is the JSON key in the document.
	Key string
	// Schema gives its facts (type, limits). A node without properties of type object, or
	// JSON set in Override, is a JSON string.
	Schema *kazooschema.Schema
	// Description is the attribute's Markdown description.
	Description string
	// Override applies as if it were in Spec.Overrides.
	Override Override
	// Required makes the attribute a required argument (KAZOO refuses the document without it).
	Required bool
}

// Lookup is one way for the data source to find a document: list the collection (filtered on
// the server by Filter when set), keep the rows whose summary value at SummaryKey equals (or,
// for a list, contains) the argument, and GET the single match.
type Lookup struct {
	// Attr is the data source argument. When it names a top-level document attribute, that
	// attribute becomes Optional+Computed; otherwise a new optional string argument is added.
	Attr string
	// Description describes a new argument.
	Description string
	// Filter is the Crossbar filter key (without "filter_") applied on the server, or "".
	Filter string
	// SummaryKey is the key in the list rows that holds the value.
	SummaryKey string
	// Normalize names a normaliser applied to both sides before comparing.
	Normalize string
}

// Hooks customise the engine for one resource.
type Hooks struct {
	// BeforeWrite may change the document about to be sent on create (patch is false) or the
	// patch about to be sent on update (patch is true).
	BeforeWrite func(ctx context.Context, doc map[string]any, patch bool) error
	// ConfigValidators check the resource's configuration as a whole (for example "at least
	// one of numbers or patterns").
	ConfigValidators []resource.ConfigValidator
	// AfterWrite runs after a successful create or update (also when only locals changed), for
	// what a document write cannot carry (uploading media audio). It returns KAZOO's latest
	// answer for the document, or nil to keep the write's. When it fails, the state keeps the
	// prior locals so that the next apply tries again.
	AfterWrite func(ctx context.Context, w WriteContext) (json.RawMessage, error)
	// Gone reports whether a document KAZOO answers for is not the resource's (a notification
	// without account_overridden is the system template the account inherits): Read then
	// removes the resource from the state, as for a 404.
	Gone func(doc map[string]any) bool
	// ReadKey names the key of a GET answer that holds the document, for endpoints that wrap it
	// (4.3's /security answers {"account": {...}, "inherited_config": {...}} but takes the
	// document itself on writes).
	ReadKey string
	// ListPath returns the path listed by data source lookups, when it is not the collection
	// (accounts list their children).
	ListPath func(accountID string) string
}

// docFromJSON decodes a JSON object with numbers kept exact.
func docFromJSON(b []byte) (map[string]any, error) {
	var doc map[string]any
	if err := decodeJSON(b, &doc); err != nil {
		return nil, err
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return doc, nil
}

func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytesReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
