package kazoosim

import (
	"net/http"
	"net/url"
	"strings"
)

type authMode int

const (
	authRequired authMode = iota
	authNone
)

// route is a matched request: its handler, the route pattern used for /sim/stats and the
// account id named by the URL, if any.
type route struct {
	pattern   string
	handler   func(rc *reqCtx, method string)
	auth      authMode
	login     bool
	account   string
	faultable bool
	// early is an error answered before authentication (a malformed account id).
	early *apiError
	// accepts lists the media types a write may carry (nil: Crossbar's default list).
	accepts []string
}

const acctPrefix = "/v2/accounts/{ACCOUNT_ID}"

// match resolves a request path to a route. Path segments are unescaped one by one, so phone
// numbers keep their '+' whether or not the client encoded it as %2B.
func (s *Server) match(rawPath string) route {
	switch rawPath {
	case "/sim/stats":
		return route{pattern: "/sim/stats", handler: s.handleStats}
	case "/sim/stats/reset":
		return route{pattern: "/sim/stats/reset", handler: s.handleStatsReset}
	}
	if !strings.HasPrefix(rawPath, "/v2/") {
		return route{pattern: "*"}
	}
	parts := strings.Split(strings.Trim(rawPath[len("/v2/"):], "/"), "/")
	segs := make([]string, len(parts))
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return route{pattern: "*"}
		}
		segs[i] = u
	}
	switch segs[0] {
	case "api_auth":
		if len(segs) == 1 {
			return route{pattern: "/v2/api_auth", handler: s.handleAPIAuth, auth: authNone, login: true}
		}
	case "user_auth":
		if len(segs) == 1 {
			return route{pattern: "/v2/user_auth", handler: s.handleUserAuth, auth: authNone, login: true}
		}
	case "auth":
		if len(segs) == 1 {
			return route{pattern: "/v2/auth", handler: s.handleAuthRefresh}
		}
	case "token_auth":
		if len(segs) == 1 {
			return route{pattern: "/v2/token_auth", handler: s.handleTokenAuth}
		}
	case "accounts":
		return s.matchAccounts(segs[1:])
	case "account":
		// api_util:parse_path_tokens/3: /account is /accounts/{the token's account}.
		return route{pattern: "/v2/account/*", handler: func(rc *reqCtx, m string) { s.handleAccountAlias(rc, m, segs[1:]) }}
	case "search":
		if len(segs) == 1 {
			return route{pattern: "/v2/search", handler: func(rc *reqCtx, m string) { s.handleSearch(rc, m, "") }}
		}
	case "webhooks":
		if len(segs) == 1 {
			return route{pattern: "/v2/webhooks", auth: authNone, handler: s.handleAvailableHooks}
		}
	case "whitelabel":
		if len(segs) == 2 || (len(segs) == 3 && whitelabelBinaries[segs[2]].missing != "") {
			kind := ""
			if len(segs) == 3 {
				kind = segs[2]
			}
			return route{pattern: "/v2/whitelabel/{DOMAIN}", auth: authNone,
				handler: func(rc *reqCtx, m string) { s.handleWhitelabelDomain(rc, m, segs[1], kind) }}
		}
	case "schemas":
		switch {
		case len(segs) == 1:
			return route{pattern: "/v2/schemas", auth: authNone, handler: func(rc *reqCtx, m string) { s.handleSchemas(rc, m, "", false) }}
		case len(segs) == 2:
			return route{pattern: "/v2/schemas/{SCHEMA}", auth: authNone, handler: func(rc *reqCtx, m string) { s.handleSchemas(rc, m, segs[1], false) }}
		case len(segs) == 3 && segs[2] == "validation":
			return route{pattern: "/v2/schemas/{SCHEMA}/validation", auth: authNone, handler: func(rc *reqCtx, m string) { s.handleSchemas(rc, m, segs[1], true) }}
		}
	}
	return route{pattern: "*"}
}

