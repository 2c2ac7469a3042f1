package client

import (
	"encoding/json"
	"testing"
)

func TestListRows(t *testing.T) {
	rows, err := listRows(json.RawMessage(`[{"id":"a"},{"id":"b"}]`))
	if err != nil || len(rows) != 2 {
		t.Fatalf("array: %v %v", rows, err)
	}
	rows, err = listRows(json.RawMessage(`{"numbers":{"+15550002":{"state":"in_service"},"+15550001":{}},"cascade_quantity":0}`))
	if err != nil || len(rows) != 2 {
		t.Fatalf("numbers: %v %v", rows, err)
	}
	var first map[string]string
	if err := json.Unmarshal(rows[0], &first); err != nil || first["id"] != "+15550001" {
		t.Errorf("first row = %s (%v)", rows[0], err)
	}
	var second map[string]string
	if err := json.Unmarshal(rows[1], &second); err != nil || second["id"] != "+15550002" || second["state"] != "in_service" {
		t.Errorf("second row = %s (%v)", rows[1], err)
	}
	if _, err := listRows(json.RawMessage(`{"name":"x"}`)); err == nil {
		t.Error("an object that is no listing read as rows")
	}
}
