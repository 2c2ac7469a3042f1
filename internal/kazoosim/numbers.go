package kazoosim

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
)

// numberStates is the phone_numbers schema's create_with_state enum.
var numberStates = map[string]bool{"aging": true, "available": true, "deleted": true, "discovery": true,
	"in_service": true, "port_in": true, "port_out": true, "released": true, "reserved": true}

// handlePhoneNumbers serves /phone_numbers (a map listing) and /phone_numbers/{NUMBER}, whose
// id is the number itself.
func (s *Server) handlePhoneNumbers(rc *reqCtx, method, acct, num string) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	if num == "" {
		if method != http.MethodGet {
			s.fail(rc, errMethod)
			return
		}
		s.listNumbers(rc, acct)
		return
	}
	if method == http.MethodPut {
		s.createNumber(rc, acct, num)
		return
	}
	if num == "classifiers" {
		if method != http.MethodGet {
			s.fail(rc, errMethod)
			return
		}
		s.reply(rc, http.StatusOK, classifierDocs(), "")
		return
	}
	d, rev, ok := s.st.get(acct, num)
	if !ok || d["pvt_type"] != "number" || d["pvt_deleted"] == true {
		s.fail(rc, &apiError{404, "bad_identifier", map[string]any{"message": "bad identifier", "not_found": "The number could not be found"}})
		return
	}
	switch method {
	case http.MethodGet:
		s.reply(rc, http.StatusOK, numberView(d), rev)
	case http.MethodPost, http.MethodPatch:
		_, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := numberPublic(data)
		if method == http.MethodPatch {
			pub = mergePatch(numberPublic(d), pub)
		}
		s.saveNumber(rc, acct, num, pub, nil, d, rev, http.StatusOK)
	case http.MethodDelete:
		// knm_numbers:release/2 with 4.3's defaults: the number leaves the account in
		// number_manager.released_state ("available"); as a local number (knm_local, what a
		// PUT creates) it is then deleted permanently (unwind_maybe_disconnect/1,
		// delete_maybe_age/1), so it can be added again anywhere.
		unlock := s.lock(acct)
		defer unlock()
		if state := str(d["pvt_state"]); state != "released" && state != "reserved" && state != "port_in" &&
			state != "in_service" && str(d["pvt_module_name"]) != "knm_local" {
			s.fail(rc, &apiError{400, "invalid_state_transition", map[string]any{"cause": "from " + state + " to available",
				"code": 400, "error": "invalid_state_transition", "message": "invalid state transition"}})
			return
		}
		d["pvt_state"] = "available"
		delete(d, "pvt_assigned_to")
		out := numberView(d)
		if err := s.st.remove(acct, num); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, out, "")
	default:
		s.fail(rc, errMethod)
	}
}

// numberPublic strips private keys and the computed fields a client may echo back.
func numberPublic(d Doc) Doc {
	pub := publicFields(d)
	for _, k := range []string{"id", "state", "used_by", "features", "create_with_state", "_read_only"} {
		delete(pub, k)
	}
	return pub
}

func numberView(d Doc) Doc {
	out := numberPublic(d)
	out["id"] = d["_id"]
	out["state"] = d["pvt_state"]
	features := d["pvt_features"]
	if features == nil {
		features = []any{}
	}
	out["features"] = features
	if u := str(d["pvt_used_by"]); u != "" {
		out["used_by"] = u
	}
	out["_read_only"] = Doc{
		"created":  d["pvt_created"],
		"modified": d["pvt_modified"],
		"state":    d["pvt_state"],
		"features": features,
	}
	return out
}

func (s *Server) createNumber(rc *reqCtx, acct, num string) {
	env, e := readEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	data, _ := env.Data.(map[string]any)
	if data == nil {
		data = Doc{}
	}
	state := firstNonEmpty(str(data["create_with_state"]), "reserved")
	if !numberStates[state] {
		s.fail(rc, invalid("create_with_state", "enum", "Value not found in enumerated list of values", state))
		return
	}
	if !strings.HasPrefix(num, "+") {
		num = kazoonorm.E164(num)
	}
	if e := s.maybeChargeNumber(rc, env); e != nil {
		s.fail(rc, e)
		return
	}
	pub := numberPublic(data)
	priv := Doc{"pvt_state": state, "pvt_features": []any{}, "pvt_assigned_to": acct,
		"pvt_created": gregorianNow(), "pvt_module_name": "knm_local"}
	s.saveNumber(rc, acct, num, pub, priv, nil, "", http.StatusCreated)
}

