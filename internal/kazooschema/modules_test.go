package kazooschema

import (
	"slices"
	"testing"
)

func TestModulesListsCallflowModules(t *testing.T) {
	mods := Modules("callflows")
	// 77 callflows.* schemas: the node (action), three parts of audio_macro and 73 modules.
	if len(mods) != 73 {
		t.Errorf("KAZOO 4.3 has 73 callflow modules, got %d: %v", len(mods), mods)
	}
	for _, want := range []string{"user", "ring_group", "voicemail", "menu", "device"} {
		if !slices.Contains(mods, want) {
			t.Errorf("module %q missing from %v", want, mods)
		}
	}
	if slices.Contains(mods, "action") {
		t.Error("callflows.action is the node schema, not a module")
	}
	if len(Modules("metaflows")) == 0 {
		t.Error("no metaflow modules")
	}
}

func TestClosest(t *testing.T) {
	mods := Modules("callflows")
	for in, want := range map[string]string{
		"ringgroup":  "ring_group",
		"RingGroup":  "ring_group",
		"voicemale":  "voicemail",
		"usr":        "user",
		"completely": "",
	} {
		if got := Closest(in, mods); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateCallflowNodes(t *testing.T) {
	cases := []struct {
		name, doc  string
		path, rule string
		suggestion string
	}{
		{"unknown module at the root", `{"numbers":["1"],"flow":{"module":"ringgroup","data":{}}}`,
			"flow.module", "error", "ring_group"},
		{"unknown module in a child", `{"numbers":["1"],"flow":{"module":"user","data":{},"children":{"_":{"module":"voicemale","data":{}}}}}`,
			"flow.children._.module", "error", "voicemail"},
		{"data of the wrong type", `{"numbers":["1"],"flow":{"module":"user","data":{},"children":{"_":{"module":"user","data":{"timeout":"twenty"}}}}}`,
			"flow.children._.data.timeout", "type", ""},
		{"data outside its enum", `{"numbers":["1"],"flow":{"module":"user","data":{"strategy":"all"}}}`,
			"flow.data.strategy", "enum", ""},
		{"data below its minimum", `{"numbers":["1"],"flow":{"module":"ring_group","data":{"endpoints":[{"id":"0123456789abcdef0123456789abcdef","endpoint_type":"user"}],"repeats":0}}}`,
			"flow.data.repeats", "minimum", ""},
		{"data missing a required key", `{"numbers":["1"],"flow":{"module":"ring_group","data":{}}}`,
			"flow.data.endpoints", "required", ""},
		{"metaflow module", `{"name":"d","metaflows":{"numbers":{"1":{"module":"transferr","data":{}}}}}`,
			"metaflows.numbers.1.module", "error", "transfer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			schema := "callflows"
			if tc.name == "metaflow module" {
				schema = "devices"
			}
			errs, err := Validate(schema, decode(t, tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			d, ok := errs[tc.path][tc.rule]
			if !ok {
				t.Fatalf("want %s.%s, got %v", tc.path, tc.rule, errs)
			}
			if d.Suggestion != tc.suggestion {
				t.Errorf("suggestion %q, want %q", d.Suggestion, tc.suggestion)
			}
			if len(errs) != 1 {
				t.Errorf("one failure expected, got %v", errs)
			}
		})
	}
}

func TestValidateAcceptsKnownModules(t *testing.T) {
	id := `"0123456789abcdef0123456789abcdef"`
	doc := `{"numbers":["1"],"flow":{"module":"user","data":{"id":` + id + `,"timeout":20},
		"children":{"_":{"module":"voicemail","data":{"id":` + id + `}},"timeout":{"module":"ring_group","data":{"endpoints":[{"id":` + id + `,"endpoint_type":"user"}]}}}}}`
	errs, err := Validate("callflows", decode(t, doc))
	if err != nil || errs != nil {
		t.Fatalf("valid flow rejected: %v %v", errs, err)
	}
}

func TestUnknownModuleMessageIsKazoos(t *testing.T) {
	errs, _ := Validate("callflows", decode(t, `{"numbers":["1"],"flow":{"module":"nope","data":{}}}`))
	if got := errs["flow.module"]["error"].Message; got != "unable to find callflow schema for module nope" {
		t.Errorf("message %q", got)
	}
}

func TestCoercible(t *testing.T) {
	for _, tc := range []struct {
		d    ErrorDetail
		want bool
	}{
		{ErrorDetail{Target: "integer", Value: "20"}, true},
		{ErrorDetail{Target: "integer", Value: "twenty"}, false},
		{ErrorDetail{Target: "boolean", Value: "true"}, true},
		{ErrorDetail{Target: "string, integer", Value: "1.5"}, false},
		{ErrorDetail{Target: "number", Value: "1.5"}, true},
		{ErrorDetail{Target: "integer", Value: 20.5}, false},
	} {
		if got := tc.d.Coercible(); got != tc.want {
			t.Errorf("%+v: Coercible() = %v", tc.d, got)
		}
	}
}
