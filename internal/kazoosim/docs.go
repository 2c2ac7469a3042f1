package kazoosim

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// isPrivate reports whether a top-level key is private (kz_doc:is_private_key/1).
func isPrivate(k string) bool { return strings.HasPrefix(k, "_") || strings.HasPrefix(k, "pvt_") }

// publicFields returns a copy of the document without private keys; _read_only, which clients
// must never send, goes too.
func publicFields(d Doc) Doc {
	out := make(Doc, len(d))
	for k, v := range d {
		if !isPrivate(k) {
			out[k] = deepCopy(v)
		}
	}
	return out
}

// publicView is a document as Crossbar returns it: public fields and "id".
func publicView(d Doc) Doc {
	out := publicFields(d)
	out["id"] = d["_id"]
	if ro, ok := d["_read_only"]; ok {
		out["_read_only"] = ro
	}
	return out
}

// mergePatch merges a PATCH body over a document: objects merge recursively, everything else
// (arrays included) is replaced, and null deletes the key (kz_json:merge_left/3).
func mergePatch(base, patch Doc) Doc {
	out := make(Doc, len(base))
	for k, v := range base {
		out[k] = deepCopy(v)
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if bm, ok := out[k].(map[string]any); ok {
				out[k] = mergePatch(bm, pm)
				continue
			}
			out[k] = stripNulls(pm)
			continue
		}
		out[k] = deepCopy(v)
	}
	return out
}

// stripNulls removes null members of a new object, as merging into nothing would.
func stripNulls(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v == nil {
			continue
		}
		if vm, ok := v.(map[string]any); ok {
			out[k] = stripNulls(vm)
			continue
		}
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, vv := range x {
			out[k] = deepCopy(vv)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, vv := range x {
			out[i] = deepCopy(vv)
		}
		return out
	}
	return v
}

// getPath reads a dotted path ("sip.username").
func getPath(d Doc, path string) (any, bool) {
	var cur any = d
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[p]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

func deletePath(d Doc, path string) {
	parts := strings.Split(path, ".")
	cur := d
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	delete(cur, parts[len(parts)-1])
}

// strSlice reads a JSON array of strings.
func strSlice(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// asString renders a scalar the way crossbar_filter compares values: as a string.
func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func storeError(err error) *apiError {
	if errors.Is(err, errConflict) {
		return errConflict409
	}
	return &apiError{503, "datastore_fault", map[string]any{"message": "datastore fault", "cause": err.Error()}}
}
