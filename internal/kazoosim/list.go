package kazoosim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// defaultPageSize is crossbar.pagination_page_size's default.
const defaultPageSize = 50

// listRow is one row of a view: its key, the document id (tie-breaker), the full document the
// filters look at, and the summary value returned.
type listRow struct {
	key   string
	id    string
	doc   Doc
	value any
}

type pageInfo struct {
	size  int
	start string
	next  string
}

func (s *Server) listCollection(rc *reqCtx, acct string, c *collection, parent *parentRef) {
	var rows []listRow
	for _, d := range s.st.shared(acct) {
		if d["pvt_type"] != c.pvtType || d["pvt_deleted"] == true {
			continue
		}
		if parent != nil && c.parentField != "" && d[c.parentField] != parent.id {
			continue
		}
		id := str(d["_id"])
		// The crossbar_listing views are keyed by the document id.
		key := id
		var value any
		switch {
		case c.listIDsOnly:
			value = id
		case c.summary != nil:
			value = c.summary(d)
		default:
			value = Doc{"id": id, "name": d["name"]}
		}
		if row, ok := value.(Doc); ok {
			// A view row has no member for a field the document lacks (not null).
			dropNils(row)
		}
		rows = append(rows, listRow{key: key, id: id, doc: d, value: value})
	}
	s.replyRows(rc, rows, c.viewPaging)
}

// replyList orders rows by view key, pages them and applies the filter_* parameters to each
// page, the way crossbar_doc:load_view/6 and crossbar_filter do.
func (s *Server) replyList(rc *reqCtx, rows []listRow) {
	s.replyRows(rc, rows, false)
}

// replyRows answers a listing; view selects crossbar_view's paging (webhooks,
// notifications) over crossbar_doc's.
func (s *Server) replyRows(rc *reqCtx, rows []listRow, view bool) {
	page, pg, e := pageRows(rc, rows, view)
	if e != nil {
		s.fail(rc, e)
		return
	}
	out := make([]any, 0, len(page))
	for _, r := range page {
		out = append(out, r.value)
	}
	s.replyListEnvelope(rc, out, pg)
}

// pageSize reads ?page_size. crossbar_doc's listings use cb_context:pagination_page_size/2,
// which falls back to the default for a value that is not a positive integer; crossbar_view's
// (get_page_size_from_request/1) refuse it with 404 faulty_request.
func pageSize(rc *reqCtx, view bool) (int, *apiError) {
	v := rc.query.Get("page_size")
	if v == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case err != nil && view:
		return 0, &apiError{404, "faulty_request", map[string]any{"message": "invalid page size"}}
	case n < 1 && view:
		return 0, &apiError{404, "faulty_request", map[string]any{"message": "page size must be at least 1"}}
	case err != nil || n < 1:
		return defaultPageSize, nil
	}
	return n, nil
}

// pageRows sorts, pages and filters view rows; pg is nil with paginate=false. Rows come in
// descending key order unless ?ascending=true (see README: 4.3's listings reverse each page).
// A start_key is the view key to start from: the encoded next_start_key of a previous answer
// or, as in 4.3 (api_util:decode_start_key/1), any other value taken as a raw key. The
// first page has no start_key in its envelope.
func pageRows(rc *reqCtx, rows []listRow, view bool) ([]listRow, *pageInfo, *apiError) {
	q := rc.query
	ascending := q.Get("ascending") == "true"
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].key != rows[j].key {
			return rows[i].key < rows[j].key
		}
		return rows[i].id < rows[j].id
	})
	if !ascending {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	paginate := q.Get("paginate") != "false"
	size, e := pageSize(rc, view)
	if e != nil {
		return nil, nil, e
	}
	start := 0
	startKey := ""
	if sk := q.Get("start_key"); sk != "" {
		key, id, ok := decodeStartKey(sk)
		if !ok {
			key, id = sk, ""
			if !ascending {
				id = "\xff"
			}
		}
		startKey = encodeStartKey(key, id)
		start = len(rows)
		for i, r := range rows {
			if (ascending && (r.key > key || (r.key == key && r.id >= id))) ||
				(!ascending && (r.key < key || (r.key == key && r.id <= id))) {
				start = i
				break
			}
		}
	}
	page := rows[start:]
	var pg *pageInfo
	if paginate {
		pg = &pageInfo{start: startKey}
		if len(page) > size {
			pg.next = encodeStartKey(page[size].key, page[size].id)
			page = page[:size]
		}
	}
	filters, e := parseFilters(q)
	if e != nil {
		return nil, nil, e
	}
	out := make([]listRow, 0, len(page))
	for _, r := range page {
		if filters.match(r.doc) {
			out = append(out, r)
		}
	}
	if pg != nil {
		pg.size = len(out)
	}
	return out, pg, nil
}

