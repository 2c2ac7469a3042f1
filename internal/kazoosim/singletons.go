package kazoosim

import (
	"net/http"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// singleton describes a one-per-account document at /v2/accounts/{A}/<name>.
type singleton struct {
	name, schema, docID, pvtType string
	// methods lists what KAZOO allows besides GET; none of these take PATCH.
	put, del bool
	// defaultOnMissing: GET answers the schema defaults before the first POST (limits).
	defaultOnMissing bool
	// onAccount: the data lives under this key of the account document (metaflows).
	onAccount string
	// readOnly fields are computed by KAZOO and dropped from requests.
	readOnly []string
	// globalUnique fields must be unique across all accounts (whitelabel domain).
	globalUnique []string
	// restricted: only a reseller, a direct child of master or a superduper admin may write.
	restricted bool
}

var singletons = map[string]*singleton{
	"limits": {name: "limits", schema: "limits", docID: "limits", pvtType: "limits", defaultOnMissing: true,
		readOnly: []string{"allow_postpay", "max_postpay_amount"}, restricted: true},
	"whitelabel": {name: "whitelabel", schema: "whitelabel", docID: "whitelabel", pvtType: "whitelabel",
		put: true, del: true, globalUnique: []string{"domain"}},
	"metaflows": {name: "metaflows", schema: "metaflows", onAccount: "metaflows", del: true},
}

func (s *Server) handleSingleton(rc *reqCtx, method, acct string, sg *singleton) {
	acctDoc, acctRev, ok := s.st.get(accountsDB, acct)
	if !ok || acctDoc["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	switch {
	case method == http.MethodGet:
	case method == http.MethodPost:
	case method == http.MethodPut && sg.put:
	case method == http.MethodDelete && sg.del:
	default:
		s.fail(rc, errMethod)
		return
	}
	if sg.onAccount != "" {
		s.handleAccountSingleton(rc, method, acct, sg, acctDoc, acctRev)
		return
	}
	d, rev, exists := s.st.get(acct, sg.docID)
	if exists && d["pvt_deleted"] == true {
		exists = false
	}
	switch method {
	case http.MethodGet:
		if !exists {
			if !sg.defaultOnMissing {
				s.fail(rc, errBadIdentifier(sg.docID))
				return
			}
			d = Doc{}
			_ = kazooschema.ApplyDefaults(sg.schema, d)
			d["id"] = sg.docID
			s.reply(rc, http.StatusOK, d, "")
			return
		}
		out := publicView(d)
		if sg.name == "limits" {
			// cb_limits_v2 leaks these two private fields.
			out["allow_postpay"] = d["pvt_allow_postpay"] == true
			out["max_postpay_amount"] = d["pvt_max_postpay_amount"]
			if out["max_postpay_amount"] == nil {
				out["max_postpay_amount"] = 0
			}
		}
		s.reply(rc, http.StatusOK, out, rev)
	case http.MethodDelete:
		if !exists {
			s.fail(rc, errBadIdentifier(sg.docID))
			return
		}
		if err := s.st.remove(acct, sg.docID); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		for kind := range whitelabelBinaries {
			if sg.name == "whitelabel" {
				_ = s.st.removeAttachment(acct, whitelabelAttachmentID(kind))
			}
		}
		out := publicView(d)
		out["_read_only"] = Doc{"deleted": true}
		s.reply(rc, http.StatusOK, out, rev)
	default:
		if method == http.MethodPut && exists {
			s.fail(rc, errConflict409)
			return
		}
		if method == http.MethodPost && !exists && !sg.defaultOnMissing {
			s.fail(rc, errBadIdentifier(sg.docID))
			return
		}
		if sg.restricted && !s.mayWriteRestricted(rc, acct) {
			s.fail(rc, &apiError{403, "forbidden", map[string]any{"message": "Please contact your phone provider to add limits."}})
			return
		}
		env, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := publicFields(data)
		delete(pub, "id")
		for _, k := range sg.readOnly {
			delete(pub, k)
		}
		errs, ae := s.validate(sg.schema, pub)
		if ae != nil {
			s.fail(rc, ae)
			return
		}
		if len(errs) > 0 {
			s.fail(rc, validationError(errs))
			return
		}
		if s.opts.RequireAcceptCharges && sg.name == "limits" && !env.AcceptCharges && !truthy(rc.query.Get("accept_charges")) {
			s.fail(rc, &apiError{402, "accept charges", map[string]any{
				"limits":             map[string]any{"twoway_trunks": map[string]any{"category": "limits", "item": "twoway_trunks", "quantity": pub["twoway_trunks"]}},
				"activation_charges": 0,
			}})
			return
		}
		unlock := s.lock(acct)
		defer unlock()
		for _, f := range sg.globalUnique {
			v := str(pub[f])
			if v == "" {
				continue
			}
			for _, db := range s.st.dbNames() {
				if db == acct {
					continue
				}
				if o, _, ok := s.st.get(db, sg.docID); ok && o["pvt_deleted"] != true && strings.EqualFold(str(o[f]), v) {
					// cb_whitelabel:validate_unique_domain/2.
					errs.Add(f, "unique", kazooschema.ErrorDetail{Message: "White label domain is already in use", Cause: v})
				}
			}
		}
		if len(errs) > 0 {
			s.fail(rc, validationError(errs))
			return
		}
		if exists {
			for k, v := range d {
				if isPrivate(k) {
					pub[k] = v
				}
			}
		} else {
			pub["pvt_created"] = gregorianNow()
			rev = ""
			if r, ok := s.st.getRaw(acct, sg.docID); ok {
				rev = r.rev
			}
		}
		delete(pub, "pvt_deleted")
		pub["pvt_type"] = sg.pvtType
		pub["pvt_account_id"] = acct
		pub["pvt_modified"] = gregorianNow()
		newRev, err := s.st.put(acct, sg.docID, pub, rev)
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		status := http.StatusOK
		if method == http.MethodPut {
			status = http.StatusCreated
		}
		s.reply(rc, status, publicView(pub), newRev)
	}
}

// mayWriteRestricted is cb_limits_v2:is_allowed/1: the account's reseller, any account whose
// reseller is the master account, or a superduper admin.
func (s *Server) mayWriteRestricted(rc *reqCtx, acct string) bool {
	if rc.auth.superduper {
		return true
	}
	a, ok := s.account(acct)
	if !ok {
		return false
	}
	reseller := s.resellerOf(a)
	return reseller == rc.auth.accountID || reseller == s.masterID
}

// handleAccountSingleton serves a singleton kept on the account document (metaflows).
func (s *Server) handleAccountSingleton(rc *reqCtx, method, acct string, sg *singleton, acctDoc Doc, rev string) {
	cur, _ := acctDoc[sg.onAccount].(map[string]any)
	switch method {
	case http.MethodGet:
		if cur == nil {
			cur = Doc{}
		}
		s.reply(rc, http.StatusOK, cur, rev)
		return
	case http.MethodDelete:
		delete(acctDoc, sg.onAccount)
		cur = Doc{}
	default:
		_, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := publicFields(data)
		errs, ae := s.validate(sg.schema, pub)
		if ae != nil {
			s.fail(rc, ae)
			return
		}
		if len(errs) > 0 {
			s.fail(rc, validationError(errs))
			return
		}
		acctDoc[sg.onAccount] = pub
		cur = pub
	}
	unlock := s.lock(accountsDB)
	defer unlock()
	newRev, err := s.st.put(accountsDB, acct, acctDoc, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, http.StatusOK, cur, newRev)
}
