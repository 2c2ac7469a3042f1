package export

import (
	"reflect"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

func TestWithoutDefaults(t *testing.T) {
	// devices: enabled defaults to true, media.audio.codecs has a default, sip.method to
	// "password"; call_restriction is a map (kept as JSON).
	doc, err := decodeDoc([]byte(`{
		"name": "Desk", "enabled": true, "owner_id": null, "device_type": "sip_device",
		"sip": {"method": "password", "username": "alice", "password": "x"},
		"caller_id": {}, "call_forward": {"enabled": false},
		"call_restriction": {"closed_groups": {"action": "inherit"}},
		"ui_metadata": {"ui": "monster-ui"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	got := withoutDefaults(engine.Spec{TypeName: "device", Schema: "devices"}, doc)
	want, _ := decodeDoc([]byte(`{
		"name": "Desk", "device_type": "sip_device",
		"sip": {"username": "alice", "password": "x"},
		"call_restriction": {"closed_groups": {"action": "inherit"}},
		"ui_metadata": {"ui": "monster-ui"}
	}`))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestWithoutDefaultsKeepsRequiredKeys(t *testing.T) {
	// A callflow node's data is required even when it is KAZOO's default {}.
	doc, _ := decodeDoc([]byte(`{"numbers": ["100"], "flow": {"module": "temporal_route", "data": {}, "children": {}}}`))
	got := withoutDefaults(engine.Spec{TypeName: "callflow", Schema: "callflows",
		Overrides: map[string]engine.Override{"flow": {JSON: true}}}, doc)
	flow, _ := got["flow"].(map[string]any)
	if _, ok := flow["data"]; !ok {
		t.Errorf("the required flow.data was dropped: %v", got)
	}
}