func (s *Server) matchAccounts(segs []string) route {
	if len(segs) == 0 {
		return route{pattern: "/v2/accounts", handler: func(rc *reqCtx, m string) { s.handleAccount(rc, m, "") }, faultable: true}
	}
	acct := segs[0]
	r := route{account: acct, faultable: true}
	if !hex32.MatchString(acct) {
		r.pattern = acctPrefix + "/*"
		r.account = ""
		r.early = badAccountID(acct)
		r.handler = func(rc *reqCtx, _ string) { s.fail(rc, r.early) }
		return r
	}
	rest := segs[1:]
	if len(rest) == 0 {
		r.pattern = acctPrefix
		r.handler = func(rc *reqCtx, m string) { s.handleAccount(rc, m, acct) }
		return r
	}
	name := rest[0]
	if !s.modules[moduleOf(name)] && (collections[name] != nil || singletons[name] != nil || name == "phone_numbers") {
		// Not loaded (crossbar.autoload_modules): no module answers allowed_methods, so
		// api_resource:maybe_allow_method/4 answers 404 not_found.
		return route{pattern: acctPrefix + "/*", account: acct, handler: func(rc *reqCtx, _ string) { s.fail(rc, errNotFound) }}
	}
	switch {
	case len(rest) == 1 && (name == "children" || name == "descendants" || name == "siblings" ||
		name == "parents" || name == "tree"):
		r.pattern = acctPrefix + "/" + name
		r.handler = func(rc *reqCtx, m string) { s.handleAccountTree(rc, m, acct, name) }
		return r
	case len(rest) == 1 && name == "security":
		r.pattern = acctPrefix + "/security"
		r.handler = func(rc *reqCtx, m string) { s.handleSecurity(rc, m, acct) }
		return r
	case len(rest) == 1 && name == "reseller":
		r.pattern = acctPrefix + "/reseller"
		r.handler = func(rc *reqCtx, m string) { s.handleReseller(rc, m, acct) }
		return r
	case len(rest) == 1 && name == "search":
		r.pattern = acctPrefix + "/search"
		r.handler = func(rc *reqCtx, m string) { s.handleSearch(rc, m, acct) }
		return r
	case len(rest) == 1 && name == "move":
		r.pattern = acctPrefix + "/move"
		r.handler = func(rc *reqCtx, m string) { s.handleMove(rc, m, acct) }
		return r
	case len(rest) == 1 && name == "api_key":
		r.pattern = acctPrefix + "/api_key"
		r.handler = func(rc *reqCtx, m string) { s.handleAPIKey(rc, m, acct) }
		return r
	case name == "phone_numbers" && len(rest) == 3:
		r.pattern = acctPrefix + "/phone_numbers/{NUMBER}/" + rest[2]
		if rest[1] == "classifiers" {
			r.pattern = acctPrefix + "/phone_numbers/classifiers/{NUMBER}"
		}
		r.handler = func(rc *reqCtx, m string) { s.handleNumberAction(rc, m, acct, rest[1], rest[2]) }
		return r
	case name == "phone_numbers" && len(rest) <= 2:
		r.pattern = acctPrefix + "/phone_numbers"
		num := ""
		if len(rest) == 2 {
			num = rest[1]
			r.pattern += "/{NUMBER}"
		}
		r.handler = func(rc *reqCtx, m string) { s.handlePhoneNumbers(rc, m, acct, num) }
		return r
	}
	if name == "whitelabel" && len(rest) == 2 && whitelabelBinaries[rest[1]].missing != "" {
		kind := rest[1]
		r.pattern = acctPrefix + "/whitelabel/" + kind
		r.accepts = whitelabelBinaries[kind].accepts
		r.handler = func(rc *reqCtx, m string) { s.handleWhitelabelBinary(rc, m, acct, kind) }
		return r
	}
	if sg := singletons[name]; sg != nil && len(rest) == 1 {
		r.pattern = acctPrefix + "/" + name
		r.handler = func(rc *reqCtx, m string) { s.handleSingleton(rc, m, acct, sg) }
		return r
	}
	c := collections[name]
	if c == nil {
		return route{pattern: acctPrefix + "/*", account: acct, handler: func(rc *reqCtx, _ string) { s.fail(rc, errNotFound) }}
	}
	base := acctPrefix + "/" + name
	if h := ownHandlers[name]; h != nil && len(rest) <= 2 {
		r.pattern = base
		id := ""
		if len(rest) == 2 {
			r.pattern, id = base+"/{ID}", rest[1]
		}
		r.handler = func(rc *reqCtx, m string) { h(s, rc, m, acct, c, id) }
		return r
	}
	switch len(rest) {
	case 1:
		r.pattern = base
		r.handler = func(rc *reqCtx, m string) { s.handleCollection(rc, m, acct, c, nil) }
		return r
	case 2:
		id := rest[1]
		if c.name == "devices" && id == "status" {
			// Registrations: the simulator has no SIP side, so nothing is registered.
			r.pattern = base + "/status"
			r.handler = func(rc *reqCtx, m string) { s.handleEmptyList(rc, m, acct) }
			return r
		}
		r.pattern = base + "/{ID}"
		r.handler = func(rc *reqCtx, m string) { s.handleDocument(rc, m, acct, c, id, nil) }
		return r
	case 3:
		if c.name == "devices" && rest[2] == "sync" {
			return s.deviceSyncRoute(r, acct, rest[1])
		}
		if c.name == "users" && rest[2] == "devices" {
			owner := rest[1]
			r.pattern = base + "/{ID}/devices"
			r.handler = func(rc *reqCtx, m string) { s.handleUserDevices(rc, m, acct, owner) }
			return r
		}
		if c.name == "media" && rest[2] == "raw" {
			r.pattern = base + "/{ID}/raw"
			r.accepts = mediaAccepted
			id := rest[1]
			r.handler = func(rc *reqCtx, m string) { s.handleMediaRaw(rc, m, acct, id) }
			return r
		}
		if c.name == "vmboxes" && rest[2] == "messages" {
			r.pattern = base + "/{ID}/messages"
			r.accepts = messageUploadTypes
			r.handler = func(rc *reqCtx, m string) { s.handleVMBoxMessages(rc, m, acct, rest[1], "", false) }
			return r
		}
		if sub := c.nested[rest[2]]; sub != nil {
			parent := &parentRef{coll: c, id: rest[1]}
			r.pattern = base + "/{ID}/" + rest[2]
			r.handler = func(rc *reqCtx, m string) { s.handleCollection(rc, m, acct, sub, parent) }
			return r
		}
	case 4, 5:
		if c.name == "vmboxes" && rest[2] == "messages" && (len(rest) == 4 || rest[4] == "raw") {
			r.pattern = base + "/{ID}/messages/{MESSAGE_ID}"
			if len(rest) == 5 {
				r.pattern += "/raw"
			}
			r.handler = func(rc *reqCtx, m string) { s.handleVMBoxMessages(rc, m, acct, rest[1], rest[3], len(rest) == 5) }
			return r
		}
		if sub := c.nested[rest[2]]; sub != nil && len(rest) == 4 {
			parent := &parentRef{coll: c, id: rest[1]}
			id := rest[3]
			r.pattern = base + "/{ID}/" + rest[2] + "/{ENTRY_ID}"
			r.handler = func(rc *reqCtx, m string) { s.handleDocument(rc, m, acct, sub, id, parent) }
			return r
		}
	}
	return route{pattern: acctPrefix + "/*", account: acct, handler: func(rc *reqCtx, _ string) { s.fail(rc, errNotFound) }}
}

