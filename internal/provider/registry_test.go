package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider/descriptions"
)

// Every attribute of every engine resource and data source has a description, and every
// schema passes the framework's own checks.
func TestEveryAttributeIsDescribed(t *testing.T) {
	ctx := context.Background()
	for _, newRes := range resources() {
		r := newRes()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "kazoo"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s: %v", meta.TypeName, diags)
		}
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no description", meta.TypeName)
		}
		var missing []string
		walkResource(resp.Schema.Attributes, "", &missing)
		if len(missing) > 0 {
			sort.Strings(missing)
			t.Errorf("%s: %d attributes without description:\n  %s", meta.TypeName, len(missing), strings.Join(missing, "\n  "))
		}
	}
	for _, newDS := range dataSources() {
		d := newDS()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "kazoo"}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("data source %s: %v", meta.TypeName, diags)
		}
		var missing []string
		walkDataSource(resp.Schema.Attributes, "", &missing)
		if len(missing) > 0 {
			sort.Strings(missing)
			t.Errorf("data source %s: %d attributes without description:\n  %s", meta.TypeName, len(missing), strings.Join(missing, "\n  "))
		}
	}
}

func walkResource(attrs map[string]rschema.Attribute, prefix string, missing *[]string) {
	for name, a := range attrs {
		p := prefix + name
		if a.GetMarkdownDescription() == "" {
			*missing = append(*missing, p)
		}
		switch n := a.(type) {
		case rschema.SingleNestedAttribute:
			walkResource(n.Attributes, p+".", missing)
		case rschema.ListNestedAttribute:
			walkResource(n.NestedObject.Attributes, p+".", missing)
		case rschema.MapNestedAttribute:
			walkResource(n.NestedObject.Attributes, p+".*.", missing)
		}
	}
}

func walkDataSource(attrs map[string]dschema.Attribute, prefix string, missing *[]string) {
	for name, a := range attrs {
		p := prefix + name
		if a.GetMarkdownDescription() == "" {
			*missing = append(*missing, p)
		}
		switch n := a.(type) {
		case dschema.SingleNestedAttribute:
			walkDataSource(n.Attributes, p+".", missing)
		case dschema.ListNestedAttribute:
			walkDataSource(n.NestedObject.Attributes, p+".", missing)
		case dschema.MapNestedAttribute:
			walkDataSource(n.NestedObject.Attributes, p+".*.", missing)
		}
	}
}

// The engine walks a schema exactly as descriptions.Paths does, so every description file
// entry lines up with an attribute.
func TestEnginePathsMatchDescriptionPaths(t *testing.T) {
	for _, s := range specs {
		if s.FreeForm != nil {
			continue // no schema: nothing to describe
		}
		got, err := engine.Paths(&s)
		if err != nil {
			t.Fatal(err)
		}
		sch, err := kazooschema.Get(s.Schema)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, p := range descriptions.Paths(sch) {
			want[p] = true
		}
		additional := map[string]bool{}
		for _, a := range s.Additional {
			additional[a.Key] = true
		}
		for _, p := range got {
			top := strings.SplitN(p, ".", 2)[0]
			if !want[p] && !additional[top] && !underShapeOverride(s, p) {
				t.Errorf("%s: the engine has %s, descriptions.Paths does not", s.TypeName, p)
			}
			delete(want, p)
		}
		for p := range want {
			if !underJSONOverride(s, p) {
				t.Errorf("%s: descriptions.Paths has %s, the engine does not", s.TypeName, p)
			}
		}
	}
}

// underShapeOverride reports whether p lies inside an attribute whose shape the spec gives
// (Override.Shape); the spec describes what it adds.
func underShapeOverride(s engine.Spec, p string) bool {
	for q, ov := range s.Overrides {
		if ov.Shape != nil && strings.HasPrefix(p, q+".") {
			return true
		}
	}
	return false
}

// underJSONOverride reports whether p lies inside an attribute the spec models as JSON.
func underJSONOverride(s engine.Spec, p string) bool {
	for q, ov := range s.Overrides {
		if (ov.JSON || ov.Exclude) && strings.HasPrefix(p, q+".") {
			return true
		}
	}
	return false
}

// The only KAZOO keys renamed for Terraform are the ones recorded here; a schema update that
// adds one shows up in this test.
func TestRenamedAttributes(t *testing.T) {
	want := map[string][]string{
		"user":       {"profile.sort-string -> sort_string"},
		"list_entry": {"profile.sort-string -> sort_string"},
		// Terraform names are lower case.
		"connectivity": {"servers.DIDs -> dids"},
		// FreeSWITCH's conference profile parameters are hyphenated.
		"conference": {"profile.alone-sound -> alone_sound", "profile.announce-count -> announce_count",
			"profile.caller-controls -> caller_controls", "profile.comfort-noise -> comfort_noise",
			"profile.energy-level -> energy_level", "profile.enter-sound -> enter_sound", "profile.exit-sound -> exit_sound",
			"profile.locked-sound -> locked_sound", "profile.max-members -> max_members",
			"profile.max-members-sound -> max_members_sound", "profile.moderator-controls -> moderator_controls",
			"profile.moh-sound -> moh_sound", "profile.muted-sound -> muted_sound", "profile.unmuted-sound -> unmuted_sound"},
		// account_id is the engine's own attribute name, also inside nested objects.
		"account_security": {"auth_modules.cb_api_auth.multi_factor.account_id -> account_id_value",
			"auth_modules.cb_auth.multi_factor.account_id -> account_id_value",
			"auth_modules.cb_ip_auth.multi_factor.account_id -> account_id_value",
			"auth_modules.cb_ubiquiti_auth.multi_factor.account_id -> account_id_value",
			"auth_modules.cb_user_auth.multi_factor.account_id -> account_id_value"},
	}
	for _, s := range specs {
		got, err := engine.Renames(&s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != strings.Join(want[s.TypeName], ",") {
			t.Errorf("%s renames %v, want %v", s.TypeName, got, want[s.TypeName])
		}
	}
}
