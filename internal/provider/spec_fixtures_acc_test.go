package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// The tests of features every resource type gets from the engine (resource identity, list
// resources, generated configuration) run over the registered specs, so that a new resource is
// covered as soon as it is registered. Each needs one object of the type: by default the
// document holds what its KAZOO schema requires (and a unique name), generated from the
// schema; specFixtures gives the document and its configuration where KAZOO's code asks for
// more than the schema says.

// specFixture makes one object of a resource type: as a KAZOO document created out of band,
// and as the body of a resource block that creates the same kind of object.
type specFixture struct {
	doc func(name string) map[string]any
	hcl func(name string) string
	// key returns the key of a ScopeKeyed document (the number of a phone number).
	key func() string
	// collection is where a FreeForm document is made (kazoo_document).
	collection string
	// filterKey is the document key the objects are told apart by in a list when the type has
	// no name attribute (sent through the list's filters map).
	filterKey string
}

// notificationTemplates hands out system template names for kazoo_notification fixtures.
var notificationTemplates = struct {
	sync.Mutex
	next int
}{}

func nextNotificationTemplate() string {
	names := []string{"voicemail_full", "missed_call", "new_user", "deregister", "fax_inbound_to_email", "port_request"}
	notificationTemplates.Lock()
	defer notificationTemplates.Unlock()
	notificationTemplates.next++
	return names[notificationTemplates.next%len(names)]
}

// specFixtures are the types whose minimal object the schema alone does not describe.
var specFixtures = map[string]specFixture{
	// An account's version of a system template, keyed by the template's name.
	"notification": {
		doc: func(name string) map[string]any {
			return map[string]any{"from": "noc@example.com", "subject": name, "to": map[string]any{"type": "original"}}
		},
		key:       nextNotificationTemplate,
		filterKey: "subject",
	},
	"callflow": {
		doc: func(name string) map[string]any {
			return map[string]any{"name": name, "numbers": []any{"+1" + nanpNumber()}, "flow": map[string]any{"module": "offnet", "data": map[string]any{}}}
		},
		hcl: func(name string) string {
			return fmt.Sprintf("  name    = %q\n  numbers = [%q]\n  flow    = jsonencode({ module = \"offnet\", data = {} })\n", name, "+1"+nanpNumber())
		},
	},
	"vmbox": {
		doc: func(name string) map[string]any { return map[string]any{"name": name, "mailbox": randomDigits(7)} },
		hcl: func(name string) string {
			return fmt.Sprintf("  name    = %q\n  mailbox = %q\n", name, randomDigits(7))
		},
	},
	"user": {
		doc: func(name string) map[string]any {
			return map[string]any{"first_name": name, "last_name": "Fixture"}
		},
		hcl: func(name string) string { return fmt.Sprintf("  first_name = %q\n  last_name  = \"Fixture\"\n", name) },
	},
	"document": {
		collection: "multi_factor",
		filterKey:  "name",
		doc: func(name string) map[string]any {
			return map[string]any{"name": name, "provider_name": "duo", "enabled": false}
		},
		hcl: func(name string) string {
			return fmt.Sprintf("  collection = \"multi_factor\"\n  data       = jsonencode({ name = %q, provider_name = \"duo\", enabled = false })\n", name)
		},
	},
	"webhook": {
		doc: func(name string) map[string]any {
			return map[string]any{"name": name, "uri": "https://hooks.example.com/" + name, "hook": "channel_create"}
		},
	},
	// Calling card entries have no name: they are told apart by their comment, and KAZOO wants
	// each caller ID unique.
	"cccp": {
		filterKey: "comment",
		doc: func(name string) map[string]any {
			return map[string]any{"cid": "+1" + nanpNumber(), "comment": name}
		},
	},
	// List entries have no name: they are told apart by their display name.
	"list_entry": {
		filterKey: "displayname",
		doc:       func(name string) map[string]any { return map[string]any{"displayname": name} },
	},
	// KAZOO requires only a template name of a carrier template.
	"resource_template": {
		doc: func(name string) map[string]any { return map[string]any{"name": name, "template_name": name} },
	},
	"account": {
		doc: func(name string) map[string]any { return map[string]any{"name": name, "realm": name + ".example.com"} },
		hcl: func(name string) string {
			return fmt.Sprintf("  name  = %q\n  realm = %q\n", name, name+".example.com")
		},
	},
}

