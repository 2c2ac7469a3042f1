package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// Split says how resources are spread over files.
const (
	// SplitAccount writes one file per account, named after it.
	SplitAccount = "account"
	// SplitType writes one file per resource type ("user.tf").
	SplitType = "type"
)

// SecretsFile holds the values of the sensitive variables; it is written with mode 0600 and
// listed in .gitignore.
const SecretsFile = "secrets.auto.tfvars"

// ProviderSource is the provider's registry address written in required_providers.
const ProviderSource = "kazoo-community/kazoo"

// Stats count what Generate wrote.
type Stats struct {
	// Objects is the number of resources (and import blocks) written; ByType splits it by
	// resource type ("kazoo_user").
	Objects int
	ByType  map[string]int
	// References counts ids written as references to exported documents; Literal the ids
	// that name documents outside the export and stay literal; Cycles the ids of exported
	// documents kept literal because a reference would close a cycle (Terraform refuses those).
	References, Literal, Cycles int
	// Secrets counts the sensitive values moved into variables.
	Secrets int
}

// Output is the generated configuration.
type Output struct {
	// Files maps file names to their content; SecretsFile has mode 0600, the others 0644.
	Files map[string][]byte
	Stats Stats
	// Problems name the objects left out, with the reason (a document the provider cannot
	// read).
	Problems []string
}

type generator struct {
	ctx     context.Context
	tree    *Tree
	index   map[string]*Object
	secrets []secret
	stats   Stats
	schemas map[string]rschema.Schema
	refs    map[string]map[string][]string
	// edges collects, during the first pass, which objects refer to which; broken are the
	// references written as literal ids because they would close a cycle.
	edges  map[*Object][]*Object
	broken map[edge]bool
}

// Generate writes the configuration for a tree: split is SplitAccount or SplitType.
func Generate(ctx context.Context, tree *Tree, split string) (*Output, error) {
	if split == "" {
		split = SplitAccount
	}
	if split != SplitAccount && split != SplitType {
		return nil, fmt.Errorf("unknown split %q: use %q or %q", split, SplitAccount, SplitType)
	}
	g := &generator{ctx: ctx, tree: tree, index: map[string]*Object{}, stats: Stats{ByType: map[string]int{}},
		schemas: map[string]rschema.Schema{}, refs: map[string]map[string][]string{}}
	order := map[*Account]int{}
	for i, a := range tree.Accounts {
		order[a] = i
	}
	assignLabels(tree.Objects, order)
	// First every object's state, so that one whose document cannot be read as the engine
	// would is left out (and said so) before anything refers to it.
	states := map[*Object]tftypes.Value{}
	var objs []*Object
	var problems []string
	for _, o := range tree.Objects {
		st, err := g.state(o)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s (%s): %v", o.Address(), o.ImportID(), err))
			continue
		}
		if o.Spec.Scope == engine.ScopeSingleton && !configures(g.schemas["kazoo_"+o.Spec.TypeName], st, o.Spec.OwnerAttr()) {
			continue // KAZOO answers its defaults for an account that never set any (limits)
		}
		states[o] = st
		if s := o.Spec.Scope; s == engine.ScopeAccount || s == engine.ScopeAccounts {
			g.index[o.ID] = o // documents with ids of their own, which others refer to
		}
		objs = append(objs, o)
	}
	typeOrder, err := dependencyOrder(objs)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		if ta, tb := typeOrder[a.Spec.TypeName], typeOrder[b.Spec.TypeName]; ta != tb {
			return ta < tb
		}
		return a.Label < b.Label
	})

	if err := g.breakCycles(objs, states, typeOrder); err != nil {
		return nil, err
	}

	files := map[string]*hclwrite.File{}
	var fileOrder []string
	for _, o := range objs {
		name := o.Spec.TypeName + ".tf"
		if split == SplitAccount {
			name = accountFile(o.Account)
		}
		f := files[name]
		if f == nil {
			f = hclwrite.NewEmptyFile()
			files[name] = f
			fileOrder = append(fileOrder, name)
		}
		if err := g.object(f.Body(), o, states[o]); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", o.Address(), o.ID, err)
		}
	}

	out := &Output{Files: map[string][]byte{}, Problems: problems}
	for _, name := range fileOrder {
		out.Files[name] = hclwrite.Format(files[name].Bytes())
	}
	out.Files["provider.tf"] = providerFile()
	if len(g.secrets) > 0 {
		vars, values := g.secretFiles()
		out.Files["variables.tf"] = vars
		out.Files[SecretsFile] = values
	}
	out.Files[".gitignore"] = []byte("# Values of the sensitive variables kazoo-export writes: keep them out of version control.\n" + SecretsFile +
		"\n# The state holds them too, and Terraform's working files.\n*.tfstate\n*.tfstate.*\n.terraform/\n")
	out.Stats = g.stats
	return out, nil
}

