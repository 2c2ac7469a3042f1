package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Secrets inside lists of objects -------------------------------------------------------------
//
// A secret inside the items of a top-level list of objects (a carrier's gateways[].password, a
// connectivity's servers[].auth.auth_password) has its write-only twin in each item, beside the
// item's attributes: "<name>_wo" and "<name>_wo_version", where name is the secret's path from
// the item joined by "_", leaving out an object whose name the secret's already starts with
// (auth.auth_password: auth_password_wo). The framework refuses write-only attributes under a
// computed nested attribute, so only a list that is not computed has them: a list KAZOO's
// schema requires, or one Override.NotComputed makes so.
//
// Each item has its own version. An item's secret is sent when the item is new, when it no
// longer agrees with everything its prior item held (another gateway took its place), or when
// its version changes. With the twin in use the item's secret is planned and stored as null.
// KAZOO replaces a list whole, so an update that sends the list puts a storedSecret in each item
// whose twin manages the secret (or did) without sending it, and carrySecrets replaces it with
// the secret KAZOO's matching item holds: adding, removing or editing one gateway never wipes
// another's password. A plain secret the configuration removes is not carried: it goes.

// itemSecret is a secret inside the items of a list of objects, with its twin in the item.
type itemSecret struct {
	list  *field   // the top-level list of objects
	f     *field   // the secret
	names []string // attribute names from the item to the secret ("auth", "auth_password")
	keys  []string // JSON keys from the item
	twin  string   // "auth_password": the twin is twin+"_wo", its trigger twin+"_wo_version"
}

func (s itemSecret) wo() string      { return s.twin + woSuffix }
func (s itemSecret) version() string { return s.twin + woVersionSuffix }

// notComputed reports whether a top-level attribute is not computed: the configuration alone
// says what it holds (a required attribute, or Override.NotComputed).
func (f *field) notComputed() bool {
	return (f.required || f.ov.NotComputed) && !f.ov.ComputedOnly
}

// itemTwinName joins the names from an item to a secret, leaving out an object whose name the
// next name already starts with.
func itemTwinName(names []string) string {
	name := names[len(names)-1]
	for i := len(names) - 2; i >= 0; i-- {
		if !strings.HasPrefix(name, names[i]+"_") {
			name = names[i] + "_" + name
		}
	}
	return name
}

// findItemSecrets returns the secrets inside the items of the top-level lists of objects that
// are not computed (through nested objects, not nested lists).
func findItemSecrets(root *field) ([]itemSecret, error) {
	var out []itemSecret
	for _, list := range root.children {
		if list.kind != kindObjectList || !list.notComputed() {
			continue
		}
		var walk func(f *field, names, keys []string)
		walk = func(f *field, names, keys []string) {
			for _, c := range f.children {
				cn := append(append([]string{}, names...), c.name)
				ck := append(append([]string{}, keys...), c.key)
				switch {
				case c.secret && c.kind == kindString && !c.ov.ComputedOnly:
					out = append(out, itemSecret{list: list, f: c, names: cn, keys: ck, twin: itemTwinName(cn)})
				case c.kind == kindObject:
					walk(c, cn, ck)
				}
			}
		}
		walk(list, nil, nil)
	}
	for _, s := range out {
		for _, n := range []string{s.wo(), s.version()} {
			if s.list.child(n) != nil {
				return nil, fmt.Errorf("the write-only twin %q of %s is already an attribute of the items", n, s.f.path)
			}
		}
	}
	return out, nil
}

// itemTwinAttrs adds to the item attributes of a list of objects the twins of its secrets.
func (e *Engine) itemTwinAttrs(list *field, attrs map[string]rschema.Attribute) {
	for _, s := range e.itemSecrets {
		if s.list != list {
			continue
		}
		plain := strings.Join(s.names, ".")
		sibling := func(names ...string) path.Expression {
			p := path.MatchRelative().AtParent()
			for _, n := range names {
				p = p.AtName(n)
			}
			return p
		}
		attrs[s.wo()] = rschema.StringAttribute{
			Optional: true, Sensitive: true, WriteOnly: true,
			MarkdownDescription: fmt.Sprintf("Write-only variant of `%s`: sent to KAZOO but never stored in the Terraform state nor shown in plans. "+
				"Sent when the item is created (or takes another's place) and whenever `%s` changes; while it is used, `%s` stays empty in the state "+
				"and the password KAZOO holds is kept on every other update of the list. Requires Terraform 1.11 or later.", plain, s.version(), plain),
			Validators: append(stringValidators(s.f),
				stringvalidator.ConflictsWith(sibling(s.names...)),
				stringvalidator.AlsoRequires(sibling(s.version())),
			),
		}
		attrs[s.version()] = rschema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("Any number; change it to send this item's `%s` to KAZOO again.", s.wo()),
			Validators:          []validator.Int64{int64validator.AlsoRequires(sibling(s.wo()))},
		}
	}
}

