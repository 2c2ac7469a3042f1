package kazooschema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// Module nodes: a callflow node (and a metaflow node) names a module, and KAZOO validates the
// node's data against "<family>.<module>" and refuses a module it has no schema for. The
// generated facts mark such node schemas with "kazoo-modules": "<family>"; the validator
// follows that mark down every node of a flow.

// keywordModules is the generated fact that marks a module node schema.
const keywordModules = "kazoo-modules"

// Modules returns the modules of a family ("callflows", "metaflows") in name order: those
// KAZOO has a "<family>.<module>" schema for.
func Modules(family string) []string {
	var out []string
	prefix := family + "."
	for n := range rawSchemas {
		if m, ok := strings.CutPrefix(n, prefix); ok && !strings.Contains(m, ".") && rawSchemaIsModule(n) {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

// rawSchemaIsModule leaves out the node schema itself ("callflows.action" is not a module).
func rawSchemaIsModule(name string) bool {
	return !strings.Contains(rawSchemas[name], `"`+keywordModules+`"`)
}

// Closest returns the name among names nearest to s by edit distance, when it is near enough
// to be a typo (at most a third of its length, and at least two, edits away).
func Closest(s string, names []string) string {
	best, bestD := "", -1
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), n); bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	if bestD < 0 || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance of two strings, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// modulesVocabulary compiles the "kazoo-modules" mark into a check of each node.
var modulesVocabulary = &jsonschema.Vocabulary{
	URL: schemaBase + "vocabularies/modules",
	Compile: func(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
		family, ok := obj[keywordModules].(string)
		if !ok {
			return nil, nil
		}
		return moduleNode{family: family}, nil
	},
}

type moduleNode struct{ family string }

// Validate checks a node's module and validates its data against the module's schema. A node
// whose module is missing or not a string is left to the node schema's own rules.
func (m moduleNode) Validate(ctx *jsonschema.ValidatorContext, v any) {
	node, ok := v.(map[string]any)
	if !ok {
		return
	}
	module, ok := node["module"].(string)
	if !ok || module == "" {
		return
	}
	name := m.family + "." + module
	if _, ok := rawSchemas[name]; !ok || !rawSchemaIsModule(name) {
		ctx.AddError(&unknownModule{family: m.family, module: module})
		return
	}
	data, ok := node["data"]
	if !ok {
		return
	}
	sch, err := Compiled(name)
	if err != nil {
		return // a module schema that does not compile cannot refuse anything
	}
	if err := ctx.Validate(sch, data, []string{"data"}); err != nil {
		ctx.AddErr(err)
	}
}

// unknownModule is the failure of a node whose module KAZOO has no schema for.
type unknownModule struct{ family, module string }

func (k *unknownModule) KeywordPath() []string { return []string{keywordModules} }

func (k *unknownModule) LocalizedString(*message.Printer) string { return k.message() }

// message is KAZOO's wording ("unable to find callflow schema for module ringgroup").
func (k *unknownModule) message() string {
	return "unable to find " + strings.TrimSuffix(k.family, "s") + " schema for module " + k.module
}

// detail is the error KAZOO reports on the node's module, with the module the name was
// probably meant to be.
func (k *unknownModule) detail() ErrorDetail {
	return ErrorDetail{Message: k.message(), Value: k.module, Suggestion: Closest(k.module, Modules(k.family))}
}

// Coercible reports whether a "type" failure is one KAZOO forgives: with strict validation
// off, Crossbar reads a string that spells a value of the wanted type ("20" for an integer,
// "true" for a boolean) as that value.
func (d ErrorDetail) Coercible() bool {
	s, ok := d.Value.(string)
	target, _ := d.Target.(string)
	if !ok || target == "" {
		return false
	}
	for _, t := range strings.Split(target, ", ") {
		switch t {
		case "integer":
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return true
			}
		case "number":
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return true
			}
		case "boolean":
			if s == "true" || s == "false" {
				return true
			}
		}
	}
	return false
}
