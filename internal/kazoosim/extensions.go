package kazoosim

import (
	"net"
	"sort"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// The checks KAZOO 4.3 runs beyond plain JSON schema, for schema nodes marked
// "kazoo-validation" (core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3).
// Each failure is reported as jesse's external_error: rule "error" with the message and the
// value (kz_json_schema:error_to_jobj/2).

// clientURLFields are the kazoo-validation URL fields of callflow node data, by module.
var clientURLFields = map[string]string{"webhook": "uri", "pivot": "voice_url", "record_call": "url", "record_caller": "url"}

// extendedValidation adds the extension checks of a collection's schema to errs.
func extendedValidation(schema string, doc Doc, errs kazooschema.Errors) {
	switch schema {
	case "webhooks":
		checkClientURL(doc["uri"], "uri", errs)
	case "callflows":
		if flow, ok := doc["flow"].(map[string]any); ok {
			validateFlowNode(flow, "flow", errs, 0)
		}
	case "faxbox":
		for _, dir := range []string{"inbound", "outbound"} {
			if v, ok := getPath(doc, "notifications."+dir+".callback.url"); ok {
				checkClientURL(v, "notifications."+dir+".callback.url", errs)
			}
		}
	}
	if cr, ok := doc["call_recording"].(map[string]any); ok {
		// call_recording.parameters.url: storage_url_validation/2 (http, https or ftp).
		for dir, byNet := range cr {
			nets, ok := byNet.(map[string]any)
			if !ok {
				continue
			}
			for net, params := range nets {
				if p, ok := params.(map[string]any); ok {
					if u, ok := p["url"]; ok {
						checkStorageURL(u, "call_recording."+dir+"."+net+".url", errs)
					}
				}
			}
		}
	}
}

// validateFlowNode checks one callflow node (extra_validation callflows.action.module and
// callflows.action.data): its module must have a schema, and its data is validated against
// that schema, URL fields included; children are checked in turn.
func validateFlowNode(node map[string]any, path string, errs kazooschema.Errors, depth int) {
	if depth > 64 {
		return
	}
	if module, ok := node["module"].(string); ok && module != "" {
		schema := "callflows." + module
		if _, known := kazooschema.Raw(schema); !known {
			errs.Add(path+".module", "error", kazooschema.ErrorDetail{
				Message: "unable to find callflow schema for module " + module, Value: module})
		} else if data, ok := node["data"].(map[string]any); ok {
			if dataErrs, err := kazooschema.Validate(schema, data); err == nil {
				for p, rules := range dataErrs {
					for r, d := range rules {
						errs.Add(path+".data."+p, r, d)
					}
				}
			}
			if f := clientURLFields[module]; f != "" {
				if v, ok := data[f]; ok {
					checkClientURL(v, path+".data."+f, errs)
				}
			}
		}
	}
	children, _ := node["children"].(map[string]any)
	keys := make([]string, 0, len(children))
	for k := range children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if child, ok := children[k].(map[string]any); ok {
			validateFlowNode(child, path+".children."+strings.ReplaceAll(k, ".", "%2E"), errs, depth+1)
		}
	}
}

func checkClientURL(v any, path string, errs kazooschema.Errors) {
	s, ok := v.(string)
	if !ok {
		return
	}
	if !isValidClientURL(s) {
		errs.Add(path, "error", kazooschema.ErrorDetail{Message: "invalid client URL", Value: s})
	}
}

func checkStorageURL(v any, path string, errs kazooschema.Errors) {
	s, ok := v.(string)
	if !ok {
		return
	}
	valid := false
	switch {
	case strings.HasPrefix(s, "http"):
		valid = isValidClientURL(s)
	case strings.HasPrefix(s, "ftp"):
		valid = isValidFTPURL(s)
	}
	if !valid {
		errs.Add(path, "error", kazooschema.ErrorDetail{Message: "invalid client URL", Value: s})
	}
}

// isValidClientURL is is_valid_client_url/1: scheme http or https, and a host not on the
// client blacklist (kz_http_util: hosts ["localhost"], CIDRs 127.0.0.1/32 and 0.0.0.0/32).
func isValidClientURL(raw string) bool {
	scheme, host := splitURL(raw)
	if scheme != "http" && scheme != "https" {
		return false
	}
	return isValidHost(host)
}

// isValidFTPURL: ftp with any credentials, ftps with user:password; the host checked as for
// http (is_valid_ftp_url/1).
func isValidFTPURL(raw string) bool {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || (scheme != "ftp" && scheme != "ftps") {
		return false
	}
	auth, hostPart, hasAuth := strings.Cut(strings.SplitN(rest, "/", 2)[0], "@")
	if !hasAuth {
		hostPart, auth = auth, ""
	}
	if scheme == "ftps" && len(strings.Split(auth, ":")) != 2 {
		return false
	}
	host := hostPart
	if h, _, err := net.SplitHostPort(hostPart); err == nil {
		host = h
	}
	return host != "" && isValidHost(host)
}

// splitURL is kz_http_util:urlsplit/1's scheme and host: the scheme up to ":", then after
// "//" the location up to "/", "?" or "#", without credentials or port.
func splitURL(raw string) (scheme, host string) {
	i := strings.IndexByte(raw, ':')
	if i < 0 {
		return "", ""
	}
	scheme = raw[:i]
	rest := raw[i+1:]
	if !strings.HasPrefix(rest, "//") {
		return scheme, ""
	}
	rest = rest[2:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		rest = rest[j+1:]
	}
	if h, _, err := net.SplitHostPort(rest); err == nil {
		rest = h
	}
	return scheme, rest
}

func isValidHost(host string) bool {
	host = strings.ToLower(host)
	if ip := net.ParseIP(host); ip != nil {
		return !ip.Equal(net.IPv4(127, 0, 0, 1)) && !ip.Equal(net.IPv4zero)
	}
	return host != "localhost"
}
