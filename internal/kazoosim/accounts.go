package kazoosim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// accountsDB holds the account documents, like KAZOO's "accounts" database.
const accountsDB = "accounts"

// defaultTimezone is what kzd_accounts:ensure_account_has_timezone/2 fills in.
const defaultTimezone = "America/Los_Angeles"

// gregorianOffset converts Unix seconds to the Gregorian seconds KAZOO stores.
const gregorianOffset = 62167219200

func gregorianNow() json.Number {
	return json.Number(itoa(time.Now().Unix() + gregorianOffset))
}

// bootstrap makes sure the master account and its admin user exist with the configured
// credentials.
func (s *Server) bootstrap() error {
	unlock := s.lock(accountsDB)
	defer unlock()
	acct, rev, ok := s.st.get(accountsDB, s.masterID)
	if !ok {
		acct = Doc{
			"name":  s.opts.AccountName,
			"realm": s.opts.AccountRealm,
		}
		if err := kazooschema.ApplyDefaults("accounts", acct); err != nil {
			return err
		}
		acct["timezone"] = defaultTimezone
		s.setAccountPrivate(acct, s.masterID, nil)
		acct["pvt_superduper_admin"] = true
		acct["pvt_reseller"] = true
	}
	acct["pvt_api_key"] = s.opts.APIKey
	acct["name"] = s.opts.AccountName
	delete(acct, "pvt_deleted")
	if _, err := s.st.put(accountsDB, s.masterID, acct, rev); err != nil {
		return err
	}
	username := strings.ToLower(s.opts.Username)
	var admin Doc
	var adminRev string
	for _, u := range s.st.all(s.masterID) {
		if u["pvt_type"] == "user" && u["username"] == username && u["pvt_deleted"] != true {
			admin, adminRev = u, str(u["_rev"])
		}
	}
	if admin == nil {
		admin = Doc{"first_name": "Account", "last_name": "Admin", "username": username, "priv_level": "admin"}
		if err := kazooschema.ApplyDefaults("users", admin); err != nil {
			return err
		}
		admin["pvt_type"] = "user"
		admin["pvt_account_id"] = s.masterID
		admin["pvt_created"] = gregorianNow()
	}
	admin["pvt_md5_auth"] = md5hex(username + ":" + s.opts.Password)
	admin["pvt_sha1_auth"] = sha1hex(username + ":" + s.opts.Password)
	admin["pvt_modified"] = gregorianNow()
	id := str(admin["_id"])
	if id == "" {
		id = newID()
	}
	_, err := s.st.put(s.masterID, id, admin, adminRev)
	return err
}

func (s *Server) setAccountPrivate(acct Doc, id string, tree []string) {
	treeJSON := make([]any, len(tree))
	for i, a := range tree {
		treeJSON[i] = a
	}
	acct["pvt_type"] = "account"
	acct["pvt_account_id"] = id
	acct["pvt_account_db"] = accountDBName(id)
	acct["pvt_tree"] = treeJSON
	acct["pvt_created"] = gregorianNow()
	acct["pvt_modified"] = acct["pvt_created"]
	acct["pvt_enabled"] = true
	acct["pvt_superduper_admin"] = false
	acct["pvt_api_key"] = randomHex(32)
	acct["pvt_vsn"] = "1"
}

// accountDBName is KAZOO's encoded account database name.
func accountDBName(id string) string {
	return "account%2F" + id[0:2] + "%2F" + id[2:4] + "%2F" + id[4:]
}

// account returns a live (not deleted) account document, shared: do not modify it.
func (s *Server) account(id string) (Doc, bool) {
	d, _, ok := s.st.peek(accountsDB, id)
	if !ok || d["pvt_deleted"] == true {
		return nil, false
	}
	return d, true
}

func (s *Server) liveAccounts() []Doc {
	var out []Doc
	for _, a := range s.st.shared(accountsDB) {
		if a["pvt_deleted"] != true {
			out = append(out, a)
		}
	}
	return out
}

