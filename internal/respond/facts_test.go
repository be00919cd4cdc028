package respond

import (
	"fmt"
	"strings"
	"testing"
)

func factString(fs []Fact) string {
	var b []string
	for _, f := range fs {
		b = append(b, fmt.Sprintf("%s=%s", f.Kind, f.Value))
	}
	return strings.Join(b, " ")
}

func TestExtractFacts(t *testing.T) {
	tests := []struct {
		s    string
		want string
	}{
		{"De volgende update volgt om 14.00 uur op https://www.example.nl/status/.", "time=14:00 url=example.nl/status"},
		{"Next update at 2 pm on example.nl/status", "time=14:00 url=example.nl/status"},
		{"Op 21 november 2026 waren 1.200 klanten getroffen.", "date=2026-11-21 number=1200"},
		{"On November 21, 2026, 1,200 customers were affected.", "date=2026-11-21 number=1200"},
		{"Sinds 21-11-2026 om 09:15", "date=2026-11-21 time=09:15"},
		{"Mail privacy@example.nl of bel 020-1234567.", "email=privacy@example.nl phone=0201234567"},
		{"Call +31 20 123 4567 today.", "phone=0201234567 date=today"},
		{"Ongeveer 40% van de klanten, 12,5 procent in Utrecht.", "number=40% number=12.5% name=utrecht"},
		{"Wij van Albert Heijn werken samen met de GGD.", "name=albert heijn name=ggd"},
		{"KPN werkt eraan. Bel ons maandag.", "name=kpn date=mon"},
		{"Er is een A12-storing en het 3G-netwerk ligt eruit.", "name=a12"},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			fs := ExtractFacts(tt.s)
			if got := factString(fs); got != tt.want {
				t.Errorf("ExtractFacts(%q)\n got %s\nwant %s", tt.s, got, tt.want)
			}
			for _, f := range fs {
				if tt.s[f.Start:f.End] != f.Text {
					t.Errorf("fact %+v: span does not hold its text", f)
				}
			}
		})
	}
}