// typeSpec is one registered spec with what the table tests need of it.
type typeSpec struct {
	engine.Spec
	fx specFixture
	// nameAttr is the attribute the objects are told apart by ("name", or "first_name" for
	// users), or "" when the type has none.
	nameAttr string
	// parent is the id of the document the objects of a nested collection (list entries) are
	// made below: one made out of band for the test, of the parent's registered type.
	parent string
}

func (s typeSpec) typeName() string { return "kazoo_" + s.TypeName }

// listArgs are the list configuration's arguments that pick the object o out of the account
// (none when the type has nothing to tell it apart by, or o is the zero value: every object),
// and the collection of a FreeForm type.
func (s typeSpec) listArgs(o created) (args string, filtered bool) {
	if s.FreeForm != nil {
		args = fmt.Sprintf("%s = %q\n", s.FreeForm.CollectionAttr, s.fx.collection)
	}
	if s.Parent != nil {
		args += fmt.Sprintf("filter_%s = %q\n", s.Parent.Attr, s.parent)
	}
	switch {
	case o.name == "" || s.Scope == engine.ScopeSingleton:
		return args, false
	case s.nameAttr != "":
		return args + fmt.Sprintf("filter_%s = %q\n", s.nameAttr, o.name), true
	case s.fx.filterKey != "":
		return args + fmt.Sprintf("filters = { %q = %q }\n", s.fx.filterKey, o.name), true
	case s.KeyFilter != "":
		// A keyed document found by its key (a phone number by the number).
		return args + fmt.Sprintf("filter_%s = %q\n", s.KeyAttr, o.id), true
	}
	return args, false
}

// registeredTypes lists every registered spec with its fixture. Like resource.Test, it skips
// the test unless TF_ACC is set: the tests that use it reach KAZOO before any test step.
func registeredTypes(t *testing.T) []typeSpec {
	t.Helper()
	accOnly(t)
	var out []typeSpec
	for _, spec := range provider.RegisteredSpecs() {
		ts := typeSpec{Spec: spec, fx: specFixtures[spec.TypeName]}
		sch := &kazooschema.Schema{} // a FreeForm spec has none
		if spec.Schema != "" {
			var err error
			if sch, err = kazooschema.Get(spec.Schema); err != nil {
				t.Fatalf("%s: %v", spec.TypeName, err)
			}
		}
		for _, n := range []string{"name", "first_name"} {
			_, inSchema := sch.Properties[n]
			if inSchema || slices.ContainsFunc(spec.Additional, func(a engine.Additional) bool { return a.Key == n }) {
				ts.nameAttr = n
				break
			}
		}
		if ts.fx.doc == nil {
			ts.fx.doc = func(name string) map[string]any { return minimalDoc(sch, name) }
		}
		if p := spec.Parent; p != nil {
			ts.parent = parentOutOfBand(t, out, p.Collection)
			doc := ts.fx.doc
			ts.fx.doc = func(name string) map[string]any {
				d := doc(name)
				d[p.Attr] = ts.parent
				return d
			}
		}
		if ts.fx.hcl == nil {
			attrs := provider.ResourceSchema(spec.TypeName).Attributes
			ts.fx.hcl = func(name string) string { return hclBody(ts.fx.doc(name), attrs, "  ") }
		}
		if ts.fx.key == nil {
			ts.fx.key = func() string { return "+1" + nanpNumber() }
		}
		if spec.Scope == engine.ScopeKeyed {
			body := ts.fx.hcl
			ts.fx.hcl = func(name string) string { return fmt.Sprintf("  %s = %q\n", spec.KeyAttr, ts.fx.key()) + body(name) }
		}
		out = append(out, ts)
	}
	return out
}

// parentOutOfBand makes, out of band, a document of the registered type (among types) whose
// collection is collection, for the documents of a nested collection to live below.
func parentOutOfBand(t *testing.T, types []typeSpec, collection string) string {
	t.Helper()
	for _, ts := range types {
		if ts.Collection == collection && ts.Parent == nil {
			return ts.createOutOfBand(t, acctest.RandomName("parent")).id
		}
	}
	t.Fatalf("no registered type has the collection %q", collection)
	return ""
}

// accOnly skips an acceptance test that does more than resource.Test (which skips by itself)
// unless TF_ACC is set.
func accOnly(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
}