func (s *Server) maybeChargeNumber(rc *reqCtx, env *envelope) *apiError {
	if !s.opts.RequireAcceptCharges || env.AcceptCharges || truthy(rc.query.Get("accept_charges")) {
		return nil
	}
	return &apiError{402, "accept charges", map[string]any{
		"phone_numbers":      map[string]any{"did_us": map[string]any{"category": "phone_numbers", "item": "did_us", "quantity": 1}},
		"activation_charges": 0,
	}}
}

// saveNumber validates and stores a number document: pub holds its public fields, priv the
// private ones a create sets, old the stored document on update.
func (s *Server) saveNumber(rc *reqCtx, acct, num string, pub, priv, old Doc, rev string, status int) {
	// cb_phone_numbers_v2 stores the validated request (cb_context:doc), defaults filled in.
	if errs, ae := s.validate("phone_numbers", pub); ae != nil {
		s.fail(rc, ae)
		return
	} else if len(errs) > 0 {
		s.fail(rc, validationError(errs))
		return
	}
	unlock := s.lock(numbersLock)
	defer unlock()
	if old == nil {
		for _, db := range s.st.dbNames() {
			if d, _, ok := s.st.get(db, num); ok && d["pvt_type"] == "number" && d["pvt_deleted"] != true {
				s.fail(rc, &apiError{409, "number_exists", map[string]any{
					"cause": num, "code": 409, "error": "number_exists", "message": "number " + num + " already exists"}})
				return
			}
		}
		if r, ok := s.st.getRaw(acct, num); ok {
			rev = r.rev
		}
	}
	stored := pub
	if old != nil {
		for k, v := range old {
			if isPrivate(k) {
				stored[k] = v
			}
		}
	}
	for k, v := range priv {
		stored[k] = v
	}
	delete(stored, "pvt_deleted")
	stored["pvt_type"] = "number"
	stored["pvt_modified"] = gregorianNow()
	newRev, err := s.st.put(acct, num, stored, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, status, numberView(stored), newRev)
}

// numbersLock serializes number creation system-wide: a number belongs to one account.
const numbersLock = "\x00numbers"

func (s *Server) listNumbers(rc *reqCtx, acct string) {
	var rows []listRow
	for _, d := range s.st.shared(acct) {
		if d["pvt_type"] != "number" || d["pvt_deleted"] == true {
			continue
		}
		id := str(d["_id"])
		features := d["pvt_features"]
		if features == nil {
			features = []any{}
		}
		v := Doc{"state": d["pvt_state"], "features": features, "assigned_to": d["pvt_assigned_to"],
			"created": d["pvt_created"], "updated": d["pvt_modified"]}
		if u := str(d["pvt_used_by"]); u != "" {
			v["used_by"] = u
		}
		// Filters see the stored document (the view is read with include_docs): the number
		// is its _id, the state pvt_state, the user pvt_used_by.
		rows = append(rows, listRow{key: id, id: id, doc: d, value: v})
	}
	rc.query = renameNumberFilters(rc.query)
	page, pg, e := pageRows(rc, rows, false)
	if e != nil {
		s.fail(rc, e)
		return
	}
	numbers := Doc{}
	for _, r := range page {
		numbers[r.id] = r.value
	}
	s.replyPaged(rc, http.StatusOK, Doc{"numbers": numbers, "cascade_quantity": 0}, "", pg)
}

// renameNumberFilters is cb_phone_numbers_v2's rename_qs_filters/1: the filters of the
// listing's public names for the state, the owner and the locality compare the stored
// document's private keys. Every other filter compares the key it names.
func renameNumberFilters(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		switch k {
		case "filter_state", "filter_assigned_to", "filter_locality":
			k = "filter_pvt_" + strings.TrimPrefix(k, "filter_")
		}
		out[k] = v
	}
	return out
}

