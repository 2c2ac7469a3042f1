package kazoosim

import (
	"net/http"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// cb_search: GET /v2/search and /v2/accounts/{A}/search with ?t=<type>&q=<view>&v=<value>.
// Accounts are searched in the accounts database below the requester's account
// (search/search_by_{id,name,realm}, keyed [ancestor, "account", value]); other types in the
// account's database (search/search_by_{name,number}, keyed [type, value]). Values are
// compared lower-cased with non-alphanumerics removed, from v up to v+"Z"
// (get_start_key/3, get_end_key/3: so "v" followed by digits matches, followed by letters not).

var searchable = []any{"account", "user", "callflow", "device"}

func (s *Server) handleSearch(rc *reqCtx, method, acct string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	q := rc.query
	t := q.Get("t")
	if t == "" {
		s.fail(rc, validationDetail("t", "required", kazooschema.ErrorDetail{
			Message: "search needs a document type to search on", Target: searchable}))
		return
	}
	inAccounts := t == "account" || acct == ""
	options := []any{"name", "name_and_number", "number"}
	if inAccounts {
		options = []any{"id", "name", "realm"}
	}
	view := q.Get("q")
	if view == "" {
		s.fail(rc, validationDetail("q", "required", kazooschema.ErrorDetail{Message: "search needs a view to search in", Target: options}))
		return
	}
	known := false
	for _, o := range options {
		known = known || o == view
	}
	if !known {
		s.fail(rc, validationDetail("q", "enum", kazooschema.ErrorDetail{Message: "value not found in enumerated list of values", Cause: view}))
		return
	}
	if !q.Has("v") {
		s.fail(rc, validationDetail("v", "required", kazooschema.ErrorDetail{Message: "search needs a value to search for"}))
		return
	}
	value := alphanum(q.Get("v"))
	match := func(key string) bool { return key >= value && key <= value+"Z" }
	var rows []listRow
	if inAccounts {
		for _, a := range s.liveAccounts() {
			if !contains(strSlice(a["pvt_tree"]), rc.auth.accountID) {
				continue
			}
			key := ""
			switch view {
			case "id":
				key = str(a["_id"])
			case "name":
				key = alphanum(str(a["name"]))
			case "realm":
				key = alphanum(str(a["realm"]))
			}
			if match(key) {
				row := Doc{"id": a["_id"], "descendants_count": s.countDescendants(str(a["_id"])), "name": a["name"], "realm": a["realm"]}
				rows = append(rows, listRow{key: key, id: str(a["_id"]), doc: a, value: row})
			}
		}
	} else {
		for _, d := range s.st.shared(acct) {
			if d["pvt_deleted"] == true || d["pvt_type"] != t {
				continue
			}
			for _, key := range searchKeys(d, view) {
				if match(key) {
					rows = append(rows, listRow{key: key, id: str(d["_id"]), doc: d, value: searchRow(d, view)})
					break
				}
			}
		}
	}
	s.replyRows(rc, rows, true)
}

func validationDetail(path, rule string, d kazooschema.ErrorDetail) *apiError {
	errs := kazooschema.Errors{}
	errs.Add(path, rule, d)
	return validationError(errs)
}

// alphanum is cb_modules_util:normalize_alphanum_name/1.
func alphanum(v string) string { return nonAlnum.ReplaceAllString(strings.ToLower(v), "") }

// searchName is the name the account search views index: first and last name for users,
// else the name, else the id.
func searchName(d Doc) (key, display string) {
	_, hasFirst := d["first_name"]
	_, hasLast := d["last_name"]
	if hasFirst || hasLast {
		key = alphanum(str(d["first_name"])) + alphanum(str(d["last_name"]))
		display = strings.TrimSpace(str(d["first_name"]) + " " + str(d["last_name"]))
	}
	if n, ok := d["name"]; ok {
		key, display = alphanum(str(n)), str(n)
	} else if key == "" {
		key = alphanum(str(d["_id"]))
	}
	return key, firstNonEmpty(display, key)
}

func searchKeys(d Doc, view string) []string {
	name, _ := searchName(d)
	var numbers []string
	for _, n := range strSlice(d["numbers"]) {
		numbers = append(numbers, alphanum(n))
	}
	switch view {
	case "name":
		return []string{name}
	case "number":
		return numbers
	}
	return append([]string{name}, numbers...)
}

func searchRow(d Doc, view string) Doc {
	_, display := searchName(d)
	row := Doc{"id": d["_id"], "name": display}
	if view == "number" {
		row["name"] = d["name"]
	}
	if n, ok := d["numbers"]; ok && view != "name" {
		row["numbers"] = n
	}
	dropNils(row)
	return row
}
