package kazoosim

import (
	"net/http"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
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
		unlock := s.lock(acct)
		defer unlock()
		out := numberView(d)
		if rc.query.Get("hard") == "true" {
			if err := s.st.remove(acct, num); err != nil {
				s.fail(rc, storeError(err))
				return
			}
		} else {
			// Releasing a number takes it out of the account.
			d["pvt_deleted"] = true
			d["pvt_state"] = "released"
			if _, err := s.st.put(acct, num, d, rev); err != nil {
				s.fail(rc, storeError(err))
				return
			}
			out["state"] = "released"
		}
		s.reply(rc, http.StatusOK, out, rev)
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
	if errs, err := kazooschema.Validate("phone_numbers", pub); err != nil {
		s.fail(rc, errFault)
		return
	} else if errs != nil {
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
			rev = r.rev // a released number is taken again
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
		// Filters see the number as the API shows it (filter_state=in_service), plus the
		// timestamps created_from/modified_from compare.
		fd := numberView(d)
		fd["pvt_created"], fd["pvt_modified"] = d["pvt_created"], d["pvt_modified"]
		rows = append(rows, listRow{key: id, id: id, doc: fd, value: v})
	}
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
