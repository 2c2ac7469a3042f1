package kazooschema

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// ErrorDetail is one failed rule of a KAZOO validation error: the body KAZOO puts under
// data.<path>.<rule>.
type ErrorDetail struct {
	Message string `json:"message"`
	Target  any    `json:"target,omitempty"`
	Value   any    `json:"value,omitempty"`
	Cause   any    `json:"cause,omitempty"`
	// Format names the format a value failed (rule "wrong_format").
	Format string `json:"format,omitempty"`
	// Suggestion is the name the value was probably meant to be (a callflow module close to
	// an unknown one). KAZOO does not send it.
	Suggestion string `json:"-"`
}

// Errors maps a dotted JSON path ("sip.username") to the rules it failed, keyed by KAZOO's
// validator name ("required", "minLength", ...). It is the data of KAZOO's 400
// "validation error" response. A literal "." inside a key is escaped as "%2E", as KAZOO does.
type Errors map[string]map[string]ErrorDetail

// Add records a failed rule on a path.
func (e Errors) Add(path, rule string, d ErrorDetail) {
	if e[path] == nil {
		e[path] = map[string]ErrorDetail{}
	}
	e[path][rule] = d
}

// Merge copies every failed rule of other into e.
func (e Errors) Merge(other Errors) {
	for p, rules := range other {
		for r, d := range rules {
			e.Add(p, r, d)
		}
	}
}

// Error renders the failures in a stable order, for logs and test output.
func (e Errors) Error() string {
	paths := make([]string, 0, len(e))
	for p := range e {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for i, p := range paths {
		rules := make([]string, 0, len(e[p]))
		for r := range e[p] {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		for j, r := range rules {
			if i > 0 || j > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s: %s", p, r, e[p][r].Message)
		}
	}
	return b.String()
}

// schemaBase is the URL under which schemas are registered with the validator. A KAZOO "$ref"
// is a bare schema name, so it resolves relative to this base to the referenced schema.
const schemaBase = "https://schemas.kazoo.invalid/"

var (
	compileMu sync.Mutex
	compiled  = map[string]*jsonschema.Schema{}
	compiler  *jsonschema.Compiler
)

type rawLoader struct{}

// Load serves a schema from the generated facts; nothing is read from disk or network.
func (rawLoader) Load(url string) (any, error) {
	name := strings.TrimPrefix(url, schemaBase)
	raw, ok := Raw(name)
	if !ok {
		return nil, fmt.Errorf("kazooschema: unknown schema %q", name)
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(raw))
}

// lenientRegexp compiles a pattern with Go's engine. KAZOO's patterns are PCRE; one Go cannot
// compile must not make the whole schema unusable, so it matches everything instead.
func lenientRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err != nil {
		return anyMatch(s), nil //nolint:nilerr // deliberate: an uncompilable PCRE pattern accepts everything
	}
	return re, nil
}

type anyMatch string

func (a anyMatch) String() string          { return string(a) }
func (a anyMatch) MatchString(string) bool { return true }

// Compiled returns the named schema compiled for validation (cached).
func Compiled(name string) (*jsonschema.Schema, error) {
	compileMu.Lock()
	defer compileMu.Unlock()
	if s, ok := compiled[name]; ok {
		return s, nil
	}
	if _, ok := Raw(name); !ok {
		return nil, fmt.Errorf("kazooschema: unknown schema %q", name)
	}
	if compiler == nil {
		compiler = jsonschema.NewCompiler()
		compiler.DefaultDraft(jsonschema.Draft4)
		compiler.UseLoader(rawLoader{})
		compiler.UseRegexpEngine(lenientRegexp)
		compiler.RegisterVocabulary(modulesVocabulary)
		// KAZOO's own examples put bare domains ("some.realm.com") in "uri" fields and its
		// validator accepts them, so "uri" is not asserted.
		compiler.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: func(any) error { return nil }})
	}
	s, err := compiler.Compile(schemaBase + name)
	if err != nil {
		return nil, fmt.Errorf("kazooschema: compile %s: %w", name, err)
	}
	compiled[name] = s
	return s, nil
}

// Validate checks a decoded JSON document (as produced by encoding/json, with or without
// UseNumber) against the named schema and returns KAZOO's validation errors, or nil when the
// document is valid.
func Validate(name string, doc any) (Errors, error) {
	s, err := Compiled(name)
	if err != nil {
		return nil, err
	}
	verr := s.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return nil, verr
	}
	out := Errors{}
	collect(ve, out, doc)
	if len(out) == 0 {
		out.Add("", "invalid", ErrorDetail{Message: "Value is invalid"})
	}
	return out, nil
}

