package engine

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// FreeForm makes a resource without a schema for any collection (kazoo_document): the
// collection is an attribute, the managed keys are a JSON object (the extra_json mechanism
// under another name: only the keys it names are written and read back), and the whole
// document KAZOO holds is a computed JSON attribute.
type FreeForm struct {
	// CollectionAttr names the required attribute holding the path under the account
	// ("temporal_rules", "lists/<id>/entries"). Changing it replaces the document.
	CollectionAttr        string
	CollectionDescription string
	// DataAttr names the required JSON attribute of managed keys (instead of extra_json).
	DataAttr        string
	DataDescription string
	// DocumentAttr names the computed JSON attribute with the whole document.
	DocumentAttr        string
	DocumentDescription string
}

// extraAttr is the attribute holding the keys the typed attributes do not model.
func (e *Engine) extraAttr() string {
	if e.spec.FreeForm != nil {
		return e.spec.FreeForm.DataAttr
	}
	return attrExtraJSON
}

// HasDataSource reports whether the engine serves a data source (free-form resources are
// listed by kazoo_documents instead).
func (e *Engine) HasDataSource() bool { return e.spec.FreeForm == nil }

func (e *Engine) freeFormSchema(attrs map[string]rschema.Attribute) {
	ff := e.spec.FreeForm
	if ff == nil {
		return
	}
	delete(attrs, attrExtraJSON)
	attrs[ff.CollectionAttr] = rschema.StringAttribute{Required: true, MarkdownDescription: ff.CollectionDescription,
		Validators: []validator.String{stringvalidator.RegexMatches(collectionPattern,
			"must be a path under the account, such as \"temporal_rules\" or \"lists/<id>/entries\"")}}
	attrs[ff.DataAttr] = rschema.StringAttribute{Required: true, MarkdownDescription: ff.DataDescription,
		CustomType: jsonType{id: e.spec.TypeName + ":" + ff.DataAttr, object: true}}
	attrs[ff.DocumentAttr] = rschema.StringAttribute{Computed: true, MarkdownDescription: ff.DocumentDescription}
}

// at returns the spec addressing the document v describes: the spec itself, for a nested
// collection a copy below v's parent (Spec.at), or for a free-form resource a copy whose
// collection is v's.
func (r *Resource) at(v tftypes.Value) *Spec {
	ff := r.e.spec.FreeForm
	if ff == nil {
		return r.e.spec.at(v)
	}
	s := *r.e.spec
	s.Collection = stringValue(getAttr(v, ff.CollectionAttr))
	return &s
}

// freeFormSpecials adds the collection and the whole document to a state built from doc.
func (e *Engine) freeFormSpecials(specials map[string]tftypes.Value, base tftypes.Value, doc map[string]any) {
	ff := e.spec.FreeForm
	if ff == nil {
		return
	}
	specials[ff.CollectionAttr] = knownOrNull(getAttr(base, ff.CollectionAttr))
	b, err := json.Marshal(doc)
	if err != nil {
		b = []byte("{}")
	}
	specials[ff.DocumentAttr] = tftypes.NewValue(tftypes.String, string(b))
}

// planFreeForm plans the whole document unknown when the write will change it, and asks for a
// replacement when the collection changes.
func (e *Engine) planFreeForm(prior, plan tftypes.Value, creating bool) (tftypes.Value, bool) {
	ff := e.spec.FreeForm
	if ff == nil {
		return plan, false
	}
	replace := !creating && !getAttr(prior, ff.CollectionAttr).Equal(getAttr(plan, ff.CollectionAttr))
	if creating || replace || extraChanged(prior, plan, ff.DataAttr) {
		return withAttr(plan, ff.DocumentAttr, tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), replace
	}
	return withAttr(plan, ff.DocumentAttr, getAttr(prior, ff.DocumentAttr)), false
}

// parseFreeFormImport reads "<account_id>/<collection>/<id>"; the collection may have slashes.
func parseFreeFormImport(raw string) (owner, collection, id string, err error) {
	parts := strings.Split(strings.TrimSpace(raw), "/")
	if len(parts) < 3 || !hex32.MatchString(parts[0]) || parts[len(parts)-1] == "" {
		return "", "", "", fmt.Errorf("the import id %q is not valid: use \"<account_id>/<collection>/<id>\", "+
			"for example \"0123456789abcdef0123456789abcdef/lists/fedcba9876543210fedcba9876543210/entries/<entry_id>\"", raw)
	}
	collection = strings.Join(parts[1:len(parts)-1], "/")
	if !collectionPattern.MatchString(collection) {
		return "", "", "", fmt.Errorf("the import id %q is not valid: %q is not a collection path", raw, collection)
	}
	return parts[0], collection, parts[len(parts)-1], nil
}
