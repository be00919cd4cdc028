package store

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseSearch(t *testing.T) {
	word := func(toks ...string) SearchTerm { return SearchTerm{Tokens: toks} }
	prefix := func(toks ...string) SearchTerm { return SearchTerm{Tokens: toks, Prefix: true} }
	tests := []struct {
		q    string
		want []SearchTerm
	}{
		{"", nil},
		{"   \t\n", nil},
		{"storing", []SearchTerm{word("storing")}},
		{"Storing BIJ de Bank", []SearchTerm{word("storing"), word("bij"), word("de"), word("bank")}},
		{"café Coöperatie", []SearchTerm{word("cafe"), word("cooperatie")}},
		{`"data lek" bank`, []SearchTerm{word("data", "lek"), word("bank")}},
		{`"data lek"* bank`, []SearchTerm{prefix("data", "lek"), word("bank")}},
		{"data*", []SearchTerm{prefix("data")}},
		{"data**", []SearchTerm{prefix("data")}},
		{"*data", []SearchTerm{word("data")}},
		{"e-mail", []SearchTerm{word("e", "mail")}},
		{"we're", []SearchTerm{word("we", "re")}},
		{"#storing @kpn", []SearchTerm{word("storing"), word("kpn")}},
		{`"unclosed phrase`, []SearchTerm{word("unclosed", "phrase")}},
		{`a"b c"d`, []SearchTerm{word("a"), word("b", "c"), word("d")}},
		{`""`, nil},
		{`" "`, nil},
		{"AND ( OR )", []SearchTerm{word("and"), word("or")}},
		{"😡 !!! ...", nil},
		{"nul\x00byte", []SearchTerm{word("nul", "byte")}},
		{"bad \xff utf8", []SearchTerm{word("bad"), word("utf8")}},
		{"İstanbul ÆØÅ straße", []SearchTerm{word("istanbul"), word("æøa"), word("straße")}},
		{"2026 covid19", []SearchTerm{word("2026"), word("covid19")}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := ParseSearch(tt.q); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSearch(%q) = %#v, want %#v", tt.q, got, tt.want)
			}
		})
	}
}

func TestParseSearchLimits(t *testing.T) {
	tests := []struct {
		name       string
		q          string
		wantTerms  int
		wantTokens int // of the first term
	}{
		{"many words", strings.Repeat("w ", 1000), MaxSearchTerms, 1},
		{"long phrase", `"` + strings.Repeat("w ", 1000) + `"`, 1, MaxPhraseTokens},
		{"overlong token", strings.Repeat("x", MaxTokenBytes+1) + " kort", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseSearch(tt.q)
			if len(got) != tt.wantTerms || len(got[0].Tokens) != tt.wantTokens {
				t.Errorf("ParseSearch gave %d terms, the first of %d tokens; want %d and %d",
					len(got), len(got[0].Tokens), tt.wantTerms, tt.wantTokens)
			}
		})
	}
}

func TestSearchTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Grote STORING bij KPN!", []string{"grote", "storing", "bij", "kpn"}},
		{"Café, reünie & ideeën.", []string{"cafe", "reunie", "ideeen"}},
		{"https://x.com/a_b?c=1", []string{"https", "x", "com", "a", "b", "c", "1"}},
		{"tab\tnew\nline", []string{"tab", "new", "line"}},
		{"e\u0301te\u0301", []string{"ete"}}, // combining accents, not precomposed letters
		{"日本語 テキスト", []string{"日本語", "テキスト"}},
	}
	for _, tt := range tests {
		if got := SearchTokens(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SearchTokens(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestUnixNano(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want int64
	}{
		{"epoch", time.Unix(0, 0), 0},
		{"nanoseconds kept", time.Date(2026, 11, 20, 10, 0, 0, 123456789, time.UTC), 1795168800123456789},
		{"zero time", time.Time{}, math.MinInt64},
		{"year 1000", time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), math.MinInt64},
		{"year 3000", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64},
	}
	for _, tt := range tests {
		if got := UnixNano(tt.t); got != tt.want {
			t.Errorf("%s: UnixNano = %d, want %d", tt.name, got, tt.want)
		}
	}
	roundTrips := []time.Time{{}, time.Date(2026, 11, 20, 10, 0, 0, 123456789, time.UTC), time.Unix(0, 0).UTC()}
	for _, tm := range roundTrips {
		if got := FromUnixNano(UnixNano(tm)); !got.Equal(tm) || got.IsZero() != tm.IsZero() {
			t.Errorf("FromUnixNano(UnixNano(%v)) = %v", tm, got)
		}
	}
}

func TestSearchLimit(t *testing.T) {
	tests := []struct{ in, want int }{
		{0, DefaultSearchLimit}, {-1, DefaultSearchLimit}, {1, 1}, {500, 500},
		{MaxSearchLimit, MaxSearchLimit}, {MaxSearchLimit + 1, MaxSearchLimit}, {math.MaxInt, MaxSearchLimit},
	}
	for _, tt := range tests {
		if got := SearchLimit(tt.in); got != tt.want {
			t.Errorf("SearchLimit(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
