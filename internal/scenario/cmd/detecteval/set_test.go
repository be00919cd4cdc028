package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/detect"
)

func TestSet(t *testing.T) {
	var s sets
	for _, v := range []string{"WarmupP=1e-5", "MinAuthors=3", "ShortWindow=5m"} {
		if err := s.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	cfg := detect.DefaultConfig()
	if err := s.apply(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.WarmupP != 1e-5 || cfg.MinAuthors != 3 || cfg.ShortWindow != 5*time.Minute {
		t.Errorf("config after -set: WarmupP %g, MinAuthors %d, ShortWindow %v", cfg.WarmupP, cfg.MinAuthors, cfg.ShortWindow)
	}
	for _, tt := range []struct{ in, want string }{
		{"Nope=1", `no field "Nope"`},
		{"WarmupP=x", "WarmupP=x"},
		{"Campaign=1", "not a number or a duration"},
		{"ShortWindow=5", "ShortWindow=5"},
	} {
		bad := sets{tt.in}
		c := detect.DefaultConfig()
		if err := bad.apply(&c); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("-set %s: error %v, want one containing %q", tt.in, err, tt.want)
		}
	}
	if err := s.Set("WarmupP"); err == nil {
		t.Error("-set without = was accepted")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-seeds", "0", "-set", "Nope=1"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "Nope") {
		t.Errorf("-set Nope=1: exit %d, stderr %q; want 2 naming the field", code, errb.String())
	}
}

// Whatever -set is given, it is applied or refused, never a panic.
func FuzzSet(f *testing.F) {
	for _, seed := range []string{"WarmupP=1e-5", "ShortWindow=5m", "MinAuthors=-3", "Campaign=1", "=", "X=", "Dispersion=NaN", "ViralReach=9223372036854775808"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var s sets
		if s.Set(in) != nil {
			return
		}
		c := detect.DefaultConfig()
		_ = s.apply(&c)
	})
}
