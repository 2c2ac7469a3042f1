package engine

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The flow is checked node by node down its children: the module must be one KAZOO has, the
// data must fit that module's schema, and the error names the node's path on the flow attribute.
func TestValidateFlowNodes(t *testing.T) {
	e := mustEngine(t, testSpecs[3]) // callflows, flow as JSON
	id := `"0123456789abcdef0123456789abcdef"`
	cases := []struct {
		name, flow string
		want       []string // substrings of the one error's detail; none: valid
	}{
		{"valid tree", `{"module":"user","data":{"id":` + id + `,"timeout":20},"children":{"_":{"module":"voicemail","data":{"id":` + id + `}}}}`, nil},
		{"typo of a module", `{"module":"ringgroup","data":{}}`,
			[]string{`"flow.module"`, "unable to find callflow schema for module ringgroup", `Did you mean "ring_group"?`}},
		{"unknown module in a child", `{"module":"user","data":{},"children":{"_":{"module":"no_such_thing_at_all","data":{}}}}`,
			[]string{`"flow.children._.module"`, "no_such_thing_at_all"}},
		{"data of the wrong type", `{"module":"user","data":{},"children":{"_":{"module":"user","data":{"timeout":"twenty"}}}}`,
			[]string{`"flow.children._.data.timeout"`, "integer", "rule type"}},
		{"a number written as a string", `{"module":"user","data":{"timeout":"20"}}`,
			[]string{`"flow.data.timeout"`, "rule type", "Write 20 without quotes."}},
		{"data outside its enum", `{"module":"user","data":{"strategy":"everyone"}}`,
			[]string{`"flow.data.strategy"`, "rule enum"}},
		{"data missing a required key", `{"module":"ring_group","data":{"timeout":20}}`,
			[]string{`"flow.data.endpoints"`, "rule required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			e.validateJSONContents(objectValue(t, e, `{"numbers":["100"],"flow":`+tc.flow+`}`, nil), &diags)
			if len(tc.want) == 0 {
				if diags.HasError() {
					t.Fatalf("valid flow refused: %v", diags)
				}
				return
			}
			if diags.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", diags)
			}
			d := diags.Errors()[0]
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail %q lacks %q", d.Detail(), w)
				}
			}
			if p := d.(diag.DiagnosticWithPath).Path(); !p.Equal(path.Root("flow")) {
				t.Errorf("error on %v, want flow", p)
			}
		})
	}
}
