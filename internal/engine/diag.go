package engine

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Shared diagnostic builders: every resource words its errors the same way.

// operation names what the provider was doing, for summaries ("Error creating kazoo_device").
type operation string

const (
	opCreate operation = "creating"
	opRead   operation = "reading"
	opUpdate operation = "updating"
	opDelete operation = "deleting"
	opImport operation = "importing"
	opLookup operation = "looking up"
)

// addAPIError turns a Backend error into diagnostics. Validation failures KAZOO reports on a
// path become attribute errors on the matching attribute; everything else is one error whose
// detail says what KAZOO answered and what to do about it.
func (e *Engine) addAPIError(diags *diag.Diagnostics, op operation, typeName string, err error) {
	summary := fmt.Sprintf("Error %s %s", op, typeName)
	var ae *APIError
	if errors.As(err, &ae) && len(ae.Validation) > 0 {
		keys := make([]string, 0, len(ae.Validation))
		for k := range ae.Validation {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			detail := fmt.Sprintf("KAZOO rejected the value of %q: %s.", strings.ReplaceAll(k, "%2E", "."), strings.Join(ae.Validation[k], "; "))
			if p, ok := e.attributePath(k); ok {
				diags.AddAttributeError(p, summary, detail)
			} else {
				diags.AddError(summary, detail)
			}
		}
		return
	}
	diags.AddError(summary, explain(op, typeName, err))
}

// explain says in words what an error means for the operator.
func explain(op operation, typeName string, err error) string {
	var ae *APIError
	hint := ""
	if errors.As(err, &ae) {
		switch {
		case ae.Status == 0 && ae.NotSent:
			hint = "Nothing was sent: KAZOO could not be reached, so nothing changed for this resource; apply again once it answers. "
		case ae.Status == 0:
			hint = "The request got no answer from KAZOO; check that the provider's url is reachable. "
		case ae.Status == 401:
			hint = "KAZOO did not accept the provider's credentials. "
		case ae.Status == 402:
			hint = "KAZOO asks the account to accept charges for this change; set accept_charges = true on the resource or the provider to accept them. "
		case ae.Status == 403:
			hint = "The provider's credentials may not reach this account; use credentials of the account or of one of its ancestors. "
		case ae.ModuleMissing && ae.Module != "":
			hint = fmt.Sprintf("KAZOO's %s module is not loaded on this server (crossbar autoload_modules). "+
				"Ask the server's operator to start it (sup crossbar_maintenance start_module %s) and to add it to autoload_modules. ", ae.Module, ae.Module)
		case ae.Status == 404 && ae.Message == "not_found":
			hint = "KAZOO does not serve this endpoint; the Crossbar module may not be loaded on this cluster. "
		case ae.Status == 404:
			hint = "The document or its account does not exist. "
		case ae.Status == 405:
			hint = "KAZOO does not allow this method on this endpoint. "
		case ae.Status == 409 && ae.Message == "number_exists":
			hint = "The number already exists in KAZOO, in another account or in the system's pool; release it there first, " +
				"or, if it is in this account, import it (terraform import). "
		case ae.Status == 409:
			hint = "Another write to the same document happened at the same time, or the object already exists; run the apply again. "
		case ae.Message == "account_has_descendants":
			hint = "KAZOO refuses to delete an account that still has sub-accounts; delete or move them first. "
		case ae.Status == 429:
			hint = "KAZOO's rate limit was exhausted; lower the provider's requests_per_second or run with less parallelism. "
		case ae.Status >= 500:
			hint = "KAZOO failed to process the request; its logs, searched by the request_id below, say why. "
		}
	}
	return fmt.Sprintf("The provider could not finish %s the %s. %s\n\n%s", op, typeName, hint, err.Error())
}

// attributePath maps a KAZOO validation key (a dotted JSON path, "%2E" for a literal dot,
// list indices as numbers) to the deepest attribute it names.
func (e *Engine) attributePath(key string) (path.Path, bool) {
	_, p, ok := e.attributeAt(key)
	return p, ok
}

// attributeAt is attributePath that also returns the attribute's field.
func (e *Engine) attributeAt(key string) (*field, path.Path, bool) {
	segs := strings.Split(e.spec.errorKey(key), ".")
	for i := range segs {
		segs[i] = strings.ReplaceAll(segs[i], "%2E", ".")
	}
	cur := e.root
	var p path.Path
	matched, inValue := false, false
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		if cur.kind == kindList || cur.kind == kindObjectList {
			if n, err := strconv.Atoi(seg); err == nil {
				p = p.AtListIndex(n)
				if cur.kind == kindList {
					return cur, p, true
				}
				continue
			}
		}
		if matched && isMapKind(cur.kind) && !inValue {
			if cur.kind != kindObjectMap {
				if cur.kind == kindMap && cur.elem == kindJSON {
					p = p.AtMapKey(seg) // one JSON value of the map
				}
				return cur, p, true // scalar values and set members are no attributes
			}
			p = p.AtMapKey(seg)
			inValue = true // the next segment names an attribute of the value
			continue
		}
		inValue = false
		var next *field
		for _, c := range cur.children {
			if c.key == seg {
				next = c
				break
			}
		}
		if next == nil && strings.Contains(seg, ".") {
			// No key has this literal dot: KAZOO escaped the dots of a nested path
			// ("call_forward%2Enumber" from 4.3's user validation), so follow them.
			segs = append(segs[:i], append(strings.Split(seg, "."), segs[i+1:]...)...)
			i--
			continue
		}
		if next == nil {
			break
		}
		if !matched {
			p = path.Root(next.name)
			matched = true
		} else {
			p = p.AtName(next.name)
		}
		cur = next
		if cur.kind == kindJSON || cur.kind == kindString || cur.kind == kindScalar {
			break
		}
	}
	return cur, p, matched
}