// collect walks the validator's error tree and records each leaf the way KAZOO's
// kz_json_schema:error_to_jobj/2 reports jesse's errors: the same rule names, messages,
// targets and values.
func collect(ve *jsonschema.ValidationError, out Errors, doc any) {
	switch ve.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		// One failure for the value, as jesse reports it, rather than every branch's complaint.
		rule := "any_schemas_not_valid"
		if _, ok := ve.ErrorKind.(*kind.OneOf); ok {
			rule = "not_one_schema_valid"
		}
		out.Add(dotted(ve.InstanceLocation), rule, ErrorDetail{Message: "failed to validate",
			Value: lookup(doc, ve.InstanceLocation)})
		return
	}
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(c, out, doc)
		}
		return
	}
	path := dotted(ve.InstanceLocation)
	value := lookup(doc, ve.InstanceLocation)
	switch k := ve.ErrorKind.(type) {
	case *unknownModule:
		out.Add(join(path, "module"), "error", k.detail())
	case *kind.Required:
		for _, m := range k.Missing {
			out.Add(join(path, escapeKey(m)), "required", ErrorDetail{Message: "Field is required but missing", Value: m})
		}
	case *kind.Type:
		types := strings.Join(k.Want, ", ")
		out.Add(path, "type", ErrorDetail{Message: "Value did not match type(s): " + types, Target: types, Value: value})
	case *kind.MinLength:
		out.Add(path, "minLength", ErrorDetail{Message: fmt.Sprintf("String must be at least %d characters", k.Want),
			Target: k.Want, Cause: value, Value: value})
	case *kind.MaxLength:
		out.Add(path, "maxLength", ErrorDetail{Message: fmt.Sprintf("String must not be more than %d characters", k.Want),
			Target: k.Want, Cause: value, Value: value})
	case *kind.Minimum:
		out.Add(path, "minimum", ErrorDetail{Message: "Value must be at least " + ratString(k.Want), Target: ratValue(k.Want), Value: value})
	case *kind.ExclusiveMinimum:
		// KAZOO names both bounds "minimum".
		out.Add(path, "minimum", ErrorDetail{Message: "Value must be at least " + ratString(k.Want), Target: ratValue(k.Want), Value: value})
	case *kind.Maximum:
		out.Add(path, "maximum", ErrorDetail{Message: "Value must be at most " + ratString(k.Want), Target: ratValue(k.Want), Value: value})
	case *kind.ExclusiveMaximum:
		out.Add(path, "maximum", ErrorDetail{Message: "Value must be at most " + ratString(k.Want), Target: ratValue(k.Want), Value: value})
	case *kind.Enum:
		out.Add(path, "enum", ErrorDetail{Message: "Value not found in enumerated list of values", Target: k.Want, Value: value})
	case *kind.Pattern:
		out.Add(path, "pattern", ErrorDetail{Message: "Failed to match pattern '" + k.Want + "'", Target: k.Want, Value: value})
	case *kind.MinItems:
		out.Add(path, "minItems", ErrorDetail{Message: fmt.Sprintf("The list must have at least %d items", k.Want), Target: k.Want, Value: value})
	case *kind.MaxItems:
		out.Add(path, "maxItems", ErrorDetail{Message: fmt.Sprintf("The list is more than %d items", k.Want), Target: k.Want, Value: value})
	case *kind.UniqueItems:
		out.Add(path, "uniqueItems", ErrorDetail{Message: "List of items is not unique", Value: value})
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			out.Add(join(path, escapeKey(p)), "additionalProperties", ErrorDetail{
				Message: "Strict checking of data is enabled; only include schema-defined properties",
				Value:   lookup(doc, append(append([]string{}, ve.InstanceLocation...), p))})
		}
	case *kind.Format:
		out.Add(path, "wrong_format", ErrorDetail{Message: "Field is not in the correct format", Value: value, Format: k.Want})
	case *kind.MinProperties:
		out.Add(path, "minProperties", ErrorDetail{Message: fmt.Sprintf("The object must have at least %d keys", k.Want), Target: k.Want, Value: value})
	default:
		out.Add(path, "invalid", ErrorDetail{Message: "failed to validate", Value: value})
	}
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return fmt.Sprint(f)
}

func ratValue(r *big.Rat) any {
	if r.IsInt() && r.Num().IsInt64() {
		return r.Num().Int64()
	}
	f, _ := r.Float64()
	return f
}

// dotted turns an instance location into KAZOO's dotted key; array indexes stay numeric
// segments ("flow.children._.data" style paths are written as KAZOO does, by position).
func dotted(loc []string) string {
	parts := make([]string, len(loc))
	for i, p := range loc {
		parts[i] = escapeKey(p)
	}
	return strings.Join(parts, ".")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func escapeKey(k string) string { return strings.ReplaceAll(k, ".", "%2E") }

// lookup returns the value at an instance location of a decoded document, or nil.
func lookup(doc any, loc []string) any {
	cur := doc
	for _, seg := range loc {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[seg]
		case []any:
			i := 0
			if _, err := fmt.Sscan(seg, &i); err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}
