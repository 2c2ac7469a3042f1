package engine

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Secrets -------------------------------------------------------------------------------------
//
// A document key KAZOO's schemas name as a password or PIN (password, pin, pins, *_password,
// *_pin) holds a secret: its attribute is Sensitive wherever it is. Outside lists, it also has
// a write-only twin at the top level of the resource: "<path>_wo" (the tfschema names of the
// path joined by "_": sip_password_wo, pin_wo) with "<path>_wo_version" beside it. Terraform's
// framework refuses write-only attributes inside computed nested attributes, and every nested
// object here is computed (KAZOO fills it in), so the twin cannot sit beside a nested secret.
//
// With the twin in use (its version set) nothing of the secret reaches the state or the plan:
// the secret's own attribute is planned and stored as null even though KAZOO returns it, and
// the twin's value is sent on create and whenever the version changes. Secrets KAZOO never
// returns (a user's password, Spec.WriteOnlySecrets) keep the configured value instead.

// secret is a secret attribute with a write-only twin.
type secret struct {
	f     *field
	names []string // attribute names from the root to the secret ("sip", "password")
	keys  []string // JSON keys from the root
	twin  string   // "sip_password": the twin is twin+"_wo", its trigger twin+"_wo_version"
	// neverReturned is true for Spec.WriteOnlySecrets: KAZOO keeps only a hash, so the state
	// keeps the configured value.
	neverReturned bool
}

func (s secret) wo() string      { return s.twin + woSuffix }
func (s secret) version() string { return s.twin + woVersionSuffix }

// secretKey reports whether a document key holds a secret by KAZOO's naming.
func secretKey(key string) bool {
	switch key {
	case "password", "pin", "pins":
		return true
	}
	return strings.HasSuffix(key, "_password") || strings.HasSuffix(key, "_pin") || strings.HasSuffix(key, "_pins")
}

// isSecretField reports whether a field holds a secret: a string or list of strings under a
// secret key, or one the spec names.
func isSecretField(f *field) bool {
	return secretKey(f.key) && (f.kind == kindString || f.kind == kindList && f.elem == kindString)
}

// markSecrets flags every secret field of the tree Sensitive and returns those that get a
// write-only twin (the ones outside lists and maps). Names in never (Spec.WriteOnlySecrets) are
// top-level secrets KAZOO never returns.
func markSecrets(root *field, never []string) ([]secret, error) {
	var out []secret
	var walk func(f *field, names, keys []string, twinnable bool)
	walk = func(f *field, names, keys []string, twinnable bool) {
		for _, c := range f.children {
			cn := append(append([]string{}, names...), c.name)
			ck := append(append([]string{}, keys...), c.key)
			top := len(names) == 0
			neverReturned := top && containsString(never, c.name)
			if neverReturned || isSecretField(c) {
				c.secret = true
				if twinnable && !c.ov.ComputedOnly {
					out = append(out, secret{f: c, names: cn, keys: ck, twin: strings.Join(cn, "_"), neverReturned: neverReturned})
				}
				continue
			}
			walk(c, cn, ck, twinnable && c.kind == kindObject)
		}
	}
	walk(root, nil, nil, true)
	for _, name := range never {
		if c := root.child(name); c == nil || !c.secret {
			return nil, fmt.Errorf("write-only secret %q is not a top-level attribute", name)
		}
	}
	for _, s := range out {
		for _, n := range []string{s.wo(), s.version()} {
			if root.child(n) != nil || reservedNames[n] {
				return nil, fmt.Errorf("the write-only twin %q of %s is already an attribute", n, s.f.path)
			}
		}
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// secretPath is the framework path expression of a secret's own attribute.
func (s secret) pathExpr() path.Expression {
	p := path.MatchRoot(s.names[0])
	for _, n := range s.names[1:] {
		p = p.AtName(n)
	}
	return p
}

// secretTwinAttrs adds the write-only twin and its version of every secret to a resource schema.
func (e *Engine) secretTwinAttrs(attrs map[string]rschema.Attribute) {
	for _, s := range e.secrets {
		desc := fmt.Sprintf("Write-only variant of `%s`: sent to KAZOO but never stored in the Terraform state nor shown in plans. "+
			"Sent on create and whenever `%s` changes; while it is used, `%s` stays empty in the state. "+
			"Requires Terraform 1.11 or later.", strings.Join(s.names, "."), s.version(), strings.Join(s.names, "."))
		if s.f.kind == kindList {
			attrs[s.wo()] = rschema.ListAttribute{
				Optional: true, Sensitive: true, WriteOnly: true, ElementType: types.StringType,
				MarkdownDescription: desc,
				Validators: []validator.List{
					listvalidator.ConflictsWith(s.pathExpr()),
					listvalidator.AlsoRequires(path.MatchRoot(s.version())),
				},
			}
		} else {
			attrs[s.wo()] = rschema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: desc,
				Validators: append(stringValidators(s.f),
					stringvalidator.ConflictsWith(s.pathExpr()),
					stringvalidator.AlsoRequires(path.MatchRoot(s.version())),
				),
			}
		}
		attrs[s.version()] = rschema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("Any number; change it to send `%s` to KAZOO again.", s.wo()),
			Validators: []validator.Int64{
				int64validator.AlsoRequires(path.MatchRoot(s.wo())),
			},
		}
	}
}