// dependencyOrder ranks the exported types so that a type comes after the types it refers to
// (users before the devices they own, callflows last), accounts first; ties keep the
// provider's order.
func dependencyOrder(objs []*Object) (map[string]int, error) {
	var types []string
	deps := map[string]map[string]bool{}
	for _, o := range objs {
		t := o.Spec.TypeName
		if deps[t] != nil {
			continue
		}
		types = append(types, t)
		refs, err := refsOf(o.Spec)
		if err != nil {
			return nil, err
		}
		deps[t] = map[string]bool{}
		for _, targets := range refs {
			for _, x := range targets {
				deps[t][x] = true
			}
		}
	}
	order := map[string]int{}
	placed := func(t string) bool { _, ok := order[t]; return ok }
	// A type whose documents may refer to any other (callflows) comes after all the others;
	// references to such a type (a user's directories naming callflows) do not hold others
	// back, so those are the ones cycles break (see breakCycles).
	ready := func(t string) bool {
		for _, u := range types {
			if u == t || placed(u) || u == "account" {
				continue
			}
			if (deps[t][u] && !deps[u]["*"]) || (deps[t]["*"] && !deps[u]["*"]) {
				return false
			}
		}
		return true
	}
	if deps["account"] != nil {
		order["account"] = 0
	}
	for len(order) < len(types) {
		next := ""
		for _, t := range types {
			if !placed(t) && ready(t) {
				next = t
				break
			}
		}
		if next == "" { // a cycle: keep the provider's order
			for _, t := range types {
				if !placed(t) {
					next = t
					break
				}
			}
		}
		order[next] = len(order)
	}
	return order, nil
}

// accountFile names the file of an account's resources after the account: its label when it
// is exported, else the slug of its name.
func accountFile(a *Account) string {
	if a.Object != nil && a.Object.Label != "" {
		return a.Object.Label + ".tf"
	}
	s := slug(a.Name)
	if s == "" {
		s = "account_" + a.ID
	}
	return s + ".tf"
}

// configures reports whether a state sets any configurable attribute besides the owner.
func configures(sch rschema.Schema, st tftypes.Value, owner string) bool {
	var attrs map[string]tftypes.Value
	if st.As(&attrs) != nil {
		return false
	}
	for name, a := range sch.Attributes {
		v := attrs[name]
		if name == owner || skipTop[name] || a.IsWriteOnly() || computedOnly(a) || !v.IsKnown() || v.IsNull() {
			continue
		}
		return true
	}
	return false
}