// itemSecretsNote names the write-only forms of the secrets inside lists on the resource's page.
func (e *Engine) itemSecretsNote() string {
	if len(e.itemSecrets) == 0 {
		return ""
	}
	var plain, twins []string
	for _, s := range e.itemSecrets {
		plain = append(plain, "`"+s.list.name+"[*]."+strings.Join(s.names, ".")+"`")
		twins = append(twins, "`"+s.list.name+"[*]."+s.wo()+"`")
	}
	verb := " is kept in the state as a sensitive value. It"
	if len(plain) > 1 {
		verb = " are kept in the state as sensitive values. Each"
	}
	return "\n\n**Secrets in lists.** " + strings.Join(plain, ", ") + verb +
		" can also be set write-only (Terraform 1.11 or later), item by item, with " +
		strings.Join(twins, ", ") + " and its `_wo_version` beside it in the same item: the secret then never reaches the state " +
		"or the plan, is sent when the item is new or its version changes, and KAZOO's stored value is kept whenever the " +
		"list is sent for another reason. After an import, the first apply sets the versions and sends the secrets once."
}

// listElems returns the elements of a known list value (nil when null or unknown).
func listElems(v tftypes.Value) []tftypes.Value {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var elems []tftypes.Value
	_ = v.As(&elems)
	return elems
}

// withListElems returns obj with the elements of its list attribute name replaced by fn's.
func withListElems(obj tftypes.Value, name string, fn func(j int, elem tftypes.Value) tftypes.Value) tftypes.Value {
	if !obj.IsKnown() || obj.IsNull() {
		return obj
	}
	list := getAttr(obj, name)
	elems := listElems(list)
	if elems == nil {
		return obj
	}
	out := make([]tftypes.Value, len(elems))
	for j, el := range elems {
		out[j] = el
		if el.IsKnown() && !el.IsNull() {
			out[j] = fn(j, el)
		}
	}
	return withAttr(obj, name, tftypes.NewValue(list.Type(), out))
}

// planItemSecrets nulls the write-only twins of every item in the plan, and the secrets of
// the items whose configuration uses the twin. The planned items are the configured ones, in
// the same order.
func (e *Engine) planItemSecrets(cfg, plan tftypes.Value) tftypes.Value {
	for _, s := range e.itemSecrets {
		cfgElems := listElems(getAttr(cfg, s.list.name))
		plan = withListElems(plan, s.list.name, func(j int, el tftypes.Value) tftypes.Value {
			el = withAttr(el, s.wo(), tftypes.NewValue(getAttr(el, s.wo()).Type(), nil))
			if j < len(cfgElems) && !getAttr(cfgElems[j], s.version()).IsNull() {
				el = withValueAt(el, s.names, nil)
			}
			return el
		})
	}
	return plan
}

// itemSecretsToSend sets, in the items of the lists a document or patch sends, the write-only
// secrets that are due: those of new items, of items that no longer agree with their prior
// item, and of items whose version changed. The document's items are the planned ones.
func (e *Engine) itemSecretsToSend(doc map[string]any, cfg, prior, plan tftypes.Value) {
	for _, s := range e.itemSecrets {
		items := objectItems(doc[s.list.key])
		cfgElems := listElems(getAttr(cfg, s.list.name))
		if len(items) == 0 || len(items) != len(cfgElems) {
			continue
		}
		priorElems := listElems(getAttr(prior, s.list.name))
		planElems := listElems(getAttr(plan, s.list.name))
		cfgItems, priorItems := itemsJSON(s.list, cfgElems), itemsJSON(s.list, priorElems)
		continued := agreeingItems(cfgItems, priorItems)
		was := matchItems(cfgItems, priorItems)
		for j, ce := range cfgElems {
			if items[j] == nil || j >= len(planElems) {
				continue
			}
			version := getAttr(planElems[j], s.version())
			if wo := getAttr(ce, s.wo()); wo.IsKnown() && !wo.IsNull() &&
				(continued[j] < 0 || !getAttr(priorElems[continued[j]], s.version()).Equal(version)) {
				if x, known, err := valueToJSON(s.f, wo); err == nil && known && x != nil {
					setAt(items[j], s.keys, x)
					continue
				}
			}
			// Not sent: KAZOO's stored secret stays, if the twin manages it or did.
			twinned := !version.IsNull() || was[j] >= 0 && !getAttr(priorElems[was[j]], s.version()).IsNull()
			if twinned && !prior.IsNull() {
				placeAt(items[j], s.keys, storedSecret{})
			}
		}
	}
}

