// Command pathdump prints, for each named KAZOO schema, the attribute paths the engine derives
// from it together with their facts, and (with -src) KAZOO's own description of each field, as
// reading material for whoever writes the descriptions. It is a development aid: no build or test
// runs it.
//
//	go run ./internal/provider/descriptions/internal/pathdump -src ../shared/kazoo/4.3/schemas devices
//	go run ./internal/provider/descriptions/internal/pathdump -missing devices
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider/descriptions"
)

func main() {
	src := flag.String("src", "", "directory of KAZOO's schema files, to print their descriptions")
	missing := flag.Bool("missing", false, "print only paths that have no description yet")
	flag.Parse()
	for _, name := range flag.Args() {
		s, err := kazooschema.Get(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("## %s\n", name)
		for _, p := range descriptions.Paths(s) {
			if _, ok := descriptions.For(name, p); ok && *missing {
				continue
			}
			n := lookup(s, p)
			fmt.Printf("%s\t%s", p, facts(n))
			if *src != "" {
				if d := rawDescription(*src, name, p); d != "" {
					fmt.Printf("\n    kazoo: %s", d)
				}
			}
			fmt.Println()
		}
	}
}

// lookup follows a dotted path through properties as Paths does: stepping into array items,
// and through "*" into the values of a map.
func lookup(s *kazooschema.Schema, p string) *kazooschema.Schema {
	for _, part := range strings.Split(p, ".") {
		if part == "*" {
			s = descriptions.MapValue(s)
			continue
		}
		if s.Properties[part] == nil && s.Items != nil {
			s = s.Items
		}
		s = s.Properties[part]
	}
	return s
}

func facts(s *kazooschema.Schema) string {
	var b []string
	b = append(b, strings.Join(s.Type, "|"))
	if s.Ref != "" {
		b = append(b, "ref="+s.Ref)
	}
	if len(s.Default) > 0 {
		b = append(b, "default="+string(s.Default))
	}
	if len(s.Enum) > 0 {
		e, _ := json.Marshal(s.Enum)
		b = append(b, "enum="+string(e))
	}
	for k, v := range map[string]*int{"minLen": s.MinLength, "maxLen": s.MaxLength, "minItems": s.MinItems, "maxItems": s.MaxItems} {
		if v != nil {
			b = append(b, fmt.Sprintf("%s=%d", k, *v))
		}
	}
	for k, v := range map[string]*float64{"min": s.Minimum, "max": s.Maximum} {
		if v != nil {
			b = append(b, fmt.Sprintf("%s=%g", k, *v))
		}
	}
	if s.Pattern != "" {
		b = append(b, "pattern="+s.Pattern)
	}
	if s.Format != "" {
		b = append(b, "format="+s.Format)
	}
	if s.Items != nil {
		b = append(b, "items="+strings.Join(s.Items.Type, "|"))
		if len(s.Items.Enum) > 0 {
			e, _ := json.Marshal(s.Items.Enum)
			b = append(b, "itemenum="+string(e))
		}
	}
	switch {
	case s.Recursive:
		b = append(b, "RECURSIVE")
	case len(s.OneOf) > 0:
		b = append(b, fmt.Sprintf("oneOf(%d)", len(s.OneOf)))
	case len(s.AnyOf) > 0:
		b = append(b, fmt.Sprintf("anyOf(%d)", len(s.AnyOf)))
	case s.AdditionalProperties != nil || len(s.PatternProperties) > 0:
		b = append(b, "MAP")
	}
	if len(s.AllOf) > 0 {
		b = append(b, fmt.Sprintf("allOf(%d)", len(s.AllOf)))
	}
	return strings.Join(b, " ")
}

// rawDescription finds KAZOO's own "description" for a path in the unresolved schema files,
// following "$ref"s by file name.
func rawDescription(dir, name, p string) string {
	node := readRaw(dir, name)
	for _, part := range strings.Split(p, ".") {
		node = deref(dir, node)
		props, _ := node["properties"].(map[string]any)
		if props[part] == nil {
			if items, ok := node["items"].(map[string]any); ok {
				node = deref(dir, items)
				props, _ = node["properties"].(map[string]any)
			}
		}
		next, _ := props[part].(map[string]any)
		if next == nil {
			return ""
		}
		node = next
	}
	d, _ := node["description"].(string)
	if d == "" {
		node = deref(dir, node)
		d, _ = node["description"].(string)
	}
	return d
}

func deref(dir string, node map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, _ := node["$ref"].(string)
		if ref == "" {
			return node
		}
		node = readRaw(dir, ref)
	}
	return node
}

func readRaw(dir, name string) map[string]any {
	b, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		return map[string]any{}
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}