// resellerOf is the closest reseller ancestor, or the master account.
func (s *Server) resellerOf(acct Doc) string {
	tree := strSlice(acct["pvt_tree"])
	for i := len(tree) - 1; i >= 0; i-- {
		if a, ok := s.account(tree[i]); ok && a["pvt_reseller"] == true {
			return tree[i]
		}
	}
	if len(tree) == 0 {
		return str(acct["_id"])
	}
	return s.masterID
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]`)

// normalizeName is the key of the accounts listing_by_name view.
func normalizeName(n string) string { return nonAlnum.ReplaceAllString(strings.ToLower(n), "") }

// accountView is the account document as Crossbar returns it: public fields, id and the
// fields cb_accounts leaks from private ones.
func (s *Server) accountView(acct Doc, includeAPIKey bool) Doc {
	out := publicView(acct)
	id := str(acct["_id"])
	out["billing_mode"] = "manual"
	out["created"] = acct["pvt_created"]
	if _, ok := out["enabled"]; !ok {
		out["enabled"] = acct["pvt_enabled"] != false
	}
	out["is_reseller"] = acct["pvt_reseller"] == true
	reseller := s.resellerOf(acct)
	if reseller == id {
		out["reseller_id"] = "undefined"
	} else {
		out["reseller_id"] = reseller
	}
	out["superduper_admin"] = acct["pvt_superduper_admin"] == true
	out["wnm_allow_additions"] = false
	if includeAPIKey {
		out["api_key"] = acct["pvt_api_key"]
	}
	return out
}

// leakedAccountFields are computed fields a client may echo back; they are not stored.
var leakedAccountFields = []string{"billing_mode", "created", "is_reseller", "reseller_id",
	"superduper_admin", "wnm_allow_additions", "api_key", "trial_time_left", "notification_preference"}

// handleAccount serves /v2/accounts and /v2/accounts/{A}.
func (s *Server) handleAccount(rc *reqCtx, method, acctID string) {
	if method == http.MethodPut {
		parent := acctID
		if parent == "" {
			parent = rc.auth.accountID
		}
		s.createAccount(rc, parent)
		return
	}
	if acctID == "" {
		s.fail(rc, errMethod)
		return
	}
	acct, rev, ok := s.st.get(accountsDB, acctID)
	if !ok || acct["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(acctID))
		return
	}
	switch method {
	case http.MethodGet:
		s.reply(rc, http.StatusOK, s.accountView(acct, truthy(rc.query.Get("include_api_key"))), rev)
	case http.MethodPost, http.MethodPatch:
		_, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		pub := publicFields(data)
		for _, k := range leakedAccountFields {
			delete(pub, k)
		}
		var next Doc
		if method == http.MethodPatch {
			next = mergePatch(publicFields(acct), pub)
		} else {
			next = pub
		}
		delete(next, "id")
		if acctID == rc.auth.accountID && !rc.auth.superduper {
			// Only an ancestor may enable or disable an account (maybe_import_enabled/1).
			if v, ok := acct["enabled"]; ok {
				next["enabled"] = v
			} else {
				delete(next, "enabled")
			}
		}
		s.saveAccount(rc, acctID, next, acct, rev, http.StatusOK)
	case http.MethodDelete:
		if acctID == s.masterID {
			s.fail(rc, errMethod)
			return
		}
		for _, a := range s.liveAccounts() {
			for _, anc := range strSlice(a["pvt_tree"]) {
				if anc == acctID {
					s.fail(rc, &apiError{500, "account_has_descendants", map[string]any{"message": "account has descendants"}})
					return
				}
			}
		}
		unlock := s.lock(accountsDB)
		acct["pvt_deleted"] = true
		acct["pvt_modified"] = gregorianNow()
		newRev, err := s.st.put(accountsDB, acctID, acct, rev)
		unlock()
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		out := s.accountView(acct, false)
		out["_read_only"] = Doc{"deleted": true}
		s.reply(rc, http.StatusOK, out, newRev)
	default:
		s.fail(rc, errMethod)
	}
}

func (s *Server) createAccount(rc *reqCtx, parentID string) {
	parent, ok := s.account(parentID)
	if !ok {
		s.fail(rc, errBadIdentifier(parentID))
		return
	}
	_, data, e := readObjectEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	id := str(data["id"])
	if id == "" {
		id = str(data["_id"])
	}
	if id == "" {
		id = newID()
	} else if !hex32.MatchString(id) {
		s.fail(rc, invalid("id", "pattern", "Account ids must be 32 lowercase hex characters", id))
		return
	}
	if _, exists := s.st.getRaw(accountsDB, id); exists {
		s.fail(rc, errConflict409)
		return
	}
	pub := publicFields(data)
	for _, k := range leakedAccountFields {
		delete(pub, k)
	}
	delete(pub, "id")
	tree := append(strSlice(parent["pvt_tree"]), parentID)
	priv := Doc{}
	s.setAccountPrivate(priv, id, tree)
	for k, v := range priv {
		pub[k] = v
	}
	s.saveAccount(rc, id, pub, nil, "", http.StatusCreated)
}

// saveAccount validates and stores an account document. next holds the public fields (plus,
// on create, the private ones); old is the stored document on update.
func (s *Server) saveAccount(rc *reqCtx, id string, next, old Doc, rev string, status int) {
	if r, ok := next["realm"].(string); ok {
		next["realm"] = strings.ReplaceAll(r, " ", "")
	}
	if str(next["realm"]) == "" {
		// ensure_account_has_realm/2 generates one.
		next["realm"] = randomHex(3) + ".sip.kazoosim.test"
	}
	pub := publicFields(next)
	if err := kazooschema.ApplyDefaults("accounts", pub); err != nil {
		s.fail(rc, errFault)
		return
	}
	if str(pub["timezone"]) == "" {
		pub["timezone"] = defaultTimezone
	}
	errs, err := kazooschema.Validate("accounts", pub)
	if err != nil {
		s.fail(rc, errFault)
		return
	}
	if errs == nil {
		errs = kazooschema.Errors{}
	}
	unlock := s.lock(accountsDB)
	defer unlock()
	for _, a := range s.liveAccounts() {
		if str(a["_id"]) == id {
			continue
		}
		if n := str(pub["name"]); n != "" && normalizeName(str(a["name"])) == normalizeName(n) {
			errs.Add("name", "unique", kazooschema.ErrorDetail{Message: "Account name already in use", Cause: n})
		}
		if r := str(pub["realm"]); r != "" && strings.EqualFold(str(a["realm"]), r) {
			errs.Add("realm", "unique", kazooschema.ErrorDetail{Message: "Account realm already in use", Cause: r})
		}
	}
	if len(errs) > 0 {
		s.fail(rc, validationError(errs))
		return
	}
	stored := pub
	src := next
	if old != nil {
		src = old
	}
	for k, v := range src {
		if isPrivate(k) {
			stored[k] = v
		}
	}
	stored["pvt_modified"] = gregorianNow()
	newRev, err := s.st.put(accountsDB, id, stored, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	if status == http.StatusCreated {
		// create_account_definition/1 answers through crossbar_doc:handle_datamgr_success/2
		// on a PUT, which sets Location (FACTS.md says there is none; the code has one).
		rc.w.Header().Set("Location", resolveLocation(rc.r.URL.Path, id))
	}
	s.reply(rc, status, s.accountView(stored, false), newRev)
}

// handleAccountTree serves /children, /descendants, /siblings, /parents and /tree.
func (s *Server) handleAccountTree(rc *reqCtx, method, acctID, which string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	self, ok := s.account(acctID)
	if !ok {
		s.fail(rc, errBadIdentifier(acctID))
		return
	}
	selfTree := strSlice(self["pvt_tree"])
	if which == "parents" || which == "tree" {
		// cb_accounts:load_account_tree/2: the ancestors from the requester's own account
		// down (get_authorized_account_tree/1 drops those above it), as id, name, realm and
		// flags; the revision is the account document's.
		_, rev, _ := s.st.get(accountsDB, acctID)
		out := []any{}
		seen := false
		for _, id := range selfTree {
			seen = seen || id == rc.auth.accountID
			if !seen {
				continue
			}
			if a, ok := s.account(id); ok {
				out = append(out, Doc{"id": id, "name": a["name"], "realm": a["realm"], "flags": flagsOf(a)})
			}
		}
		s.reply(rc, http.StatusOK, out, rev)
		return
	}
	var rows []listRow
	for _, a := range s.liveAccounts() {
		tree := strSlice(a["pvt_tree"])
		id := str(a["_id"])
		switch which {
		case "children":
			if len(tree) == 0 || tree[len(tree)-1] != acctID {
				continue
			}
			rows = append(rows, listRow{key: str(a["name"]), id: id, doc: a, value: Doc{
				"id": id, "name": a["name"], "realm": a["realm"],
				"descendants_count": s.countDescendants(id), "flags": flagsOf(a),
			}})
		case "siblings":
			if len(tree) == 0 || len(selfTree) == 0 || tree[len(tree)-1] != selfTree[len(selfTree)-1] {
				continue
			}
			rows = append(rows, listRow{key: str(a["name"]), id: id, doc: a, value: Doc{
				"id": id, "name": a["name"], "realm": a["realm"], "descendants_count": s.countDescendants(id),
			}})
		case "descendants":
			if !contains(tree, acctID) {
				continue
			}
			rows = append(rows, listRow{key: str(a["name"]), id: id, doc: a, value: Doc{
				"id": id, "name": a["name"], "realm": a["realm"], "tree": tree, "flags": flagsOf(a),
			}})
		}
	}
	s.replyList(rc, rows)
}

func (s *Server) countDescendants(id string) int {
	n := 0
	for _, a := range s.liveAccounts() {
		if contains(strSlice(a["pvt_tree"]), id) {
			n++
		}
	}
	return n
}

func flagsOf(d Doc) any {
	if f, ok := d["flags"]; ok && f != nil {
		return f
	}
	return []any{}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// handleReseller is PUT (promote) and DELETE (demote) /v2/accounts/{A}/reseller: superduper
// admins only; the master account cannot change, nor can an account with descendants.
func (s *Server) handleReseller(rc *reqCtx, method, acctID string) {
	if method != http.MethodPut && method != http.MethodDelete {
		s.fail(rc, errMethod)
		return
	}
	if !rc.auth.superduper || acctID == s.masterID {
		s.fail(rc, errForbidden)
		return
	}
	if s.countDescendants(acctID) > 0 {
		s.fail(rc, &apiError{500, "account_has_descendants", map[string]any{"message": "account has descendants"}})
		return
	}
	unlock := s.lock(accountsDB)
	defer unlock()
	acct, rev, ok := s.st.get(accountsDB, acctID)
	if !ok || acct["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(acctID))
		return
	}
	acct["pvt_reseller"] = method == http.MethodPut
	newRev, err := s.st.put(accountsDB, acctID, acct, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	status := http.StatusOK
	if method == http.MethodPut {
		status = http.StatusCreated
	}
	s.reply(rc, status, s.accountView(acct, false), newRev)
}

// handleMove is POST /v2/accounts/{A}/move {"data":{"to":"<new parent>"}} (cb_accounts
// validate_account_path(…, move, POST), crossbar_util:move_account/2): with 4.3's default
// accounts.allow_move "superduper_admin", only a superduper admin may move; an account cannot
// move below itself. The account and its descendants get the new tree; the answer is the
// moved account.
func (s *Server) handleMove(rc *reqCtx, method, acctID string) {
	if method != http.MethodPost {
		s.fail(rc, errMethod)
		return
	}
	_, data, e := readObjectEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	to := asString(data["to"])
	if to == "" {
		s.fail(rc, invalid("to", "required", "Field 'to' is required", nil))
		return
	}
	if !rc.auth.superduper {
		s.fail(rc, errForbidden)
		return
	}
	target, ok := s.account(to)
	if !ok {
		s.fail(rc, errBadIdentifier(to))
		return
	}
	toTree := append(strSlice(target["pvt_tree"]), to)
	if contains(toTree, acctID) {
		s.fail(rc, errForbidden)
		return
	}
	unlock := s.lock(accountsDB)
	defer unlock()
	acct, rev, ok := s.st.get(accountsDB, acctID)
	if !ok || acct["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(acctID))
		return
	}
	oldTree := strSlice(acct["pvt_tree"])
	for _, d := range s.liveAccounts() {
		tree := strSlice(d["pvt_tree"])
		if !contains(tree, acctID) {
			continue
		}
		// A descendant keeps the part of its tree below the moved account.
		i := 0
		for i < len(tree) && tree[i] != acctID {
			i++
		}
		next := append(append([]string{}, toTree...), tree[i:]...)
		doc, drev, _ := s.st.get(accountsDB, str(d["_id"]))
		doc["pvt_tree"] = toAnySlice(next)
		if _, err := s.st.put(accountsDB, str(d["_id"]), doc, drev); err != nil {
			s.fail(rc, storeError(err))
			return
		}
	}
	acct["pvt_tree"] = toAnySlice(toTree)
	acct["pvt_previous_tree"] = toAnySlice(oldTree)
	acct["pvt_modified"] = gregorianNow()
	newRev, err := s.st.put(accountsDB, acctID, acct, rev)
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, http.StatusOK, s.accountView(acct, false), newRev)
}

func toAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, v := range ss {
		out[i] = v
	}
	return out
}
