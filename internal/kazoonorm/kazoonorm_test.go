package kazoonorm

import "testing"

func TestE164(t *testing.T) {
	for in, want := range map[string]string{
		"2025550123": "+12025550123", "12025550123": "+12025550123", "+12025550123": "+12025550123",
		"+442071234567": "+442071234567", "011442071234567": "+442071234567",
		"00442071234567": "+442071234567", "22071234567": "+22071234567", "2470607185": "+2470607185",
		"11234567890": "11234567890", "0123456789": "0123456789", "1000": "1000", "2000": "2000", "*97": "*97",
	} {
		if got := E164(in); got != want {
			t.Errorf("E164(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMAC(t *testing.T) {
	for in, want := range map[string]string{
		"AA-BB-CC-DD-EE-FF": "aabbccddeeff", "aa:bb:cc:dd:ee:ff": "aabbccddeeff",
		"aabbccddeeff": "aabbccddeeff", "zz:zz": "",
	} {
		if got := MAC(in); got != want {
			t.Errorf("MAC(%q) = %q, want %q", in, got, want)
		}
	}
}