// minimalDoc is a document holding what a schema requires, strings set to name (or the first
// value of their enum), and name itself when the schema has a name.
func minimalDoc(s *kazooschema.Schema, name string) map[string]any {
	doc := map[string]any{}
	for _, key := range s.Required {
		if p := s.Properties[key]; p != nil {
			doc[key] = minimalValue(p, name)
		}
	}
	if _, ok := s.Properties["name"]; ok {
		doc["name"] = name
	}
	return doc
}

func minimalValue(s *kazooschema.Schema, name string) any {
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.Type) == 0:
		return name
	}
	switch s.Type[0] {
	case "object":
		return minimalDoc(s, name)
	case "array":
		return []any{}
	case "integer", "number":
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 1
	case "boolean":
		return true
	}
	return name
}

// hclBody writes a document as the attributes of a resource block with the given attributes:
// an object or list held by a JSON string attribute is written with jsonencode.
func hclBody(doc map[string]any, attrs map[string]rschema.Attribute, indent string) string {
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := hclValue(doc[k], attrs[k], indent)
		if _, isString := attrs[k].(rschema.StringAttribute); isString {
			if _, plain := doc[k].(string); !plain {
				v = "jsonencode(" + v + ")"
			}
		}
		fmt.Fprintf(&b, "%s%s = %s\n", indent, k, v)
	}
	return b.String()
}

func hclValue(v any, a rschema.Attribute, indent string) string {
	switch x := v.(type) {
	case map[string]any:
		var nested map[string]rschema.Attribute
		if sn, ok := a.(rschema.SingleNestedAttribute); ok {
			nested = sn.Attributes
		}
		return "{\n" + hclBody(x, nested, indent+"  ") + indent + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = hclValue(e, nil, indent)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

// created is one object made out of band.
type created struct {
	owner, id, name string
}

// createOutOfBand creates an object of the type in the provider's account (a sub-account of
// it for kazoo_account) with the client, and deletes it when the test ends.
func (s typeSpec) createOutOfBand(t *testing.T, name string) created {
	t.Helper()
	ctx := context.Background()
	c := acctest.Client(t)
	owner := c.AccountID()
	doc := s.fx.doc(name)
	var id string
	var env *client.Envelope
	var err error
	spec := s.Spec
	if s.FreeForm != nil {
		spec.Collection = s.fx.collection
	}
	if s.Parent != nil {
		spec.Collection = s.Parent.Collection + "/" + s.parent + "/" + spec.Collection
	}
	switch s.Scope {
	case engine.ScopeSingleton:
		// The account's one document: written over what is there (PUT when KAZOO has none yet).
		id = owner
		env, err = c.Post(ctx, s.ItemPath(owner, id), doc)
		if errors.Is(err, client.ErrNotFound) {
			env, err = c.Put(ctx, s.ItemPath(owner, id), doc)
		}
	case engine.ScopeKeyed:
		id = s.fx.key()
		if s.KeyInBody {
			doc["id"] = id // notifications: PUT on the collection
		}
		env, err = c.Put(ctx, s.CreatePath(owner, id), doc)
	default:
		env, err = c.Put(ctx, spec.CreatePath(owner, ""), doc)
	}
	if err != nil {
		t.Fatalf("creating a %s out of band: %v", s.typeName(), err)
	}
	if id == "" {
		var got struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(env.Data, &got); err != nil || got.ID == "" {
			t.Fatalf("creating a %s out of band: no id in %s", s.typeName(), env.Data)
		}
		id = got.ID
	}
	if !s.NoDelete && s.Scope != engine.ScopeSingleton {
		t.Cleanup(func() {
			_, _ = c.Delete(context.Background(), spec.ItemPath(owner, id))
		})
	}
	return created{owner: owner, id: id, name: name}
}

// identityOf is the identity a created object must have.
func (s typeSpec) identityOf(o created) map[string]string {
	if s.FreeForm != nil {
		return map[string]string{"account_id": o.owner, s.FreeForm.CollectionAttr: s.fx.collection, "id": o.id}
	}
	if s.Parent != nil {
		return map[string]string{"account_id": o.owner, s.Parent.Attr: s.parent, "id": o.id}
	}
	switch s.Scope {
	case engine.ScopeAccounts:
		return map[string]string{"parent_id": o.owner, "id": o.id}
	case engine.ScopeKeyed:
		return map[string]string{"account_id": o.owner, s.KeyAttr: o.id}
	case engine.ScopeSingleton:
		return map[string]string{"account_id": o.owner}
	}
	return map[string]string{"account_id": o.owner, "id": o.id}
}
