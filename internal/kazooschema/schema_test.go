package kazooschema

import "testing"

func TestEveryGeneratedSchemaResolves(t *testing.T) {
	for _, n := range Names() {
		if _, err := Get(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func TestDeviceFacts(t *testing.T) {
	s := MustGet("devices")
	name := s.Properties["name"]
	if name == nil || !name.HasType("string") || *name.MaxLength != 128 || *name.MinLength != 1 {
		t.Fatalf("devices.name facts wrong: %+v", name)
	}
	if !s.IsRequired("name") {
		t.Error("devices.name must be required")
	}
	// caller_id is a $ref to the caller_id schema: it must be expanded in place.
	cid := s.Properties["caller_id"]
	if cid.Ref != "caller_id" || cid.Properties["external"] == nil {
		t.Fatalf("caller_id ref not resolved: %+v", cid)
	}
	if got := s.Properties["enabled"].DefaultValue(); got != true {
		t.Errorf("devices.enabled default = %v, want true", got)
	}
}

func TestRecursiveCallflowNodeIsALeaf(t *testing.T) {
	flow := MustGet("callflows").Properties["flow"]
	if flow == nil || flow.Ref != "callflows.action" {
		t.Fatalf("flow: %+v", flow)
	}
	children := flow.Properties["children"]
	if children == nil {
		t.Fatal("callflows.action has no children property")
	}
	var recursive bool
	for _, sub := range []*Schema{children.AdditionalProperties} {
		if sub != nil && sub.Recursive {
			recursive = true
		}
	}
	for _, sub := range children.PatternProperties {
		if sub.Recursive {
			recursive = true
		}
	}
	if !recursive {
		t.Errorf("children of a callflow node should refer back to callflows.action: %+v", children)
	}
}
