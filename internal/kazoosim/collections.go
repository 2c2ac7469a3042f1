package kazoosim

import (
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// fields returns a summary function emitting the listed document fields plus "id", and
// "flags" defaulting to [] as most crossbar_listing views do.
func fields(names ...string) func(Doc) any {
	return func(d Doc) any {
		out := Doc{"id": d["_id"]}
		for _, n := range names {
			if n == "flags" {
				out["flags"] = flagsOf(d)
				continue
			}
			if v, ok := d[n]; ok {
				out[n] = v
			}
		}
		return out
	}
}

// collections is the table of account-scoped CRUD collections: FACTS §3's mainstream
// collections with PATCH exactly where KAZOO 4.3 has it.
var collections = map[string]*collection{}

func init() {
	for _, c := range []*collection{
		{name: "users", schema: "users", pvtType: "user", patch: true, billable: "user",
			summary: userSummary,
			unique: []uniqueRule{
				{field: "username", message: func(string, Doc) string { return "Username must be unique within account" }},
				{field: "hotdesk.id", message: func(string, Doc) string { return "Hotdesk ID must be unique within account" }},
			},
			prepare: prepareUser, check: checkUser},
		{name: "devices", schema: "devices", pvtType: "device", patch: true, billable: "sip_device",
			summary: deviceSummary,
			unique: []uniqueRule{
				{field: "sip.username", fold: true, message: func(string, Doc) string { return "SIP credentials already in use" }},
				{field: "mac_address", message: func(string, Doc) string { return "MAC address already in use" }},
			},
			prepare: prepareDevice, check: checkDevice},
		{name: "callflows", schema: "callflows", pvtType: "callflow", patch: true,
			summary: callflowSummary,
			unique: []uniqueRule{
				{field: "numbers", message: callflowConflict},
				{field: "patterns", message: callflowConflict},
			},
			prepare: prepareCallflow, check: checkCallflow, present: presentCallflow, presentOnRead: true},
		{name: "vmboxes", schema: "vmboxes", pvtType: "vmbox", patch: true, billable: "vmbox",
			summary: func(d Doc) any {
				out := fields("name", "mailbox", "owner_id", "flags")(d).(Doc)
				out["messages"] = len(anySlice(d["messages"]))
				return out
			},
			unique: []uniqueRule{{field: "mailbox", norm: mailboxNumber, message: func(string, Doc) string {
				return "Invalid mailbox number or already exists"
			}}},
			prepare: prepareVMBox, check: checkVMBox},
		{name: "groups", schema: "groups", pvtType: "group", patch: true, summary: groupSummary},
		{name: "menus", schema: "menus", pvtType: "menu", patch: true, summary: fields("name", "flags")},
		{name: "media", schema: "media", pvtType: "media", summary: mediaSummary},
		{name: "temporal_rules", schema: "temporal_rules", pvtType: "temporal_rule", patch: true,
			summary: fields("name", "type", "flags")},
		{name: "temporal_rules_sets", schema: "temporal_rules_sets", pvtType: "temporal_rule_set", patch: true,
			summary: func(d Doc) any {
				return Doc{"id": d["_id"], "name": d["name"], "rules": d["temporal_rules"], "flags": flagsOf(d)}
			}},
		// cb_conferences: rows and reads carry the realtime data (nothing runs here, so the
		// empty figures: add_realtime/2, enrich_conference/2); a read of an unknown id
		// answers an ad-hoc conference (maybe_build_conference/2).
		{name: "conferences", schema: "conferences", pvtType: "conference", patch: true,
			summary: func(d Doc) any {
				out := fields("name", "owner_id", "member", "moderator", "ui_flags", "conference_numbers", "flags")(d).(Doc)
				out["_read_only"] = Doc{"members": 0, "moderators": 0, "duration": 0, "is_locked": false}
				return out
			},
			lockedCheck: checkConferenceNumbers, adhoc: true, presentOnRead: true,
			present: func(_ *Server, _ string, out Doc) {
				out["_read_only"] = Doc{"members": 0, "moderators": 0, "duration": 0, "is_locked": false, "participants": []any{}}
			}},
		{name: "directories", schema: "directories", pvtType: "directory", patch: true, summary: fields("name", "flags"),
			present: presentDirectoryUsers, presentOnRead: true},
		// cb_faxboxes: a create gets an SMTP address, rand_hex(4) "." the default fax SMTP
		// domain (generate_email_address/1); rows and reads leak it (leak_private_fields/1).
		{name: "faxboxes", schema: "faxbox", pvtType: "faxbox", patch: true,
			summary: func(d Doc) any {
				out := publicView(d)
				if a, ok := d["pvt_smtp_email_address"]; ok {
					out["smtp_email_address"] = a
				}
				return out
			},
			prepare: func(_ *Server, w *write) *apiError {
				if w.old == nil {
					w.private["pvt_smtp_email_address"] = randomHex(4) + ".fax.kazoo.io"
				}
				return nil
			},
			unique: []uniqueRule{{field: "custom_smtp_email_address", message: func(v string, _ Doc) string {
				return "Address " + v + " is already in use"
			}}},
			present: func(s *Server, acct string, out Doc) {
				if d, _, ok := s.st.get(acct, str(out["id"])); ok {
					out["smtp_email_address"] = d["pvt_smtp_email_address"]
				}
			}},
		{name: "blacklists", schema: "blacklists", pvtType: "blacklist", patch: true, summary: fields("name", "flags"),
			prepare: prepareBlacklist},
		{name: "lists", schema: "lists", pvtType: "list", patch: true, summary: fields("name", "description", "list_type"),
			nested: map[string]*collection{"entries": {name: "entries", schema: "list_entries", pvtType: "list_entry",
				patch: true, parentField: "list_id", summary: func(d Doc) any { return publicView(d) }}}},
		{name: "webhooks", schema: "webhooks", pvtType: "webhook", patch: true, viewPaging: true,
			summary: func(d Doc) any {
				enabled := d["enabled"]
				if enabled == nil {
					enabled = true
				}
				return Doc{"id": d["_id"], "hook": d["hook"], "name": d["name"], "uri": d["uri"],
					"group": d["group"], "enabled": enabled, "disable_reason": d["pvt_disabled_message"]}
			}},
		{name: "resources", schema: "resources", pvtType: "resource", patch: true,
			summary: fields("name", "enabled", "weight_cost", "template_name", "classifiers")},
		// cb_connectivity create/3, update/3: account.auth_realm is set to the account's realm.
		{name: "connectivity", schema: "connectivity", pvtType: "sys_info", patch: true, listIDsOnly: true,
			prepare: func(s *Server, w *write) *apiError {
				if a, ok := s.account(w.acct); ok {
					acct, _ := w.doc["account"].(map[string]any)
					if acct == nil {
						acct = map[string]any{}
						w.doc["account"] = acct
					}
					acct["auth_realm"] = a["realm"]
				}
				return nil
			}},
		{name: "cccps", schema: "cccps", pvtType: "cccp",
			summary: func(d Doc) any {
				return Doc{"id": d["_id"], "account_id": d["pvt_account_id"], "active": d["active"], "user_id": d["user_id"],
					"cid": d["cid"], "pin": d["pin"], "retain_cid": d["retain_cid"], "comment": d["comment"]}
			},
			prepare: prepareCCCP},
		// cb_resource_templates: no schema, only a template_name; kept in the reseller's database.
		{name: "resource_templates", pvtType: "resource_template", patch: true,
			summary: fields("name", "template_name", "classifiers"),
			check: func(_ *Server, w *write, errs kazooschema.Errors) {
				if asString(w.doc["template_name"]) == "" {
					errs.Add("template_name", "required", kazooschema.ErrorDetail{Message: "Template name is required"})
				}
			}},
		{name: "clicktocall", schema: "clicktocall", pvtType: "click2call", patch: true,
			summary: func(d Doc) any {
				return Doc{"id": d["_id"], "name": d["name"], "extension": d["extension"], "realm": d["realm"]}
			}},
		// cb_multi_factor's account-level provider configurations (loaded by default in 4.3). Its
		// collection GET answers a summary object in KAZOO; here it lists like the others.
		{name: "multi_factor", schema: "multi_factor_provider", pvtType: "provider", patch: true,
			summary: fields("name", "enabled", "provider_name")},
		{name: "notifications", schema: "notifications", pvtType: "notification", clientID: true, viewPaging: true,
			// The listing and reads of what the account has not overridden are notifications.go's.
			summary:       func(d Doc) any { return publicView(d) },
			present:       func(_ *Server, _ string, out Doc) { out["account_overridden"] = true },
			presentOnRead: true},
	} {
		collections[c.name] = c
	}
}

// callflowConflict is add_attribute_conflict_error/3's message; the name is the
// listing_by_number view's (name, or the id).
func callflowConflict(v string, o Doc) string {
	id := str(o["_id"])
	return v + " exists in callflow " + id + " (" + firstNonEmpty(str(o["name"]), id) + ")"
}

func anySlice(v any) []any {
	a, _ := v.([]any)
	return a
}

func userSummary(d Doc) any {
	features := append([]any{}, anySlice(d["features"])...)
	if m, ok := d["hotdesk"].(map[string]any); ok && m["enabled"] == true {
		features = append(features, "hotdesk")
	}
	if m, ok := d["call_forward"].(map[string]any); ok {
		if m["enabled"] == true {
			features = append(features, "call_forward")
		} else if m["failover"] == true {
			features = append(features, "call_forward_failover")
		}
	}
	if v, ok := getPath(d, "caller_id.external.number"); ok && asString(v) != "" {
		features = append(features, "caller_id")
	}
	if d["vm_to_email_enabled"] == true {
		features = append(features, "vm_to_email")
	}
	if v, ok := getPath(d, "music_on_hold.media_id"); ok && asString(v) != "" {
		features = append(features, "music_on_hold")
	}
	if v, _ := getPath(d, "do_not_disturb.enabled"); v == true {
		features = append(features, "do_not_disturb")
	}
	out := Doc{"id": d["_id"], "features": features, "flags": flagsOf(d)}
	for _, k := range []string{"username", "email", "first_name", "last_name", "priv_level", "feature_level",
		"presence_id", "timezone", "call_recording", "service"} {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}

func deviceSummary(d Doc) any {
	out := Doc{"id": d["_id"], "name": d["name"], "mac_address": firstNonEmpty(str(d["mac_address"])),
		"device_type": firstNonEmpty(str(d["device_type"]), "sip_device"), "flags": flagsOf(d)}
	if v, ok := getPath(d, "sip.username"); ok {
		out["username"] = v
	}
	for _, k := range []string{"owner_id", "enabled", "mobile", "call_recording"} {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}

func groupSummary(d Doc) any {
	features := []any{}
	if sp, ok := d["smartpbx"].(map[string]any); ok {
		for name, f := range sp {
			if fm, ok := f.(map[string]any); ok && fm["enabled"] == true {
				features = append(features, name)
			}
		}
	}
	if v, ok := getPath(d, "music_on_hold.media_id"); ok && asString(v) != "" {
		features = append(features, "music_on_hold")
	}
	n := 0
	if m, ok := d["endpoints"].(map[string]any); ok {
		n = len(m)
	}
	return Doc{"id": d["_id"], "name": d["name"], "features": features, "endpoints": n, "flags": flagsOf(d)}
}

func mediaSummary(d Doc) any {
	return Doc{"id": d["_id"], "name": d["name"], "media_type": d["media_type"], "media_source": d["media_source"],
		"language": strings.ToLower(str(d["language"])), "is_prompt": str(d["prompt_id"]) != ""}
}

func callflowSummary(d Doc) any {
	var modules []any
	seen := map[string]bool{}
	var walk func(n any, depth int)
	walk = func(n any, depth int) {
		node, ok := n.(map[string]any)
		if !ok || depth > 64 {
			return
		}
		if m := str(node["module"]); m != "" {
			data, _ := node["data"].(map[string]any)
			if data != nil && data["skip_module"] != true && !seen[m] {
				seen[m] = true
				modules = append(modules, m)
			}
		}
		if ch, ok := node["children"].(map[string]any); ok {
			keys := make([]string, 0, len(ch))
			for k := range ch {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(ch[k], depth+1)
			}
		}
	}
	walk(d["flow"], 0)
	if modules == nil {
		modules = []any{}
	}
	featurecode := d["featurecode"]
	if featurecode == nil {
		featurecode = false
	}
	out := Doc{"id": d["_id"], "name": d["name"], "type": d["type"], "numbers": d["numbers"], "patterns": d["patterns"],
		"featurecode": featurecode, "owner_id": d["owner_id"], "group_id": d["group_id"], "modules": modules,
		"flags": flagsOf(d)}
	for k, v := range out {
		if v == nil {
			delete(out, k)
		}
	}
	return out
}

// prepareUser follows kzd_users:validate/3 with 4.3's default configuration: the username is
// lower-cased; "credentials" imports an md5 hash; a password is hashed with the username into
// pvt_md5_auth/pvt_sha1_auth and never stored; a new or changed username needs a password; a
// password without any username gets a generated "user_…" username; no username and no
// password at all leave the user without credentials.
func prepareUser(_ *Server, w *write) *apiError {
	if u, ok := w.doc["username"].(string); ok {
		w.doc["username"] = strings.ToLower(u)
	}
	if creds := str(w.doc["credentials"]); creds != "" {
		w.private["pvt_md5_auth"] = creds
		w.private["pvt_sha1_auth"] = nil
		delete(w.doc, "credentials")
	}
	username := str(w.doc["username"])
	password := str(w.doc["password"])
	delete(w.doc, "password")
	current := ""
	if w.old != nil {
		current = str(w.old["username"])
	}
	rehash := func(user string) {
		w.private["pvt_md5_auth"] = md5hex(user + ":" + password)
		w.private["pvt_sha1_auth"] = sha1hex(user + ":" + password)
	}
	switch {
	case username != "" && password != "":
		rehash(username)
	case username != "" && username != current:
		if w.errs == nil {
			w.errs = kazooschema.Errors{}
		}
		w.errs.Add("password", "required", kazooschema.ErrorDetail{
			Message: "The password must be provided when creating / updating the user name", Cause: username})
	case username == "" && password != "":
		username = "user_" + randomHex(8)
		w.doc["username"] = username
		rehash(username)
	case username == "":
		w.private["pvt_md5_auth"] = nil
		w.private["pvt_sha1_auth"] = nil
	}
	return nil
}

// checkUser: call forwarding that is enabled needs a number. KAZOO keys this error with the
// dotted name as one segment, so it comes out as "call_forward%2Enumber".
func checkUser(_ *Server, w *write, errs kazooschema.Errors) {
	enabled, _ := getPath(w.doc, "call_forward.enabled")
	number, _ := getPath(w.doc, "call_forward.number")
	if enabled == true && str(number) == "" {
		errs.Add("call_forward%2Enumber", "required", kazooschema.ErrorDetail{
			Message: "Call forward number cannot be empty when call forward is enabled", Cause: number})
	}
}

// prepareDevice cleanses the MAC address to lower-case hex digits and drops sip.realm when it
// is the account's own realm (cb_devices_v2 prepare_mac_address/2, prepare_device_realm/2).
func prepareDevice(s *Server, w *write) *apiError {
	if m, ok := w.doc["mac_address"].(string); ok {
		if h := kazoonorm.MAC(m); h != "" {
			w.doc["mac_address"] = h
		} else {
			delete(w.doc, "mac_address")
		}
	}
	if realm, ok := getPath(w.doc, "sip.realm"); ok {
		if acct, ok := s.account(w.acct); ok && asString(realm) == str(acct["realm"]) {
			deletePath(w.doc, "sip.realm")
		}
	}
	return nil
}

// checkDevice enforces check_device_type_change/2: only a superduper admin may make an existing
// device's device_type differ from the stored one (setting one where there was none included),
// so a POST must send it back unchanged.
func checkDevice(s *Server, w *write, errs kazooschema.Errors) {
	checkDeviceIP(s, w, errs)
	if w.old == nil || w.rc.auth == nil || w.rc.auth.superduper {
		return
	}
	newType, hasNew := w.doc["device_type"]
	oldType, hasOld := w.old["device_type"]
	if hasNew == hasOld && asString(newType) == asString(oldType) {
		return
	}
	cause := asString(newType)
	errs.Add("device_type", "invalid", kazooschema.ErrorDetail{Message: "Not authorized to change type of device", Cause: cause})
}

// prepareCallflow normalizes the numbers to E.164 and refuses numbers another account owns, as
// kzd_callflows:validate/3 does (normalize_numbers, validate_number_ownership).
func prepareCallflow(s *Server, w *write) *apiError {
	nums, ok := w.doc["numbers"].([]any)
	if !ok {
		return nil
	}
	var unauthorized []string
	for i, n := range nums {
		str, ok := n.(string)
		if !ok || str == "" {
			continue
		}
		nums[i] = kazoonorm.E164(str)
		if owner := s.numberOwner(nums[i].(string)); owner != "" && !s.isSameOrAncestor(w.acct, owner) {
			unauthorized = append(unauthorized, nums[i].(string))
		}
	}
	if len(unauthorized) > 0 {
		return &apiError{403, "forbidden", map[string]any{"message": "unauthorized to use " + strings.Join(unauthorized, ", ")}}
	}
	return nil
}

// numberOwner is the account a phone number is assigned to, or "".
func (s *Server) numberOwner(num string) string {
	for _, db := range s.st.dbNames() {
		if db == accountsDB {
			continue
		}
		if d, _, ok := s.st.peek(db, num); ok && d["pvt_type"] == "number" && d["pvt_deleted"] != true {
			return db
		}
	}
	return ""
}

// isSameOrAncestor reports whether acct is other or one of its ancestors.
func (s *Server) isSameOrAncestor(acct, other string) bool {
	if acct == other {
		return true
	}
	a, ok := s.account(other)
	return ok && contains(strSlice(a["pvt_tree"]), acct)
}

func checkCallflow(_ *Server, w *write, errs kazooschema.Errors) {
	if len(anySlice(w.doc["numbers"])) == 0 && len(anySlice(w.doc["patterns"])) == 0 {
		errs.Add("numbers", "required", kazooschema.ErrorDetail{Message: "Callflows must be assigned at least one number or pattern"})
	}
}

// presentCallflow adds metadata (cb_callflows:get_metadata/3): for each document the flow names
// (a node's data "id" or any data key containing "_id", and branch names such as temporal rule
// ids) its name, numbers and pvt_type. A user's name is "first last".
func presentCallflow(s *Server, acct string, out Doc) {
	meta := Doc{}
	add := func(id string) {
		if len(id) < 2 || id == "_" {
			return
		}
		if _, done := meta[id]; done {
			return
		}
		d, _, ok := s.st.peek(acct, id)
		if !ok {
			return
		}
		m := Doc{}
		if d["pvt_type"] == "user" {
			if name := strings.TrimSpace(str(d["first_name"]) + " " + str(d["last_name"])); name != "" {
				m["name"] = name
			}
		} else if n, ok := d["name"]; ok {
			m["name"] = n
		}
		for _, k := range []string{"numbers", "pvt_type"} {
			if v, ok := d[k]; ok {
				m[k] = v
			}
		}
		meta[id] = m
	}
	var walk func(n any, depth int)
	walk = func(n any, depth int) {
		node, ok := n.(map[string]any)
		if !ok || depth > 64 {
			return
		}
		if data, ok := node["data"].(map[string]any); ok {
			for k, v := range data {
				if id, ok := v.(string); ok && id != "" && (k == "id" || strings.Contains(k, "_id")) {
					add(id)
				}
			}
		}
		if ch, ok := node["children"].(map[string]any); ok {
			for branch, c := range ch {
				add(branch)
				walk(c, depth+1)
			}
		}
	}
	walk(out["flow"], 0)
	out["metadata"] = meta
}

// prepareVMBox drops a messages array: messages live in the MODBs and KAZOO keeps whatever
// the stored box had.
func prepareVMBox(_ *Server, w *write) *apiError {
	delete(w.doc, "messages")
	return nil
}

// mailboxNumber is the key of the vmboxes/listing_by_mailbox view: the mailbox as an integer.
func mailboxNumber(v string) string {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// checkVMBox: a mailbox that is not a number fails the uniqueness check (check_uniqueness/2
// cannot read it as an integer).
func checkVMBox(_ *Server, w *write, errs kazooschema.Errors) {
	if m, ok := w.doc["mailbox"]; ok && mailboxNumber(asString(m)) == "" {
		errs.Add("mailbox", "unique", kazooschema.ErrorDetail{Message: "Invalid mailbox number or already exists"})
	}
}

// conferenceNumbers lists a conference's dial-in numbers: its own, its members' and its
// moderators' (the conference listing_by_number view).
func conferenceNumbers(d Doc) []string {
	var out []string
	for _, p := range []string{"conference_numbers", "member.numbers", "moderator.numbers"} {
		if v, ok := getPath(d, p); ok {
			out = append(out, strSlice(v)...)
		}
	}
	return out
}

// checkConferenceNumbers is cb_conferences:validate_numbers/2: no number may be another
// conference's.
func checkConferenceNumbers(s *Server, w *write, errs kazooschema.Errors) {
	mine := map[string]bool{}
	for _, n := range conferenceNumbers(w.doc) {
		mine[n] = true
	}
	if len(mine) == 0 {
		return
	}
	var taken []string
	s.st.each(w.acct, func(o Doc) bool {
		if o["pvt_type"] != "conference" || o["pvt_deleted"] == true || str(o["_id"]) == w.id {
			return true
		}
		for _, n := range conferenceNumbers(o) {
			if mine[n] {
				taken = append(taken, n)
			}
		}
		return true
	})
	if len(taken) > 0 {
		sort.Strings(taken)
		errs.Add("numbers", "unique", kazooschema.ErrorDetail{Message: "Numbers already in use", Cause: strings.Join(taken, ", ")})
	}
}

// presentDirectoryUsers is cb_directories:load_directory_users/2: a directory read lists as
// "users" the documents whose "directories" map names it (the directories/users_listing
// view), each {"user_id", "callflow_id"}, in place of the stored value.
func presentDirectoryUsers(s *Server, acct string, out Doc) {
	dir := str(out["id"])
	var ids []string
	members := map[string]any{}
	s.st.each(acct, func(d Doc) bool {
		if d["pvt_deleted"] == true {
			return true
		}
		m, ok := d["directories"].(map[string]any)
		if !ok {
			return true
		}
		if v, ok := m[dir]; ok {
			id := str(d["_id"])
			ids = append(ids, id)
			members[id] = v
		}
		return true
	})
	sort.Sort(sort.Reverse(sort.StringSlice(ids)))
	users := make([]any, 0, len(ids))
	for _, id := range ids {
		row := Doc{"user_id": id}
		if cf, ok := members[id].(string); ok && cf != "" {
			row["callflow_id"] = cf
		}
		users = append(users, row)
	}
	out["users"] = users
}

// checkDeviceIP is cb_devices_v2:validate_device_creds/2 for sip.method "ip": sip.ip must be
// an IPv4 address no other device uses (check_device_ip/3, check_device_ip_unique/3); a
// method other than password or ip is refused.
func checkDeviceIP(s *Server, w *write, errs kazooschema.Errors) {
	method, ok := getPath(w.doc, "sip.method")
	if !ok {
		return
	}
	switch asString(method) {
	case "password":
	case "ip":
		ipv, _ := getPath(w.doc, "sip.ip")
		ip := asString(ipv)
		if parsed := net.ParseIP(ip); parsed == nil || parsed.To4() == nil || strings.Contains(ip, ":") {
			errs.Add("sip.ip", "type", kazooschema.ErrorDetail{Message: "Must be a valid IPv4 RFC 791", Cause: ipv})
			return
		}
		for _, db := range s.st.dbNames() {
			s.st.each(db, func(o Doc) bool {
				if o["pvt_type"] != "device" || o["pvt_deleted"] == true || (db == w.acct && str(o["_id"]) == w.id) {
					return true
				}
				if m, _ := getPath(o, "sip.method"); asString(m) == "ip" {
					if other, _ := getPath(o, "sip.ip"); asString(other) == ip {
						errs.Add("sip.ip", "unique", kazooschema.ErrorDetail{Message: "SIP IP already in use", Cause: ip})
						return false
					}
				}
				return true
			})
		}
	default:
		errs.Add("sip.method", "enum", kazooschema.ErrorDetail{Message: "SIP authentication method is invalid",
			Target: []any{"password", "ip"}, Cause: method})
	}
}

// prepareBlacklist is cb_blacklists:format_numbers/1: every key of "numbers" is rewritten to
// E.164 (knm_converters:normalize/1).
func prepareBlacklist(_ *Server, w *write) *apiError {
	nums, ok := w.doc["numbers"].(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]any, len(nums))
	for k, v := range nums {
		out[kazoonorm.E164(k)] = v
	}
	w.doc["numbers"] = out
	return nil
}

// reconcileRe is knm_converters' ?DEFAULT_RECONCILE_REGEX.
var reconcileRe = regexp.MustCompile(`^(\+?1)?\d{10}$|^\+[2-9]\d{7,}$|^011\d*$|^00\d*$`)

// prepareCCCP is cb_cccps validate_cccps/2 on PUT, before any schema check: with a cid, it
// must be reconcilable and is stored normalized, unique among all cccps (check_cid/1); without
// one, the pin must be unique (check_pin/1; with no pin either, the view lookup has no key and
// any cccp holding a pin makes it fail). Errors are under "cccp". POST checks the schema only.
func prepareCCCP(s *Server, w *write) *apiError {
	if w.old != nil {
		return nil
	}
	field, value, msg := "pin", asString(w.doc["pin"]), "Pin already exists"
	if cid, ok := w.doc["cid"]; ok {
		raw := asString(cid)
		norm := kazoonorm.E164(raw)
		if !reconcileRe.MatchString(norm) {
			return invalid("cccp", "unique", "Number is non reconcilable", raw)
		}
		w.doc["cid"] = norm
		field, value, msg = "cid", norm, "CID already exists"
	}
	taken := false
	for _, db := range s.st.dbNames() {
		s.st.each(db, func(o Doc) bool {
			if o["pvt_type"] != "cccp" || o["pvt_deleted"] == true {
				return true
			}
			if theirs, ok := o[field]; ok && (value == "" || asString(theirs) == value) {
				taken = true
				return false
			}
			return true
		})
	}
	if !taken {
		return nil
	}
	if field == "cid" {
		return invalid("cccp", "unique", msg, asString(w.doc["cid"]))
	}
	return invalid("cccp", "unique", msg, nil)
}