// state is what the configuration of an object says: the state the engine reads from its
// document once KAZOO's defaults are dropped.
func (g *generator) state(o *Object) (tftypes.Value, error) {
	typ := "kazoo_" + o.Spec.TypeName
	sch, ok := g.schemas[typ]
	if !ok {
		sch = resourceSchema(g.ctx, o.Engine)
		g.schemas[typ] = sch
		refs, err := refsOf(o.Spec)
		if err != nil {
			return tftypes.Value{}, err
		}
		g.refs[typ] = refs
	}
	doc, err := decodeDoc(o.Doc)
	if err != nil {
		return tftypes.Value{}, fmt.Errorf("KAZOO's document is not a JSON object: %w", err)
	}
	pruned, err := encodeDoc(withoutDefaults(o.Spec, doc))
	if err != nil {
		return tftypes.Value{}, err
	}
	return stateOf(g.ctx, o.Engine, sch, o.Owner, o.Parent, o.ID, pruned)
}

// object writes an object's import block and resource block.
func (g *generator) object(body *hclwrite.Body, o *Object, state tftypes.Value) error {
	typ := "kazoo_" + o.Spec.TypeName
	sch := g.schemas[typ]
	imp := body.AppendNewBlock("import", nil).Body()
	imp.SetAttributeTraversal("to", hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: o.Label}})
	imp.SetAttributeValue("id", cty.StringVal(o.ImportID()))
	body.AppendNewline()
	res := body.AppendNewBlock("resource", []string{typ, o.Label}).Body()
	w := &blockWriter{g: g, o: o, refs: g.refs[typ]}
	if err := w.block(res, sch, state); err != nil {
		return err
	}
	body.AppendNewline()
	g.stats.Objects++
	g.stats.ByType[typ]++
	return nil
}

func providerFile() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.AppendUnstructuredTokens(commentTokens("Written by kazoo-export. The provider reads KAZOO's URL and credentials from the same"))
	body.AppendUnstructuredTokens(commentTokens("KAZOO_* environment variables kazoo-export used (KAZOO_URL, KAZOO_API_KEY, …)."))
	tf := body.AppendNewBlock("terraform", nil).Body()
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("kazoo", cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal(ProviderSource)}))
	return hclwrite.Format(f.Bytes())
}

// secretFiles returns variables.tf (declarations, no values) and the tfvars with the values.
func (g *generator) secretFiles() (vars, values []byte) {
	sort.Slice(g.secrets, func(i, j int) bool { return g.secrets[i].name < g.secrets[j].name })
	vf := hclwrite.NewEmptyFile()
	tf := hclwrite.NewEmptyFile()
	tf.Body().AppendUnstructuredTokens(commentTokens("Secrets KAZOO returned, for the sensitive variables of variables.tf. Keep this file private."))
	for i, s := range g.secrets {
		if i > 0 {
			vf.Body().AppendNewline()
		}
		b := vf.Body().AppendNewBlock("variable", []string{s.name}).Body()
		b.SetAttributeValue("description", cty.StringVal(s.desc))
		if s.isString {
			b.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
		}
		b.SetAttributeValue("sensitive", cty.True)
		tf.Body().SetAttributeRaw(s.name, s.value)
	}
	return hclwrite.Format(vf.Bytes()), hclwrite.Format(tf.Bytes())
}

// WriteDir writes the files into dir (created when missing): the secrets with mode 0600.
func (out *Output) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range sortedKeys(out.Files) {
		mode := os.FileMode(0o644)
		if name == SecretsFile {
			mode = 0o600
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, out.Files[name], mode); err != nil {
			return err
		}
		if err := os.Chmod(p, mode); err != nil { // WriteFile keeps an existing file's mode
			return err
		}
	}
	return nil
}

// Summary is the closing line for operators.
func (s Stats) Summary() string {
	var parts []string
	for _, t := range sortedKeys(s.ByType) {
		parts = append(parts, fmt.Sprintf("%d %s", s.ByType[t], t))
	}
	cycles := ""
	if s.Cycles > 0 {
		cycles = fmt.Sprintf(" (and %d kept literal to break reference cycles)", s.Cycles)
	}
	return fmt.Sprintf("%d objects exported (%s); %d references resolved, %d ids left literal%s; %d secrets in %s",
		s.Objects, strings.Join(parts, ", "), s.References, s.Literal, cycles, s.Secrets, SecretsFile)
}
