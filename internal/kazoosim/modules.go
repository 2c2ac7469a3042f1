package kazoosim

import (
	"mime"
	"sort"
	"strings"
)

// defaultModules are the Crossbar modules the simulator models that KAZOO 4.3 loads by default
// (crossbar.hrl ?DEFAULT_MODULES, the default of crossbar.autoload_modules).
var defaultModules = []string{"cb_accounts", "cb_api_auth", "cb_auth", "cb_basic_auth", "cb_blacklists",
	"cb_callflows", "cb_clicktocall", "cb_conferences", "cb_connectivity", "cb_devices", "cb_directories",
	"cb_faxboxes", "cb_groups", "cb_limits", "cb_media", "cb_menus", "cb_metaflows", "cb_multi_factor", "cb_notifications",
	"cb_phone_numbers", "cb_resource_templates", "cb_resources", "cb_schemas", "cb_search", "cb_security",
	"cb_temporal_rules", "cb_temporal_rules_sets", "cb_token_auth", "cb_user_auth", "cb_users",
	"cb_vmboxes", "cb_webhooks", "cb_whitelabel"}

// optionalModules are the modules the simulator models that 4.3 does not load unless
// crossbar.autoload_modules names them: cb_lists (modules_v2/cb_lists_v2.erl) and cb_cccps
// (applications/cccp/src/cb_cccps.erl).
var optionalModules = []string{"cb_cccps", "cb_lists"}

// OptionalModules returns the modules a simulator serves only when Options.ExtraModules names
// them, as KAZOO 4.3 serves them only when crossbar.autoload_modules does.
func OptionalModules() []string { return append([]string(nil), optionalModules...) }

// moduleOf maps a URL segment under /v2/accounts/{A}/ to the Crossbar module serving it.
func moduleOf(segment string) string { return "cb_" + segment }

// loadModules is the set of loaded modules: 4.3's default plus the extra ones. Names may be
// given with or without the "cb_" prefix.
func loadModules(extra []string) (map[string]bool, error) {
	loaded := map[string]bool{}
	for _, m := range defaultModules {
		loaded[m] = true
	}
	known := map[string]bool{}
	for _, m := range append(append([]string{}, defaultModules...), optionalModules...) {
		known[m] = true
	}
	for _, m := range extra {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if !strings.HasPrefix(m, "cb_") {
			m = "cb_" + m
		}
		if !known[m] {
			names := append([]string{}, optionalModules...)
			sort.Strings(names)
			return nil, &unknownModuleError{name: m, optional: names}
		}
		loaded[m] = true
	}
	return loaded, nil
}

type unknownModuleError struct {
	name     string
	optional []string
}

func (e *unknownModuleError) Error() string {
	return "kazoosim: unknown module " + e.name + " (the optional ones are " + strings.Join(e.optional, ", ") + ")"
}

// defaultAccepted is crossbar.hrl's ?CONTENT_ACCEPTED: what a write may carry unless the
// resource says otherwise.
var defaultAccepted = []string{"application/json", "application/x-json", "application/x-www-form-urlencoded",
	"multipart/form-data", "multipart/mixed", "application/octet-stream", "text/csv", "text/comma-separated-values"}

// mediaAccepted is cb_media's ?MEDIA_MIME_TYPES, what POST /media/{id}/raw accepts
// (content_types_accepted_for_upload/2; crossbar_types.hrl).
var mediaAccepted = []string{"audio/x-wav", "audio/wav", "audio/mpeg", "audio/mp3", "audio/ogg",
	"video/x-flv", "video/h264", "video/mpeg", "video/quicktime", "video/mp4", "video/webm",
	"application/base64", "application/x-base64"}

// acceptsContentType is api_util:is_known_content_type/4: the request's media type (its
// parameters ignored) must be one the resource accepts; nil means the default list.
func acceptsContentType(accepted []string, contentType string) bool {
	if accepted == nil {
		accepted = defaultAccepted
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	for _, a := range accepted {
		if a == mt {
			return true
		}
	}
	return false
}