// ownHandlers serve collections whose list and items are not plain CRUD in one account.
var ownHandlers = map[string]func(s *Server, rc *reqCtx, method, acct string, c *collection, id string){
	"notifications":      (*Server).handleNotifications,
	"resource_templates": (*Server).handleResourceTemplates,
}

// badAccountID is malformed_request/3's answer: note the error name with a space.
func badAccountID(id string) *apiError {
	return &apiError{404, "bad identifier", map[string]any{"message": "invalid account_id '" + id + "'"}}
}

// handleAccountAlias serves /v2/account[/…] as /v2/accounts/{the token's account}[/…].
func (s *Server) handleAccountAlias(rc *reqCtx, method string, rest []string) {
	path := "/v2/accounts/" + rc.auth.accountID
	for _, seg := range rest {
		path += "/" + url.PathEscape(seg)
	}
	rt := s.match(path)
	if rt.handler == nil {
		s.fail(rc, errNotFound)
		return
	}
	rt.handler(rc, method)
}

// handleResourceTemplates serves resource_templates from the database cb_resource_templates
// uses (determine_template_database/1): the account's reseller's, or with ?local=true the
// requester's own when it is a reseller. Only the owner of that database may write
// (is_allowed_to_update/1).
func (s *Server) handleResourceTemplates(rc *reqCtx, method, acct string, c *collection, id string) {
	a, ok := s.account(acct)
	if !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	db := s.resellerOf(a)
	if truthy(rc.query.Get("local")) {
		if own, ok := s.account(rc.auth.accountID); ok && (own["pvt_reseller"] == true || rc.auth.accountID == s.masterID) {
			db = rc.auth.accountID
		}
	}
	if method != http.MethodGet && db != rc.auth.accountID {
		s.fail(rc, invalid("Account", "forbidden", "You are not authorized to modify the resource templates", nil))
		return
	}
	if id == "" {
		s.handleCollection(rc, method, db, c, nil)
		return
	}
	s.handleDocument(rc, method, db, c, id, nil)
}