// Start keys are opaque to clients; ours are base64url JSON of the view key and the id.
func encodeStartKey(key, id string) string {
	b, _ := json.Marshal([]string{key, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeStartKey(s string) (string, string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", false
	}
	var kv []string
	if json.Unmarshal(b, &kv) != nil || len(kv) != 2 {
		return "", "", false
	}
	return kv[0], kv[1], true
}

type filterSet []func(Doc) bool

func (f filterSet) match(d Doc) bool {
	for _, fn := range f {
		if !fn(d) {
			return false
		}
	}
	return true
}

// parseFilters reads crossbar_filter's parameters: filter_<key>, filter_not_<key>, has_key,
// key_missing, has_value, value_missing and the created/modified ranges (Gregorian seconds).
func parseFilters(q map[string][]string) (filterSet, *apiError) {
	var fs filterSet
	for name, vals := range q {
		if len(vals) == 0 {
			continue
		}
		val := vals[0]
		switch {
		case strings.HasPrefix(name, "filter_not_"):
			path := name[len("filter_not_"):]
			fs = append(fs, func(d Doc) bool { return !valueMatches(d, path, val) })
		case strings.HasPrefix(name, "filter_"):
			path := name[len("filter_"):]
			fs = append(fs, func(d Doc) bool { return valueMatches(d, path, val) })
		case name == "has_key":
			fs = append(fs, func(d Doc) bool { _, ok := getPath(d, val); return ok })
		case name == "key_missing":
			fs = append(fs, func(d Doc) bool { _, ok := getPath(d, val); return !ok })
		case name == "has_value":
			fs = append(fs, func(d Doc) bool { v, ok := getPath(d, val); return ok && !isEmptyValue(v) })
		case name == "value_missing" || name == "missing_value":
			fs = append(fs, func(d Doc) bool { v, ok := getPath(d, val); return !ok || isEmptyValue(v) })
		case name == "created_from" || name == "created_to" || name == "modified_from" || name == "modified_to":
			bound, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return nil, invalid(name, "type", "Value did not match type(s): integer", val)
			}
			field := "pvt_created"
			if strings.HasPrefix(name, "modified") {
				field = "pvt_modified"
			}
			from := strings.HasSuffix(name, "_from")
			fs = append(fs, func(d Doc) bool {
				t, err := strconv.ParseInt(asString(d[field]), 10, 64)
				if err != nil {
					return false
				}
				if from {
					return t >= bound
				}
				return t <= bound
			})
		}
	}
	return fs, nil
}

// valueMatches compares a document value with a filter value as strings; a JSON array filter
// value matches any of its members.
func valueMatches(d Doc, path, want string) bool {
	v, ok := getPath(d, path)
	if !ok {
		return false
	}
	got := asString(v)
	if strings.HasPrefix(want, "[") {
		var any []any
		if json.Unmarshal([]byte(want), &any) == nil {
			for _, a := range any {
				if asString(a) == got {
					return true
				}
			}
			return false
		}
	}
	return got == want
}

func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// coerceTypes converts string values that failed a type rule into the wanted scalar type
// (cb_context:maybe_fix_js_types/5). It reports whether it changed anything.
func coerceTypes(doc Doc, errs kazooschema.Errors) bool {
	changed := false
	for path, rules := range errs {
		d, ok := rules["type"]
		if !ok {
			continue
		}
		targets, _ := d.Target.(string)
		want := strings.Split(targets, ", ")
		parts := strings.Split(path, ".")
		for i := range parts {
			parts[i] = strings.ReplaceAll(parts[i], "%2E", ".")
		}
		parent, key, ok := parentOf(doc, parts)
		if !ok {
			continue
		}
		sv, isStr := parent[key].(string)
		if !isStr {
			continue
		}
		for _, t := range want {
			switch t {
			case "integer":
				if _, err := strconv.ParseInt(sv, 10, 64); err == nil {
					parent[key] = json.Number(sv)
					changed = true
				}
			case "number":
				if _, err := strconv.ParseFloat(sv, 64); err == nil {
					parent[key] = json.Number(sv)
					changed = true
				}
			case "boolean":
				if sv == "true" || sv == "false" {
					parent[key] = sv == "true"
					changed = true
				}
			}
			if changed {
				break
			}
		}
	}
	return changed
}

func parentOf(doc Doc, parts []string) (map[string]any, string, bool) {
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil, "", false
		}
		cur = next
	}
	return cur, parts[len(parts)-1], true
}

// handleEmptyList answers a listing that is always empty in the simulator.
func (s *Server) handleEmptyList(rc *reqCtx, method, acct string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	s.replyList(rc, nil)
}

// handleUserDevices is GET /users/{U}/devices: the devices the user owns (listing_by_owner).
func (s *Server) handleUserDevices(rc *reqCtx, method, acct, owner string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	if !s.liveDoc(acct, collections["users"], owner) {
		s.fail(rc, errBadIdentifier(owner))
		return
	}
	var rows []listRow
	for _, d := range s.st.shared(acct) {
		if d["pvt_type"] != "device" || d["pvt_deleted"] == true || d["owner_id"] != owner {
			continue
		}
		id := str(d["_id"])
		rows = append(rows, listRow{key: id, id: id, doc: d, value: deviceSummary(d)})
	}
	s.replyList(rc, rows)
}
