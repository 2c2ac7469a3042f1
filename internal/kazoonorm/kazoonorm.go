// Package kazoonorm holds the rewrites KAZOO 4.3 applies to values it stores, so that the
// simulator applies them exactly as Crossbar does and the provider recognises KAZOO's spelling
// of a value it was given in another spelling (no perpetual diff).
package kazoonorm

import (
	"regexp"
	"strings"
)

// e164Converters are knm_converter_regex's default e164_converters, in order: the last
// non-empty capture gets the prefix.
var e164Converters = []struct {
	re     *regexp.Regexp
	prefix string
}{
	{regexp.MustCompile(`^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$`), "+1"},
	{regexp.MustCompile(`^011(\d{5,})$|^00(\d{5,})$`), "+"},
	{regexp.MustCompile(`^[2-9]\d{7,}$`), "+"},
}

// E164 is knm_converters:normalize/1 with 4.3's defaults, as KAZOO applies it to callflow and
// phone numbers: "+" numbers stay, NANP numbers (10 digits, or 11 with a leading 1) become
// +1NPANXXXXXX, 011 and 00 international prefixes become "+", other numbers of 8 or more digits
// starting 2-9 get a "+", and short extensions and feature codes are left alone.
func E164(n string) string {
	if strings.HasPrefix(n, "+") {
		return n
	}
	for _, c := range e164Converters {
		m := c.re.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		root := m[0]
		for _, g := range m[1:] {
			if g != "" {
				root = g
			}
		}
		return c.prefix + root
	}
	return n
}

var nonHex = regexp.MustCompile(`[^0-9a-f]`)

// MAC is cb_devices_v2's prepare_mac_address/2: a MAC address kept as lower-case hexadecimal
// digits without separators. It returns "" when nothing of the value is hexadecimal (KAZOO
// then drops the key).
func MAC(s string) string {
	return nonHex.ReplaceAllString(strings.ToLower(s), "")
}
