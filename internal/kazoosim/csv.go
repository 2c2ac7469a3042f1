package kazoosim

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// wantsCSV reports whether a GET asks for CSV: an Accept header naming one of Crossbar's CSV
// types, or ?accept=csv (api_resource:to_json/3, accept_override/1; crossbar.hrl
// ?CONTENT_PROVIDED).
func wantsCSV(rc *reqCtx) bool {
	if rc.query.Get("accept") == "csv" {
		return true
	}
	for _, part := range strings.Split(rc.r.Header.Get("Accept"), ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if mt == "text/csv" || mt == "text/comma-separated-values" {
			return true
		}
	}
	return false
}

// csvHeaderNames is crossbar.hrl's ?CSV_HEADER_MAP for the columns our answers can have.
var csvHeaderNames = map[string]string{"account_id": "Account ID", "account_name": "Account Name",
	"amount": "Amount", "description": "Description", "id": "ID"}

// writeCSV answers data as CSV the way api_util:create_csv_resp_content/2 and kz_csv do: each
// object is flattened, a column per scalar path (its segments joined with "_"), columns
// added as new paths appear, every cell double-quoted, lists joined with commas, missing
// values empty. An empty answer has no body (204).
func (s *Server) writeCSV(rc *reqCtx, data any) {
	var rows []map[string]any
	switch d := data.(type) {
	case []any:
		for _, v := range d {
			if m, ok := v.(map[string]any); ok {
				rows = append(rows, m)
			}
		}
	case map[string]any:
		rows = append(rows, d)
	}
	if len(rows) == 0 {
		rc.status = http.StatusNoContent
		rc.w.WriteHeader(http.StatusNoContent)
		return
	}
	var columns []string
	seen := map[string]bool{}
	var body bytes.Buffer
	for _, row := range rows {
		flat := map[string]any{}
		flatten("", row, flat)
		keys := make([]string, 0, len(flat))
		for k := range flat {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				columns = append(columns, k)
			}
		}
		cells := make([]string, len(columns))
		for i, c := range columns {
			cells[i] = csvCell(flat[c], flat[c] != nil)
		}
		body.WriteString(strings.Join(cells, ",") + "\n")
	}
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = csvCell(firstNonEmpty(csvHeaderNames[c], c), true)
	}
	out := append([]byte(strings.Join(header, ",")+"\n"), body.Bytes()...)
	name := firstNonEmpty(rc.r.Header.Get("X-File-Name"), rc.query.Get("file_name"), "json_"+randomHex(11)+".csv")
	h := rc.w.Header()
	h.Set("Content-Type", "text/csv")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(out)))
	rc.status = http.StatusOK
	rc.w.WriteHeader(http.StatusOK)
	_, _ = rc.w.Write(out)
}

// flatten is kz_json:flatten/1 with paths joined by "_"; objects are not cells.
func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "_" + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(key, sub, out)
			continue
		}
		out[key] = v
	}
}

// csvCell is kz_csv:cell_to_binary/1.
func csvCell(v any, present bool) string {
	if !present {
		return ""
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = asString(e)
		}
		s = strings.Join(parts, ",")
	default:
		s = asString(x)
	}
	if s == "" {
		return `""`
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
