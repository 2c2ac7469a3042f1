package engine

import "testing"

// A validation key KAZOO uses for no attribute lands on the attribute the spec maps it to.
func TestErrorPaths(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "conference", Collection: "conferences", Schema: "conferences", Patch: true,
		ErrorPaths: map[string]string{"numbers": "conference_numbers"}})
	for key, want := range map[string]string{
		"numbers":            "conference_numbers",
		"numbers.1":          "conference_numbers[1]",
		"member.numbers":     "member.numbers",
		"conference_numbers": "conference_numbers",
	} {
		p, ok := e.attributePath(key)
		if !ok || p.String() != want {
			t.Errorf("%s: %v %v, want %s", key, p, ok, want)
		}
	}
}
