package engine

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var listEntrySpec = Spec{TypeName: "list_entry", Collection: "entries", Schema: "list_entries", Patch: true,
	Parent: &Parent{Attr: "list_id", Collection: "lists"}}

// A nested document's paths run through the parent its value names; other specs are unchanged.
func TestNestedPaths(t *testing.T) {
	e := mustEngine(t, listEntrySpec)
	acct, list, id := "fedcba9876543210fedcba9876543210", "0123456789abcdef0123456789abcdef", "00112233445566778899aabbccddeeff"
	v := objectValue(t, e, `{"list_id":"`+list+`","number":"+12025550111"}`, map[string]tftypes.Value{})
	s := e.spec.at(v)
	if got, want := s.createPath(acct, id), "/v2/accounts/"+acct+"/lists/"+list+"/entries"; got != want {
		t.Errorf("createPath = %s, want %s", got, want)
	}
	if got, want := s.itemPath(acct, id), "/v2/accounts/"+acct+"/lists/"+list+"/entries/"+id; got != want {
		t.Errorf("itemPath = %s, want %s", got, want)
	}
	if got, want := s.listPath(acct), "/v2/accounts/"+acct+"/lists/"+list+"/entries"; got != want {
		t.Errorf("listPath = %s, want %s", got, want)
	}
	if e.spec.Collection != "entries" {
		t.Errorf("at changed the engine's own spec: %q", e.spec.Collection)
	}
	if !e.root.child("list_id").ov.RequiresReplace {
		t.Error("moving a document to another parent must create it anew")
	}
	if e.spec.parentMissing(v) {
		t.Error("the parent is set")
	}
	if !e.spec.parentMissing(objectValue(t, e, `{}`, map[string]tftypes.Value{})) {
		t.Error("no parent: parentMissing must say so")
	}
	plain := &Spec{Collection: "menus"}
	if plain.at(v) != plain {
		t.Error("a spec without Parent is used as it is")
	}
}

func TestParseNestedImport(t *testing.T) {
	s := &listEntrySpec
	acct, list, id := "fedcba9876543210fedcba9876543210", "0123456789abcdef0123456789abcdef", "00112233445566778899aabbccddeeff"
	if o, p, i, err := s.parseNestedImport(list + "/" + id); err != nil || o != "" || p != list || i != id {
		t.Errorf("<list_id>/<id>: %q %q %q %v", o, p, i, err)
	}
	if o, p, i, err := s.parseNestedImport(acct + "/" + list + "/" + id); err != nil || o != acct || p != list || i != id {
		t.Errorf("<account_id>/<list_id>/<id>: %q %q %q %v", o, p, i, err)
	}
	for _, bad := range []string{"", id, "/" + id, list + "/x", "x/" + list + "/" + id, "a/b/c/d"} {
		if _, _, _, err := s.parseNestedImport(bad); err == nil || !strings.Contains(err.Error(), `"<account_id>/<list_id>/<id>"`) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestNestedSpecChecks(t *testing.T) {
	for name, p := range map[string]*Parent{
		"unknown attribute": {Attr: "nope", Collection: "lists"},
		"no collection":     {Attr: "list_id"},
		"not a string":      {Attr: "profile", Collection: "lists"},
	} {
		s := listEntrySpec
		s.Parent = p
		if _, err := New(s, Options{}); err == nil {
			t.Errorf("%s: New accepted the spec", name)
		}
	}
	s := listEntrySpec
	s.Scope = ScopeSingleton
	if _, err := New(s, Options{}); err == nil {
		t.Error("a nested singleton must be refused")
	}
}

// A spec with NoDefaults plans nothing of its schema's defaults, at any depth, and leaves the
// shared schema alone.
func TestNoDefaults(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "t", Collection: "resource_templates", Schema: "resources", NoDefaults: true})
	for _, p := range []string{"weight_cost", "gateways.port", "media.audio"} {
		if f := e.fieldAt(p); f == nil || len(f.node.Default) != 0 {
			t.Errorf("%s keeps a default", p)
		}
	}
	carrier := mustEngine(t, Spec{TypeName: "c", Collection: "resources", Schema: "resources"})
	if f := carrier.fieldAt("gateways.port"); f == nil || string(f.node.Default) != "5060" {
		t.Errorf("the carriers' own schema lost its defaults: %v", f)
	}
}