// storedSecret stands, in an item of a list an update sends, for the secret KAZOO holds in the
// matching item (carrySecrets puts it there, or removes the key). It is never sent: encoding it
// fails.
type storedSecret struct{}

func (storedSecret) MarshalJSON() ([]byte, error) {
	return nil, errors.New("engine: a stored secret was not resolved from KAZOO's document before sending")
}

// placeAt sets a value at a JSON key path of an object whose objects on the way exist and that
// holds nothing there yet.
func placeAt(doc map[string]any, keys []string, v any) {
	m := objectAt(doc, keys, false)
	if m == nil {
		return
	}
	if _, set := m[keys[len(keys)-1]]; !set {
		m[keys[len(keys)-1]] = v
	}
}

// agreeingItems pairs each new item with the first unused old item that agrees with every
// value it has; -1 where none does (a new item, or one that took another's place).
func agreeingItems(now, old []map[string]any) []int {
	used := make([]bool, len(old))
	match := make([]int, len(now))
	for j, n := range now {
		match[j] = -1
		for i, o := range old {
			if !used[i] && n != nil && o != nil && subsetEqual(n, o) {
				match[j], used[i] = i, true
				break
			}
		}
	}
	return match
}

// carrySecrets resolves the storedSecrets of an item of a list KAZOO replaces (now) to the
// secrets KAZOO's matching item (old, nil when there is none) holds, or removes them.
func carrySecrets(f *field, now, old map[string]any) {
	for _, c := range f.children {
		switch {
		case c.secret:
			if _, ok := now[c.key].(storedSecret); !ok {
				continue
			}
			if old[c.key] != nil {
				now[c.key] = old[c.key]
			} else {
				delete(now, c.key)
			}
		case c.kind == kindObject:
			om, _ := old[c.key].(map[string]any)
			if nm, ok := now[c.key].(map[string]any); ok {
				carrySecrets(c, nm, om)
			}
		}
	}
}

// itemTwinLinks pairs the items of each twinned list in a KAZOO document with the items of
// base (plan or prior state) they continue, and removes from the document the secrets of the
// items whose twin is in use, so that they never reach the state; after a write, also those
// the plan holds as null (an item whose twin was just dropped keeps KAZOO's secret, read on the
// next refresh). It returns, per list attribute, the base item of each document item (-1: none).
func (e *Engine) itemTwinLinks(doc map[string]any, base tftypes.Value, written bool) map[string][]int {
	links := map[string][]int{}
	for _, s := range e.itemSecrets {
		items := objectItems(doc[s.list.key])
		baseElems := listElems(getAttr(base, s.list.name))
		link, ok := links[s.list.name]
		if !ok {
			link = make([]int, len(items))
			for j := range link {
				link[j] = -1
			}
			for i, j := range matchItems(itemsJSON(s.list, baseElems), items) {
				if j >= 0 {
					link[j] = i
				}
			}
			links[s.list.name] = link
		}
		for j, i := range link {
			if i < 0 || items[j] == nil {
				continue
			}
			secret := valueAt(baseElems[i], s.names)
			if !getAttr(baseElems[i], s.version()).IsNull() || written && secret.IsKnown() && secret.IsNull() {
				deleteAt(items[j], s.keys)
			}
		}
	}
	return links
}

// itemTwinState gives the items of a state built from a KAZOO document the versions of the
// base items they continue (their write-only values are always null).
func (e *Engine) itemTwinState(state, base tftypes.Value, links map[string][]int) tftypes.Value {
	for _, s := range e.itemSecrets {
		baseElems := listElems(getAttr(base, s.list.name))
		link := links[s.list.name]
		state = withListElems(state, s.list.name, func(j int, el tftypes.Value) tftypes.Value {
			el = withAttr(el, s.wo(), tftypes.NewValue(getAttr(el, s.wo()).Type(), nil))
			version := tftypes.NewValue(getAttr(el, s.version()).Type(), nil)
			if j < len(link) && link[j] >= 0 {
				version = knownOrNull(getAttr(baseElems[link[j]], s.version()))
			}
			return withAttr(el, s.version(), version)
		})
	}
	return state
}
