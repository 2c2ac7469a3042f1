package engine

import "strings"

// errorKey rewrites a KAZOO validation key that names no attribute into the dotted JSON path
// of the attribute it concerns, by the spec's ErrorPaths: KAZOO 4.3 reports a conference
// number taken elsewhere under "numbers", which the document has as "conference_numbers". A
// key below a mapped one ("numbers.0") keeps its tail.
func (s *Spec) errorKey(key string) string {
	for from, to := range s.ErrorPaths {
		switch {
		case key == from:
			return to
		case strings.HasPrefix(key, from+"."):
			return to + key[len(from):]
		}
	}
	return key
}
