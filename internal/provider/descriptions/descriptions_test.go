package descriptions

import (
	"slices"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// shipped lists the schemas whose resources the provider generates or is planned to generate;
// each must have a complete description file. Every other file present is held to the same
// standard.
var shipped = []string{
	"accounts", "users", "devices", "callflows", "vmboxes", "groups",
	"conferences", "media", "menus", "temporal_rules", "temporal_rules_sets", "directories",
	"faxbox", "blacklists", "lists", "list_entries", "webhooks", "resources", "connectivity",
	"clicktocall", "cccps", "notifications", "limits", "whitelabel", "metaflows", "phone_numbers",
}

func TestEveryAttributeIsDescribed(t *testing.T) {
	schemas := Schemas()
	for _, name := range shipped {
		if !slices.Contains(schemas, name) {
			t.Errorf("%s.json is missing", name)
		}
	}
	for _, name := range schemas {
		t.Run(name, func(t *testing.T) {
			s, err := kazooschema.Get(name)
			if err != nil {
				t.Fatalf("%s.json names no KAZOO schema: %v", name, err)
			}
			paths := Paths(s)
			var missing []string
			for _, p := range paths {
				if _, ok := For(name, p); !ok {
					missing = append(missing, p)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%d attributes have no description:\n  %s", len(missing), strings.Join(missing, "\n  "))
			}
			var stale []string
			for p := range loaded[name] {
				if !slices.Contains(paths, p) {
					stale = append(stale, p)
				}
			}
			if len(stale) > 0 {
				slices.Sort(stale)
				t.Errorf("%d descriptions match no attribute:\n  %s", len(stale), strings.Join(stale, "\n  "))
			}
		})
	}
}

// TestDescriptionsAreWellFormed keeps the registry docs consistent: full sentences, no stray
// whitespace, balanced Markdown code spans.
func TestDescriptionsAreWellFormed(t *testing.T) {
	all, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for schema, m := range all {
		for p, d := range m {
			switch {
			case strings.TrimSpace(d) == "":
				t.Errorf("%s %s: empty description", schema, p)
			case d != strings.TrimSpace(d) || strings.Contains(d, "  ") || strings.Contains(d, "\n"):
				t.Errorf("%s %s: stray whitespace in %q", schema, p, d)
			case !strings.HasSuffix(d, ".") && !strings.HasSuffix(d, ".)"):
				t.Errorf("%s %s: does not end with a full stop: %q", schema, p, d)
			case strings.Count(d, "`")%2 != 0:
				t.Errorf("%s %s: unbalanced backticks: %q", schema, p, d)
			}
		}
	}
}

func TestForUnknown(t *testing.T) {
	if _, ok := For("devices", "no.such.path"); ok {
		t.Error("For found a description for a path that does not exist")
	}
	if _, ok := For("no_such_schema", "name"); ok {
		t.Error("For found a description in a schema that has no file")
	}
}

// TestPathsFollowTheWalk pins the walk on shapes the engine relies on: nested objects are
// descended into, lists of objects continue the path without an index, and maps, oneOf nodes
// and recursive references stop it.
func TestPathsFollowTheWalk(t *testing.T) {
	devices := Paths(kazooschema.MustGet("devices"))
	for _, want := range []string{"name", "sip", "sip.username", "caller_id.external.number", "call_restriction.*.action"} {
		if !slices.Contains(devices, want) {
			t.Errorf("devices: %q not walked", want)
		}
	}
	for _, leaf := range []string{"provision.combo_keys", "outbound_flags", "sip.custom_sip_headers"} {
		if !slices.Contains(devices, leaf) {
			t.Errorf("devices: %q missing", leaf)
		}
		for _, p := range devices {
			if strings.HasPrefix(p, leaf+".") {
				t.Errorf("devices: %q is a leaf but %q was walked", leaf, p)
			}
		}
	}
	users := Paths(kazooschema.MustGet("users"))
	if !slices.Contains(users, "profile.addresses.address") {
		t.Error("users: items of profile.addresses were not walked without an index")
	}
	callflows := Paths(kazooschema.MustGet("callflows"))
	for _, p := range callflows {
		if strings.HasPrefix(p, "flow.children.") {
			t.Errorf("callflows: recursive children were walked: %q", p)
		}
	}
	if !slices.Contains(callflows, "flow.children") {
		t.Error("callflows: flow.children missing")
	}
}

// TestPathsOnSyntheticShapes checks each rule of the walk on a hand-built tree, independent of
// what KAZOO's schemas happen to contain today.
func TestPathsOnSyntheticShapes(t *testing.T) {
	obj := func(props map[string]*kazooschema.Schema) *kazooschema.Schema {
		return &kazooschema.Schema{Type: []string{"object"}, Properties: props}
	}
	str := &kazooschema.Schema{Type: []string{"string"}}
	root := obj(map[string]*kazooschema.Schema{
		"plain":   obj(map[string]*kazooschema.Schema{"leaf": str}),
		"list":    {Type: []string{"array"}, Items: obj(map[string]*kazooschema.Schema{"item": str})},
		"scalars": {Type: []string{"array"}, Items: str},
		"map":     {Type: []string{"object"}, Properties: map[string]*kazooschema.Schema{"x": str}, AdditionalProperties: str},
		"pmap":    {Type: []string{"object"}, Properties: map[string]*kazooschema.Schema{"x": str}, PatternProperties: map[string]*kazooschema.Schema{".+": str}},
		"choice":  {Properties: map[string]*kazooschema.Schema{"x": str}, OneOf: []*kazooschema.Schema{str}},
		"any":     {Properties: map[string]*kazooschema.Schema{"x": str}, AnyOf: []*kazooschema.Schema{str}},
		"loop":    {Properties: map[string]*kazooschema.Schema{"x": str}, Recursive: true},
		"mixed":   {Type: []string{"object", "string"}, Properties: map[string]*kazooschema.Schema{"x": str}},
		"null":    {Type: []string{"object", "null"}, Properties: map[string]*kazooschema.Schema{"x": str}},
		"free":    {Type: []string{"object"}},
		"omap":    {Type: []string{"object"}, AdditionalProperties: obj(map[string]*kazooschema.Schema{"v": str})},
		"opmap":   {Type: []string{"object"}, PatternProperties: map[string]*kazooschema.Schema{"^[0-9]+$": obj(map[string]*kazooschema.Schema{"v": str})}},
		"smap":    {Type: []string{"object"}, AdditionalProperties: str},
		"tree":    {Type: []string{"object"}, PatternProperties: map[string]*kazooschema.Schema{".+": {Recursive: true, Properties: map[string]*kazooschema.Schema{"x": str}}}},
	})
	got := Paths(root)
	want := []string{
		"any", "choice", "free", "list", "list.item", "loop", "map", "mixed", "null", "null.x",
		"omap", "omap.*.v", "opmap", "opmap.*.v", "plain", "plain.leaf", "pmap", "scalars", "smap", "tree",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Paths =\n  %v\nwant\n  %v", got, want)
	}
}
