package kazoosim

import (
	"net/http"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// collection describes one account-scoped document collection. Everything the generic CRUD
// code does not know is here: the schema, whether PATCH exists, the listing view's fields,
// uniqueness rules and the module-specific hooks.
type collection struct {
	// name is the URL segment; schema the KAZOO schema validating writes; pvtType the
	// documents' pvt_type.
	name, schema, pvtType string
	// patch is true where KAZOO allows PATCH on items; others answer 405.
	patch bool
	// summary maps a stored document to its list row (the view's crossbar_listing value).
	summary func(d Doc) any
	// unique lists fields whose values must be unique among the account's live documents of
	// this collection (array fields: each member).
	unique []uniqueRule
	// prepare normalizes the public document before defaults and validation, and may set
	// private fields through w.private.
	prepare func(s *Server, w *write) *apiError
	// check runs after schema validation (module rules); it may add to errs.
	check func(s *Server, w *write, errs kazooschema.Errors)
	// lockedCheck runs with the account's write lock held, for uniqueness rules the unique
	// table cannot express.
	lockedCheck func(s *Server, w *write, errs kazooschema.Errors)
	// present adjusts a document on its way out (computed fields).
	present func(s *Server, acct string, out Doc)
	// presentOnRead limits present to GET (callflow metadata is added by load_callflow, not
	// by saves).
	presentOnRead bool
	// clientID: the client must choose the id (notifications).
	clientID bool
	// billable names the service category a create may charge for (402 mode).
	billable string
	// nested collections below an item (lists/{id}/entries).
	nested map[string]*collection
	// parentField is set on nested documents to the parent's id (list_entries.list_id).
	parentField string
	// listIDsOnly: the listing is an array of ids (connectivity).
	listIDsOnly bool
	// adhoc: a GET of an id with no live document answers one built from the schema
	// defaults, without a revision (cb_conferences:maybe_build_conference/2).
	adhoc bool
	// viewPaging: the listing pages with crossbar_view (bad page_size refused) rather than
	// crossbar_doc:load_view.
	viewPaging bool
}

type uniqueRule struct {
	field string
	// fold compares case-insensitively (SIP usernames).
	fold bool
	// norm maps a value to the key it is compared by (mailboxes compare as integers); ""
	// means the value takes no part.
	norm    func(string) string
	message func(value string, other Doc) string
}

// parentRef names the item a nested collection hangs from.
type parentRef struct {
	coll *collection
	id   string
}

// write is one create or update on its way to the store.
type write struct {
	rc      *reqCtx
	acct    string
	method  string
	id      string
	old     Doc // the stored document (nil on create)
	doc     Doc // the public fields being written
	private Doc // private fields to set (nil removes one)
	// errs collects module-rule failures found while preparing the document; they are
	// answered together with the schema's, as KAZOO accumulates them.
	errs   kazooschema.Errors
	env    *envelope
	parent *parentRef
}

// handleCollection serves GET (list) and PUT (create) on a collection.
func (s *Server) handleCollection(rc *reqCtx, method, acct string, c *collection, parent *parentRef) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	if parent != nil && !s.liveDoc(acct, parent.coll, parent.id) {
		s.fail(rc, errBadIdentifier(parent.id))
		return
	}
	switch method {
	case http.MethodGet:
		s.listCollection(rc, acct, c, parent)
	case http.MethodPut:
		s.createDocument(rc, acct, c, parent)
	default:
		s.fail(rc, errMethod)
	}
}

func (s *Server) liveDoc(acct string, c *collection, id string) bool {
	d, _, ok := s.st.get(acct, id)
	return ok && d["pvt_deleted"] != true && d["pvt_type"] == c.pvtType
}

