package kazooschema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestValidateMapsRulesToKazooNames(t *testing.T) {
	cases := []struct {
		name, schema, doc string
		path, rule        string
	}{
		{"required", "devices", `{}`, "name", "required"},
		{"minLength", "devices", `{"name":"d","sip":{"username":"a"}}`, "sip.username", "minLength"},
		{"maxLength", "devices", `{"name":"d","call_forward":{"number":"1234567890123456"}}`, "call_forward.number", "maxLength"},
		{"type", "devices", `{"name":"d","enabled":"maybe"}`, "enabled", "type"},
		{"enum", "devices", `{"name":"d","caller_id_options":{"outbound_privacy":"all"}}`, "caller_id_options.outbound_privacy", "enum"},
		{"vmbox mailbox", "vmboxes", `{"name":"v","mailbox":""}`, "mailbox", "minLength"},
		{"ref resolved", "callflows", `{"numbers":["1"],"flow":{"data":{}}}`, "flow.module", "required"},
		{"recursive ref", "callflows", `{"numbers":["1"],"flow":{"module":"x","data":{},"children":{"_":{"data":{}}}}}`, "flow.children._.module", "required"},
		{"api_auth strict", "api_auth", `{"api_key":"` + string(bytes.Repeat([]byte("a"), 64)) + `","x":1}`, "x", "additionalProperties"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs, err := Validate(tc.schema, decode(t, tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := errs[tc.path][tc.rule]; !ok {
				t.Fatalf("want %s.%s, got %v", tc.path, tc.rule, errs)
			}
			if errs[tc.path][tc.rule].Message == "" {
				t.Fatalf("empty message for %s.%s", tc.path, tc.rule)
			}
		})
	}
}

func TestValidateAcceptsValidDocument(t *testing.T) {
	errs, err := Validate("devices", decode(t, `{"name":"desk","sip":{"username":"user1","password":"secretpw"}}`))
	if err != nil || errs != nil {
		t.Fatalf("valid device rejected: %v %v", errs, err)
	}
}

func TestValidateMinLengthDetail(t *testing.T) {
	errs, _ := Validate("devices", decode(t, `{"name":"d","sip":{"username":"a"}}`))
	d := errs["sip.username"]["minLength"]
	if d.Message != "String must be at least 2 characters" || d.Target != 2 || d.Value != "a" || d.Cause != "a" {
		t.Fatalf("detail = %+v", d)
	}
}

// TestValidateMessages pins the messages, targets and values kz_json_schema:error_to_jobj/2
// produces.
func TestValidateMessages(t *testing.T) {
	cases := []struct {
		schema, doc, path, rule, message string
		target, value                    any
	}{
		{"devices", `{}`, "name", "required", "Field is required but missing", nil, "name"},
		{"devices", `{"name":"d","enabled":"maybe"}`, "enabled", "type", "Value did not match type(s): boolean", "boolean", "maybe"},
		{"menus", `{"name":"m","retries":0}`, "retries", "minimum", "Value must be at least 1", int64(1), json.Number("0")},
		{"callflows", `{"numbers":["1","1"]}`, "numbers", "uniqueItems", "List of items is not unique", nil, []any{"1", "1"}},
		{"users", `{"first_name":"a","last_name":"b","username":"a b"}`, "username", "pattern",
			"Failed to match pattern '^([+@.\\w_-]+)$'", "^([+@.\\w_-]+)$", "a b"},
		{"devices", `{"name":"` + strings.Repeat("x", 129) + `"}`, "name", "maxLength", "String must not be more than 128 characters", 128, strings.Repeat("x", 129)},
	}
	for _, tc := range cases {
		errs, err := Validate(tc.schema, decode(t, tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		d, ok := errs[tc.path][tc.rule]
		if !ok {
			t.Fatalf("%s: no %s.%s in %v", tc.schema, tc.path, tc.rule, errs)
		}
		if d.Message != tc.message || !reflect.DeepEqual(d.Target, tc.target) || !reflect.DeepEqual(d.Value, tc.value) {
			t.Errorf("%s.%s = %+v, want message %q target %#v value %#v", tc.path, tc.rule, d, tc.message, tc.target, tc.value)
		}
	}
}

func TestApplyDefaults(t *testing.T) {
	doc := decode(t, `{"name":"desk","sip":{"username":"u1"}}`)
	if err := ApplyDefaults("devices", doc); err != nil {
		t.Fatal(err)
	}
	sip := doc["sip"].(map[string]any)
	if sip["expire_seconds"] != json.Number("300") || sip["invite_format"] != "contact" || sip["method"] != "password" {
		t.Fatalf("sip defaults missing: %v", sip)
	}
	if doc["enabled"] != true || !reflect.DeepEqual(doc["call_restriction"], map[string]any{}) {
		t.Fatalf("top-level defaults missing: %v", doc)
	}
	// Objects without a default of their own are not made up, even with defaulted children.
	if _, ok := doc["call_forward"]; ok {
		t.Fatalf("call_forward made up: %v", doc["call_forward"])
	}
	// An existing value is never overwritten.
	doc = decode(t, `{"name":"desk","enabled":false}`)
	_ = ApplyDefaults("devices", doc)
	if doc["enabled"] != false {
		t.Fatalf("default overwrote a value: %v", doc["enabled"])
	}
}

func TestApplyDefaultsVMBox(t *testing.T) {
	doc := decode(t, `{"name":"v","mailbox":"1000"}`)
	_ = ApplyDefaults("vmboxes", doc)
	for k, want := range map[string]any{"check_if_owner": true, "media_extension": "mp3", "seek_duration_ms": json.Number("10000"), "not_configurable": false} {
		if !reflect.DeepEqual(doc[k], want) {
			t.Errorf("%s = %#v, want %#v", k, doc[k], want)
		}
	}
}

func TestApplyDefaultsInsidePresentObjects(t *testing.T) {
	doc := decode(t, `{"first_name":"a","last_name":"b","call_forward":{"enabled":true}}`)
	_ = ApplyDefaults("users", doc)
	cf := doc["call_forward"].(map[string]any)
	if cf["keep_caller_id"] != true || cf["enabled"] != true {
		t.Fatalf("call_forward defaults: %v", cf)
	}
	if h := doc["hotdesk"].(map[string]any); h["enabled"] != false {
		t.Fatalf("hotdesk defaults to {} then fills: %v", h)
	}
}

func TestApplyDefaultsCallflowTree(t *testing.T) {
	doc := decode(t, `{"numbers":["1000"],"flow":{"module":"device","children":{"_":{"module":"voicemail"}}}}`)
	if err := ApplyDefaults("callflows", doc); err != nil {
		t.Fatal(err)
	}
	flow := doc["flow"].(map[string]any)
	if _, ok := flow["data"]; !ok {
		t.Fatalf("node data default missing: %v", flow)
	}
}
