package export

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// nameKeys are the document keys a resource name is taken from, first found first; first_name
// and last_name go together ("Alice Liddell" is alice_liddell).
var nameKeys = [][]string{{"name"}, {"first_name", "last_name"}, {"username"}, {"mailbox"}, {"numbers"}, {"patterns"}}

// label is the slug of an object's own name, or its type when it has none.
func label(o *Object) string {
	var doc map[string]any
	_ = json.Unmarshal(o.Doc, &doc)
	if o.Spec.Scope == engine.ScopeKeyed && doc != nil {
		doc[o.Spec.KeyAttr] = o.ID // a phone number is named by its number
	}
	for _, keys := range append([][]string{{o.Spec.KeyAttr}}, nameKeys...) {
		var parts []string
		for _, k := range keys {
			switch v := doc[k].(type) {
			case string:
				parts = append(parts, v)
			case []any:
				if len(v) > 0 {
					if s, ok := v[0].(string); ok {
						parts = append(parts, s)
					}
				}
			}
		}
		if s := shorten(slug(strings.Join(parts, " "))); s != "" {
			if s[0] >= '0' && s[0] <= '9' {
				s = o.Spec.TypeName + "_" + s
			}
			return s
		}
	}
	return o.Spec.TypeName
}

// slug lower-cases a name to letters, digits and single underscores, accents removed.
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’':
			continue // accents and apostrophes: "Alice's" is alices
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		default:
			under = true
		}
	}
	return b.String()
}

// shorten cuts a label to at most 60 characters.
func shorten(s string) string {
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}

// assignLabels gives every object a resource name unique within its type. Objects are taken in
// a stable order (accounts as walked, then name, then id); the first keeps its own name, a later
// one in a sub-account is prefixed with its account's name, and any remaining clash gets _2, _3…
func assignLabels(objs []*Object, accountOrder map[*Account]int) {
	type cand struct {
		o    *Object
		base string
	}
	byType := map[string][]cand{}
	var types []string
	for _, o := range objs {
		t := o.Spec.TypeName
		if _, ok := byType[t]; !ok {
			types = append(types, t)
		}
		byType[t] = append(byType[t], cand{o, label(o)})
	}
	accountSlug := map[*Account]string{}
	for a := range accountOrder {
		s := slug(a.Name)
		if s == "" || s[0] >= '0' && s[0] <= '9' {
			s = "account_" + s
		}
		accountSlug[a] = strings.TrimSuffix(s, "_")
	}
	for _, t := range types {
		cs := byType[t]
		sort.SliceStable(cs, func(i, j int) bool {
			a, b := cs[i], cs[j]
			if oa, ob := accountOrder[a.o.Account], accountOrder[b.o.Account]; oa != ob && t != "account" {
				return oa < ob
			}
			if a.base != b.base {
				return a.base < b.base
			}
			return a.o.ID < b.o.ID
		})
		taken := map[string]bool{}
		for _, c := range cs {
			name := c.base
			if taken[name] && accountOrder[c.o.Account] > 0 && t != "account" {
				name = accountSlug[c.o.Account] + "_" + c.base
			}
			for i := 2; taken[name]; i++ {
				name = fmt.Sprintf("%s_%d", c.base, i)
				if accountOrder[c.o.Account] > 0 && t != "account" {
					name = fmt.Sprintf("%s_%s_%d", accountSlug[c.o.Account], c.base, i)
				}
			}
			taken[name] = true
			c.o.Label = name
		}
	}
}