// secretsNote tells, on the resource's page, which form of each secret to use when.
func (e *Engine) secretsNote() string {
	if len(e.secrets) == 0 {
		return ""
	}
	var plain, twins []string
	for _, s := range e.secrets {
		plain = append(plain, "`"+strings.Join(s.names, ".")+"`")
		twins = append(twins, "`"+s.wo()+"`")
	}
	return "\n\n**Secrets.** " + strings.Join(plain, ", ") + " can be set in two ways. " +
		"The plain attribute is stored in the state (marked sensitive) and a change made elsewhere shows as drift. " +
		"The write-only form (" + strings.Join(twins, ", ") + ", with its `_wo_version`) keeps the secret out of the state and plans entirely; " +
		"it is sent on create and whenever the version changes, so changes made elsewhere go unnoticed. " +
		"Prefer the write-only form with Terraform or OpenTofu 1.11 or later, for example with a value from an ephemeral resource or a variable."
}

// twinInUse reports whether v (configuration, plan or state) sets the secret's version: the
// write-only form manages the secret.
func (s secret) twinInUse(v tftypes.Value) bool {
	return !getAttr(v, s.version()).IsNull()
}

// planSecrets nulls every write-only twin in the plan, and the secrets managed through one.
func (e *Engine) planSecrets(cfg, plan tftypes.Value) tftypes.Value {
	for _, s := range e.secrets {
		plan = withAttr(plan, s.wo(), tftypes.NewValue(getAttr(plan, s.wo()).Type(), nil))
		if s.twinInUse(cfg) && !s.neverReturned {
			plan = withValueAt(plan, s.names, nil)
		}
	}
	return e.planItemSecrets(cfg, plan)
}

// secretsToSend adds to a document or patch the write-only values the configuration gives:
// all of them on create (prior null), on update those whose version changed.
func (e *Engine) secretsToSend(doc map[string]any, cfg, prior, plan tftypes.Value) {
	for _, s := range e.secrets {
		wo := getAttr(cfg, s.wo())
		if !wo.IsKnown() || wo.IsNull() {
			if s.twinInUse(plan) && !s.neverReturned {
				// The secret's attribute is null only because the twin manages it: that is
				// no removal.
				dropNullAt(doc, s.keys)
			}
			continue
		}
		if !prior.IsNull() && getAttr(prior, s.version()).Equal(getAttr(plan, s.version())) {
			dropNullAt(doc, s.keys)
			continue
		}
		x, known, err := valueToJSON(s.f, wo)
		if err == nil && known && x != nil {
			setAt(doc, s.keys, x)
		}
	}
	e.itemSecretsToSend(doc, cfg, prior, plan)
}

// blankTwinnedSecrets removes from a KAZOO document the secrets that base (plan or prior state)
// manages through their write-only twin, so that they never reach the state.
func (e *Engine) blankTwinnedSecrets(doc map[string]any, base tftypes.Value) {
	for _, s := range e.secrets {
		if s.twinInUse(base) && !s.neverReturned {
			deleteAt(doc, s.keys)
		}
	}
}

// twinSpecials are the state values of the twins: never a write-only value, the version as
// planned (or as it was).
func (e *Engine) twinSpecials(specials map[string]tftypes.Value, base tftypes.Value) {
	for _, s := range e.secrets {
		specials[s.wo()] = tftypes.NewValue(getAttr(base, s.wo()).Type(), nil)
		specials[s.version()] = knownOrNull(getAttr(base, s.version()))
		if s.neverReturned {
			specials[s.names[0]] = knownOrNull(getAttr(base, s.names[0]))
		}
	}
}

// objectAt returns the object that holds the last key of a JSON key path: nil when an object on
// the way is missing, unless create makes the missing ones.
func objectAt(doc map[string]any, keys []string, create bool) map[string]any {
	m := doc
	for _, k := range keys[:len(keys)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			if !create {
				return nil
			}
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	return m
}

// setAt sets a value at a JSON key path, creating the objects on the way.
func setAt(doc map[string]any, keys []string, v any) {
	objectAt(doc, keys, true)[keys[len(keys)-1]] = v
}

// deleteAt removes the key at a JSON key path, if there.
func deleteAt(doc map[string]any, keys []string) {
	if m := objectAt(doc, keys, false); m != nil {
		delete(m, keys[len(keys)-1])
	}
}

// dropNullAt removes a null (a removal) at a JSON key path of a patch, and the objects on the
// way that it leaves empty.
func dropNullAt(doc map[string]any, keys []string) {
	if len(keys) == 1 {
		if v, ok := doc[keys[0]]; ok && v == nil {
			delete(doc, keys[0])
		}
		return
	}
	sub, ok := doc[keys[0]].(map[string]any)
	if !ok {
		return
	}
	dropNullAt(sub, keys[1:])
	if len(sub) == 0 {
		delete(doc, keys[0])
	}
}

// withValueAt returns obj with the attribute at a path of names set to v (nil: null). Objects
// on the way that are null or unknown are left alone: they hold no secret yet.
func withValueAt(obj tftypes.Value, names []string, v any) tftypes.Value {
	if !obj.IsKnown() || obj.IsNull() {
		return obj
	}
	cur := getAttr(obj, names[0])
	if len(names) == 1 {
		return withAttr(obj, names[0], tftypes.NewValue(cur.Type(), v))
	}
	return withAttr(obj, names[0], withValueAt(cur, names[1:], v))
}