// handleDocument serves GET/POST/PATCH/DELETE on one document.
func (s *Server) handleDocument(rc *reqCtx, method, acct string, c *collection, id string, parent *parentRef) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	if parent != nil && !s.liveDoc(acct, parent.coll, parent.id) {
		s.fail(rc, errBadIdentifier(parent.id))
		return
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodDelete:
	case http.MethodPatch:
		if !c.patch {
			s.fail(rc, errMethod)
			return
		}
	default:
		s.fail(rc, errMethod)
		return
	}
	d, rec, ok := s.st.peek(acct, id)
	if !ok || d["pvt_deleted"] == true || d["pvt_type"] != c.pvtType ||
		(parent != nil && c.parentField != "" && d[c.parentField] != parent.id) {
		if c.adhoc && method == http.MethodGet {
			out := Doc{}
			_ = kazooschema.ApplyDefaults(c.schema, out)
			out["id"] = id
			if c.present != nil {
				c.present(s, acct, out)
			}
			s.reply(rc, http.StatusOK, out, "")
			return
		}
		s.fail(rc, errBadIdentifier(id))
		return
	}
	rev := rec.rev
	if method == http.MethodGet && (c.present == nil) {
		// The common read: the stored document's public JSON, encoded once per revision.
		s.reply(rc, http.StatusOK, rec.publicJSON(), rev)
		return
	}
	d = deepCopy(d).(map[string]any)
	if m := rc.r.Header.Get("If-Match"); m != "" && method != http.MethodGet && m != `"`+rev+`"` && m != rev {
		// cowboy_rest's if_match: crossbar never asks for it, but it works.
		rc.status = http.StatusPreconditionFailed
		rc.w.WriteHeader(http.StatusPreconditionFailed)
		return
	}
	switch method {
	case http.MethodGet:
		out := publicView(d)
		c.present(s, acct, out)
		s.reply(rc, http.StatusOK, out, rev)
	case http.MethodDelete:
		s.deleteDocument(rc, acct, c, id, d, rev)
	default:
		env, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := publicFields(data)
		var next Doc
		if method == http.MethodPatch {
			next = mergePatch(publicFields(d), pub)
		} else {
			next = pub
		}
		delete(next, "id")
		w := &write{rc: rc, acct: acct, method: method, id: id, old: d, doc: next, private: Doc{}, env: env, parent: parent}
		s.saveDocument(w, c, rev, http.StatusOK)
	}
}

func (s *Server) createDocument(rc *reqCtx, acct string, c *collection, parent *parentRef) {
	env, data, e := readObjectEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	// A client-chosen id (data.id, or _id) is honoured (cb_context:passed/1).
	id := str(data["id"])
	if id == "" {
		id = str(data["_id"])
	}
	if id == "" {
		if c.clientID {
			s.fail(rc, invalid("id", "required", "Field is required but missing", nil))
			return
		}
		id = newID()
	}
	if _, exists := s.st.getRaw(acct, id); exists {
		// A save without a revision over an existing (or soft-deleted) document.
		s.fail(rc, errConflict409)
		return
	}
	pub := publicFields(data)
	delete(pub, "id")
	w := &write{rc: rc, acct: acct, method: http.MethodPut, id: id, doc: pub, private: Doc{}, env: env, parent: parent}
	s.saveDocument(w, c, "", http.StatusCreated)
}

