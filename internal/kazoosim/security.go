package kazoosim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// securityDocID is where cb_security keeps an account's crossbar.auth configuration
// (kapps_config_util:account_doc_id/1).
const securityDocID = "configs_crossbar.auth"

// securitySchema validates it.
const securitySchema = "account_config.crossbar.auth"

// handleSecurity serves /v2/accounts/{A}/security: the account's authentication settings
// (which login methods are enabled, and how long their tokens live). GET answers the account's
// own settings and those it inherits; POST replaces, PATCH merges, DELETE removes them.
func (s *Server) handleSecurity(rc *reqCtx, method, acct string) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	d, rev, exists := s.st.get(acct, securityDocID)
	switch method {
	case http.MethodGet:
		own := Doc{}
		if exists {
			own = publicFields(d)
		}
		s.reply(rc, http.StatusOK, Doc{"account": own, "inherited_config": Doc{"auth_modules": s.inheritedAuthModules(acct, false)}}, "")
	case http.MethodDelete:
		if !exists {
			s.fail(rc, &apiError{404, "bad_identifier", map[string]any{"cause": "account does not have customize auth configuration", "message": "bad identifier"}})
			return
		}
		if err := s.st.remove(acct, securityDocID); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, publicFields(d), rev)
	case http.MethodPost, http.MethodPatch:
		_, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := publicFields(data)
		delete(pub, "id")
		if method == http.MethodPatch && exists {
			pub = mergePatch(publicFields(d), pub)
		}
		errs, ae := s.validate(securitySchema, pub)
		if ae != nil {
			s.fail(rc, ae)
			return
		}
		if len(errs) > 0 {
			s.fail(rc, validationError(errs))
			return
		}
		unlock := s.lock(acct)
		defer unlock()
		if !exists {
			rev = ""
		}
		pub["pvt_type"] = "account_config"
		pub["pvt_account_id"] = acct
		pub["pvt_modified"] = gregorianNow()
		newRev, err := s.st.put(acct, securityDocID, pub, rev)
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, publicFields(pub), newRev)
	default:
		s.fail(rc, errMethod)
	}
}

// inheritedAuthModules merges the auth_modules settings of the system (the schema's defaults,
// with the simulator's -token-ttl), the account's ancestors and, when withOwn, the account
// itself, nearest last (crossbar_auth:get_inherited_config/1).
func (s *Server) inheritedAuthModules(acct string, withOwn bool) Doc {
	merged := Doc{}
	base := Doc{}
	_ = kazooschema.ApplyDefaults(securitySchema, base)
	if m, ok := base["auth_modules"].(map[string]any); ok {
		ttl := json.Number(strconv.FormatInt(int64(s.opts.TokenTTL/time.Second), 10))
		for _, v := range m {
			if mod, ok := v.(map[string]any); ok {
				mod["token_auth_expiry_s"] = ttl
			}
		}
		merged = mergePatch(merged, m)
	}
	chain := []string{}
	if a, ok := s.account(acct); ok {
		chain = append(chain, strSlice(a["pvt_tree"])...)
	}
	if withOwn {
		chain = append(chain, acct)
	}
	for _, id := range chain {
		if d, _, ok := s.st.peek(id, securityDocID); ok {
			if m, ok := d["auth_modules"].(map[string]any); ok {
				merged = mergePatch(merged, m)
			}
		}
	}
	return merged
}

// tokenTTL is the lifetime of a token issued by method ("cb_api_auth") for an account: its own
// or inherited token_auth_expiry_s, else the simulator's -token-ttl.
func (s *Server) tokenTTL(acct, method string) time.Duration {
	mods := s.inheritedAuthModules(acct, true)
	if mod, ok := mods[method].(map[string]any); ok {
		if n, err := strconv.ParseInt(asString(mod["token_auth_expiry_s"]), 10, 64); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return s.opts.TokenTTL
}