// classifier is one of knm_converters' ?DEFAULT_CLASSIFIERS, in their order.
type classifier struct {
	name, regex, friendlyName, prettyPrint string
	emergency                              bool
}

var classifiers = []classifier{
	{"tollfree_us", `^\+1((?:800|88\d|877|866|855|844|833|822)\d{7})$`, "US TollFree", "SS(###) ### - ####", false},
	{"toll_us", `^\+1(900\d{7})$`, "US Toll", "SS(###) ### - ####", false},
	{"emergency", `^(911|922|933|988|833|811|711|999)$`, "Emergency Dispatcher", "", true},
	{"caribbean", `^\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787|939|869|758|784|721|868|649|340)\d{7})$`, "Caribbean", "SS(###) ### - ####", false},
	{"did_us", `^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$`, "US DID", "SS(###) ### - ####", false},
	{"international", `^\+([2-9]\d{7,})$`, "International", "", false},
	{"unknown", `^(.*)$`, "Unknown", "", false},
}

func (c classifier) doc() Doc {
	d := Doc{"regex": c.regex, "friendly_name": c.friendlyName}
	if c.prettyPrint != "" {
		d["pretty_print"] = c.prettyPrint
	}
	if c.emergency {
		d["emergency"] = true
	}
	return d
}

// classifierDocs is GET /phone_numbers/classifiers (knm_converters:available_classifiers/0).
func classifierDocs() Doc {
	out := Doc{}
	for _, c := range classifiers {
		out[c.name] = c.doc()
	}
	return out
}

// classifyNumber is GET /phone_numbers/classifiers/{number} (cb_phone_numbers_v2
// classify_number/2): the number, its E.164 form and the first classifier matching that.
func classifyNumber(num string) Doc {
	e164 := kazoonorm.E164(num)
	for _, c := range classifiers {
		if regexp.MustCompile(c.regex).MatchString(e164) {
			out := c.doc()
			out["name"], out["number"], out["e164"] = c.name, num, e164
			return out
		}
	}
	return Doc{"number": num, "e164": e164}
}

// handleNumberAction serves PUT /phone_numbers/{number}/activate (knm_number:move/3: the
// number, which must exist, is moved to the account and put in service; charges apply) and
// GET /phone_numbers/classifiers/{number}.
func (s *Server) handleNumberAction(rc *reqCtx, method, acct, first, second string) {
	if first == "classifiers" {
		if method != http.MethodGet {
			s.fail(rc, errMethod)
			return
		}
		s.reply(rc, http.StatusOK, classifyNumber(second), "")
		return
	}
	if second != "activate" {
		s.fail(rc, errNotFound)
		return
	}
	if method != http.MethodPut {
		s.fail(rc, errMethod)
		return
	}
	env, e := readEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	num := first
	if !strings.HasPrefix(num, "+") {
		num = kazoonorm.E164(num)
	}
	unlock := s.lock(numbersLock)
	defer unlock()
	owner := s.numberOwner(num)
	if owner == "" {
		s.fail(rc, &apiError{404, "bad_identifier", map[string]any{"message": "bad identifier", "not_found": "The number could not be found"}})
		return
	}
	if owner != acct && !s.isSameOrAncestor(rc.auth.accountID, owner) && !rc.auth.superduper {
		s.fail(rc, errForbidden)
		return
	}
	if e := s.maybeChargeNumber(rc, env); e != nil {
		s.fail(rc, e)
		return
	}
	d, rev, _ := s.st.get(owner, num)
	if owner != acct {
		if err := s.st.remove(owner, num); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		rev = ""
		if r, ok := s.st.getRaw(acct, num); ok {
			rev = r.rev
		}
	}
	d["pvt_state"] = "in_service"
	d["pvt_assigned_to"] = acct
	d["pvt_modified"] = gregorianNow()
	newRev, err := s.st.put(acct, num, d, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, http.StatusOK, numberView(d), newRev)
}
