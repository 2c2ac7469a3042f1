package export

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"golang.org/x/text/unicode/norm"
)

// FuzzJSONAsHCL checks that a JSON document written as an HCL expression (inside jsonencode)
// reads back as the same document, whatever its strings and keys hold: quotes, ${ and %{
// sequences, newlines, backslashes, keywords. HCL (and so Terraform) reads every string in
// Unicode Normalization Form C, so a string KAZOO holds in another form (U+0387 GREEK ANO
// TELEIA) comes back as its NFC equivalent (U+00B7 MIDDLE DOT): that is the one change allowed.
func FuzzJSONAsHCL(f *testing.F) {
	for _, s := range []string{"plain", `q"uote`, "${var.x}", "%{ if true }x%{ endif }", "line\nbreak",
		`back\slash`, "true", "null", "1", "-", "a.b", "", "ünï", "$${x}", "\t\r"} {
		f.Add(s, s+"2")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		doc := map[string]any{a: []any{b, json.Number("1.5"), true, map[string]any{b: a}}, "k": b}
		w := &blockWriter{g: &generator{index: map[string]*Object{}}}
		src := w.json(doc, "", "").Bytes()
		expr, diags := hclsyntax.ParseExpression(src, "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s does not parse: %v", src, diags)
		}
		v, diags := expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s does not evaluate: %v", src, diags)
		}
		got, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(doc)
		want = []byte(norm.NFC.String(string(want)))
		var g, wnt any
		_ = json.Unmarshal(got, &g)
		_ = json.Unmarshal(want, &wnt)
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(wnt)
		if string(gj) != string(wj) {
			t.Fatalf("%s reads back as %s, want %s", src, gj, wj)
		}
	})
}
