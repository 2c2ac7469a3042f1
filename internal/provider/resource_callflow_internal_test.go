package provider

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A callflow's metadata is built from the ids the nodes' data names and from the branch names.
func TestFlowReferences(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(`{"flow":{"module":"temporal_route","data":{"timezone":"UTC"},"children":{
		"0123456789abcdef0123456789abcdef":{"module":"user","data":{"id":"u1","timeout":20},
			"children":{"_":{"module":"voicemail","data":{"id":"v1"}}}},
		"_":{"module":"ring_group","data":{"endpoints":[],"ringback_id":"m1","id":""}}}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	got := flowReferences(doc)
	want := []string{"0123456789abcdef0123456789abcdef", "m1", "u1", "v1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("references = %v, want %v", got, want)
	}
	if got := flowReferences(map[string]any{}); !reflect.DeepEqual(got, []string{}) {
		t.Errorf("no flow: %v", got)
	}
}