// saveDocument is the write pipeline shared by every collection: module normalization,
// schema defaults, schema validation, module checks and uniqueness, then a save that fails
// with 409 when the document changed since it was loaded.
func (s *Server) saveDocument(w *write, c *collection, rev string, status int) {
	rc := w.rc
	if w.parent != nil && c.parentField != "" {
		w.doc[c.parentField] = w.parent.id
	}
	if c.prepare != nil {
		if e := c.prepare(s, w); e != nil {
			s.fail(rc, e)
			return
		}
	}
	errs, e := s.validate(c.schema, w.doc)
	if e != nil {
		s.fail(rc, e)
		return
	}
	errs.Merge(w.errs)
	extendedValidation(c.schema, w.doc, errs)
	if c.check != nil {
		c.check(s, w, errs)
	}
	unlock := s.lock(w.acct)
	defer unlock()
	s.checkUnique(w, c, errs)
	if c.lockedCheck != nil {
		c.lockedCheck(s, w, errs)
	}
	if len(errs) > 0 {
		s.fail(rc, validationError(errs))
		return
	}
	if e := s.maybeCharge(w, c); e != nil {
		s.fail(rc, e)
		return
	}
	stored := w.doc
	if w.old != nil {
		for k, v := range w.old {
			if isPrivate(k) && k != "_read_only" {
				stored[k] = v
			}
		}
	} else {
		stored["pvt_created"] = gregorianNow()
		stored["pvt_vsn"] = "1"
	}
	for k, v := range w.private {
		if v == nil {
			delete(stored, k)
			continue
		}
		stored[k] = v
	}
	stored["pvt_type"] = c.pvtType
	stored["pvt_account_id"] = w.acct
	stored["pvt_account_db"] = accountDBName(w.acct)
	stored["pvt_modified"] = gregorianNow()
	stored["pvt_request_id"] = rc.reqID
	newRev, err := s.st.put(w.acct, w.id, stored, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	if status == http.StatusCreated {
		rc.w.Header().Set("Location", resolveLocation(rc.r.URL.Path, w.id))
	}
	s.reply(rc, status, s.present(w.acct, c, stored), newRev)
}

// validate fills the schema's defaults into doc and validates it. A value of the wrong JSON
// type that reads as the right one ("5" for an integer) is coerced once, as Crossbar does with
// strict validation off.
func (s *Server) validate(schema string, doc Doc) (kazooschema.Errors, *apiError) {
	if schema == "" {
		return kazooschema.Errors{}, nil
	}
	// Required properties are checked on what the client sent: a default does not satisfy
	// them (groups need endpoints even though it defaults to {}).
	before, err := kazooschema.Validate(schema, doc)
	if err != nil {
		return nil, errFault
	}
	if err := kazooschema.ApplyDefaults(schema, doc); err != nil {
		return nil, errFault
	}
	errs, err := kazooschema.Validate(schema, doc)
	if err != nil {
		return nil, errFault
	}
	if errs != nil && coerceTypes(doc, errs) {
		errs, err = kazooschema.Validate(schema, doc)
		if err != nil {
			return nil, errFault
		}
	}
	if errs == nil {
		errs = kazooschema.Errors{}
	}
	for path, rules := range before {
		if d, ok := rules["required"]; ok {
			errs.Add(path, "required", d)
		}
	}
	return errs, nil
}

// checkUnique applies the collection's uniqueness rules; the caller holds the account lock.
func (s *Server) checkUnique(w *write, c *collection, errs kazooschema.Errors) {
	if len(c.unique) == 0 {
		return
	}
	for _, rule := range c.unique {
		mine, ok := getPath(w.doc, rule.field)
		if !ok {
			continue
		}
		values := scalarValues(mine)
		s.st.each(w.acct, func(o Doc) bool {
			if str(o["_id"]) == w.id || o["pvt_type"] != c.pvtType || o["pvt_deleted"] == true {
				return true
			}
			theirs, ok := getPath(o, rule.field)
			if !ok {
				return true
			}
			for _, v := range values {
				if rule.norm != nil {
					v = rule.norm(v)
				}
				if v == "" {
					continue
				}
				for _, t := range scalarValues(theirs) {
					if rule.norm != nil {
						t = rule.norm(t)
					}
					if t == v || (rule.fold && strings.EqualFold(t, v)) {
						errs.Add(rule.field, "unique", kazooschema.ErrorDetail{Message: rule.message(v, o), Cause: v})
					}
				}
			}
			return true
		})
	}
}

func scalarValues(v any) []string {
	if arr, ok := v.([]any); ok {
		out := make([]string, 0, len(arr))
		for _, x := range arr {
			out = append(out, asString(x))
		}
		return out
	}
	return []string{asString(v)}
}

func (s *Server) deleteDocument(rc *reqCtx, acct string, c *collection, id string, d Doc, rev string) {
	unlock := s.lock(acct)
	defer unlock()
	out := s.present(acct, c, d)
	out["_read_only"] = Doc{"deleted": true}
	if rc.query.Get("should_soft_delete") == "false" || rc.query.Get("hard") == "true" {
		if err := s.st.remove(acct, id); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, out, rev)
		return
	}
	d["pvt_deleted"] = true
	d["pvt_modified"] = gregorianNow()
	newRev, err := s.st.put(acct, id, d, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, http.StatusOK, out, newRev)
}

// present is the public view of a stored document with the collection's computed fields, as
// writes answer it.
func (s *Server) present(acct string, c *collection, d Doc) Doc {
	out := publicView(d)
	if c.present != nil && !c.presentOnRead {
		c.present(s, acct, out)
	}
	return out
}

// maybeCharge answers 402 for billable creates when the simulator runs in accept-charges mode
// and the request did not accept them (crossbar_services:maybe_dry_run/3).
func (s *Server) maybeCharge(w *write, c *collection) *apiError {
	if !s.opts.RequireAcceptCharges || c.billable == "" || w.method != http.MethodPut {
		return nil
	}
	if w.env.AcceptCharges || truthy(w.rc.query.Get("accept_charges")) {
		return nil
	}
	item := c.billable
	if c.name == "devices" {
		item = firstNonEmpty(str(w.doc["device_type"]), "sip_device")
	}
	return &apiError{402, "accept charges", map[string]any{
		c.name: map[string]any{item: map[string]any{
			"category": c.name, "item": item, "quantity": 1, "rate": 1.0,
			"single_discount": false, "cumulative_discount": 0,
		}},
		"activation_charges": 0,
	}}
}

// resolveLocation is the Location header of a create: crossbar_doc:handle_json_success/3 puts
// the new id there and api_util:fix_header/3 resolves it against the request path
// (kz_util:resolve_uri/2): appended, or in place of an empty or dotted last segment.
func resolveLocation(path, id string) string {
	segs := strings.Split(path, "/")
	last := segs[len(segs)-1]
	if last == "" || strings.Contains(last, ".") {
		segs[len(segs)-1] = id
	} else {
		segs = append(segs, id)
	}
	return strings.Join(segs, "/")
}
