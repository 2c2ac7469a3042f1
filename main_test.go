package main

import "testing"

func TestQuietSDKLogs(t *testing.T) {
	for name, tc := range map[string]struct {
		env   map[string]string
		quiet bool
	}{
		"no logs asked for":  {map[string]string{}, true},
		"TF_LOG=trace":       {map[string]string{"TF_LOG": "trace"}, false},
		"provider logs only": {map[string]string{"TF_LOG_PROVIDER": "debug"}, false},
		"framework logs":     {map[string]string{"TF_LOG_SDK_FRAMEWORK": "trace"}, false},
		"TF_LOG empty":       {map[string]string{"TF_LOG": ""}, true},
	} {
		t.Run(name, func(t *testing.T) {
			set := map[string]string{}
			quietSDKLogs(func(k string) string { return tc.env[k] }, func(k, v string) error { set[k] = v; return nil })
			if got := set["TF_LOG_SDK_FRAMEWORK"] == "off" && set["TF_LOG_SDK_PROTO"] == "off"; got != tc.quiet {
				t.Fatalf("quiet = %v (set %v), want %v", got, set, tc.quiet)
			}
			if !tc.quiet && len(set) > 0 {
				t.Fatalf("changed %v although the user asked for logs", set)
			}
		})
	}
}
