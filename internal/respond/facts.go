package respond

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// FactKind is the kind of a key fact.
type FactKind string

// Kinds of key facts that must read the same in every variant of a statement.
const (
	FactNumber FactKind = "number"
	FactDate   FactKind = "date"
	FactTime   FactKind = "time"
	FactURL    FactKind = "url"
	FactEmail  FactKind = "email"
	FactPhone  FactKind = "phone"
	FactName   FactKind = "name"
)

// Fact is one key fact in a text. Value is its normal form, so that 14.00 uur and 14:00 or +31 20 123 4567
// and 020-1234567 compare equal; Start and End are its byte span in the text.
type Fact struct {
	Kind  FactKind `json:"kind"`
	Value string   `json:"value"`
	Text  string   `json:"text"`
	Start int      `json:"start"`
	End   int      `json:"end"`
}

var (
	reEmail   = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	rePhone   = regexp.MustCompile(`(?:\+\d{2,3}|\b00\d{2}|\b0)[ -]?(?:\(0\)[ -]?)?\d{1,4}(?:[ -]?\d{2,4}){1,3}\b`)
	reISODate = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reNumDate = regexp.MustCompile(`\b(\d{1,2})[-/](\d{1,2})[-/](\d{4}|\d{2})\b`)
	reDayMon  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|e)?\s+(` + monthAlt + `)\.?(?:,?\s+(\d{4}))?\b`)
	reMonDay  = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	reClock   = regexp.MustCompile(`(?i)\b([01]?\d|2[0-3])[:.]([0-5]\d)\b(?:\s?(am|pm|a\.m\.|p\.m\.))?(?:\s?uur\b)?`)
	reAmPm    = regexp.MustCompile(`(?i)\b(1[0-2]|0?[1-9])\s?(am|pm|a\.m\.|p\.m\.)`)
	reUur     = regexp.MustCompile(`(?i)\b([01]?\d|2[0-3])\s?uur\b`)
	reNumber  = regexp.MustCompile(`(?i)\d+(?:[.,]\d+)*(?:\s?(?:%|procent\b|percent\b))?`)
)

const monthAlt = `januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
	`january|february|march|may|june|july|august|october|` +
	`jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec`

var months = map[string]int{
	"januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "maart": 3, "march": 3,
	"mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7,
	"july": 7, "jul": 7, "augustus": 8, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]string{
	"maandag": "mon", "monday": "mon", "dinsdag": "tue", "tuesday": "tue", "woensdag": "wed",
	"wednesday": "wed", "donderdag": "thu", "thursday": "thu", "vrijdag": "fri", "friday": "fri",
	"zaterdag": "sat", "saturday": "sat", "zondag": "sun", "sunday": "sun",
	"vandaag": "today", "today": "today", "morgen": "tomorrow", "tomorrow": "tomorrow",
	"vanavond": "tonight", "tonight": "tonight",
}

// notNames are capitalised words that are not names even in mid-sentence: the pronouns that Dutch and
// English capitalise.
var notNames = map[string]bool{"i": true, "u": true, "uw": true, "ik": true}

// ExtractFacts returns the key facts of s in text order. Numeric dates are read day first (21-11-2026),
// as Dutch and British writers do; ISO dates are year first.
func ExtractFacts(s string) []Fact {
	var facts []Fact
	taken := make([]bool, len(s)+1)
	free := func(a, b int) bool {
		for i := a; i < b; i++ {
			if taken[i] {
				return false
			}
		}
		return true
	}
	add := func(k FactKind, v string, a, b int) {
		if !free(a, b) {
			return
		}
		for i := a; i < b; i++ {
			taken[i] = true
		}
		facts = append(facts, Fact{Kind: k, Value: v, Text: s[a:b], Start: a, End: b})
	}
	for _, m := range reEmail.FindAllStringIndex(s, -1) {
		add(FactEmail, strings.ToLower(s[m[0]:m[1]]), m[0], m[1])
	}
	toks := text.Tokenize(s)
	for _, tk := range toks {
		if tk.Kind == text.URL {
			add(FactURL, normURL(tk.Text), tk.Start, tk.End)
		}
	}
	for _, m := range reISODate.FindAllStringSubmatchIndex(s, -1) {
		add(FactDate, dateValue(atoi(s, m[6], m[7]), atoi(s, m[4], m[5]), atoi(s, m[2], m[3])), m[0], m[1])
	}
	for _, m := range reNumDate.FindAllStringSubmatchIndex(s, -1) {
		y := atoi(s, m[6], m[7])
		if y < 100 {
			y += 2000
		}
		add(FactDate, dateValue(atoi(s, m[2], m[3]), atoi(s, m[4], m[5]), y), m[0], m[1])
	}
	for _, m := range reDayMon.FindAllStringSubmatchIndex(s, -1) {
		add(FactDate, dateValue(atoi(s, m[2], m[3]), months[strings.ToLower(s[m[4]:m[5]])], optAtoi(s, m[6], m[7])), m[0], m[1])
	}
	for _, m := range reMonDay.FindAllStringSubmatchIndex(s, -1) {
		add(FactDate, dateValue(atoi(s, m[4], m[5]), months[strings.ToLower(s[m[2]:m[3]])], optAtoi(s, m[6], m[7])), m[0], m[1])
	}
	for _, m := range rePhone.FindAllStringIndex(s, -1) {
		if v := phoneValue(s[m[0]:m[1]]); v != "" {
			add(FactPhone, v, m[0], m[1])
		}
	}
	for _, m := range reClock.FindAllStringSubmatchIndex(s, -1) {
		h := atoi(s, m[2], m[3])
		if m[6] >= 0 {
			h = ampm(h, s[m[6]:m[7]])
		}
		add(FactTime, clockValue(h, atoi(s, m[4], m[5])), m[0], m[1])
	}
	for _, m := range reAmPm.FindAllStringSubmatchIndex(s, -1) {
		add(FactTime, clockValue(ampm(atoi(s, m[2], m[3]), s[m[4]:m[5]]), 0), m[0], m[1])
	}
	for _, m := range reUur.FindAllStringSubmatchIndex(s, -1) {
		add(FactTime, clockValue(atoi(s, m[2], m[3]), 0), m[0], m[1])
	}
	for _, m := range reNumber.FindAllStringIndex(s, -1) {
		if m[0] > 0 && isWordByte(s[m[0]-1]) || m[1] < len(s) && isWordByte(s[m[1]]) {
			continue // part of a word or code such as A12 or 3G
		}
		add(FactNumber, numberValue(s[m[0]:m[1]]), m[0], m[1])
	}
	sentenceStart := true
	for k := 0; k < len(toks); k++ {
		tk := toks[k]
		if tk.Flags.Has(text.Part) {
			continue
		}
		if tk.Kind == text.Punct {
			if strings.ContainsAny(tk.Text, ".!?:") {
				sentenceStart = true
			}
			continue
		}
		if tk.Kind != text.Word {
			sentenceStart = false
			continue
		}
		if wd, ok := weekdays[tk.Norm]; ok {
			add(FactDate, wd, tk.Start, tk.End)
			sentenceStart = false
			continue
		}
		if !isCapitalised(tk.Text) || notNames[tk.Norm] || months[tk.Norm] != 0 {
			sentenceStart = false
			continue
		}
		// A run of capitalised words is one name (Albert Heijn, Customer Service). A single capitalised
		// word that starts a sentence is taken as a name only when it is all caps (KPN).
		e := k
		for e+1 < len(toks) && toks[e+1].Kind == text.Word && isCapitalised(toks[e+1].Text) && !notNames[toks[e+1].Norm] && toks[e+1].Start-toks[e].End <= 1 {
			e++
		}
		if !sentenceStart || e > k || tk.Flags.Has(text.AllCaps) {
			add(FactName, text.Fold(s[tk.Start:toks[e].End]), tk.Start, toks[e].End)
		}
		k = e
		sentenceStart = false
	}
	sort.Slice(facts, func(a, b int) bool { return facts[a].Start < facts[b].Start })
	return facts
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func atoi(s string, a, b int) int {
	n, _ := strconv.Atoi(s[a:b])
	return n
}

func optAtoi(s string, a, b int) int {
	if a < 0 {
		return 0
	}
	return atoi(s, a, b)
}

func dateValue(d, m, y int) string {
	v := strconv.Itoa(m) + "-" + strconv.Itoa(d)
	if y > 0 {
		v = strconv.Itoa(y) + "-" + v
	}
	return v
}

func ampm(h int, suffix string) int {
	pm := strings.HasPrefix(strings.ToLower(suffix), "p")
	switch {
	case pm && h < 12:
		return h + 12
	case !pm && h == 12:
		return 0
	}
	return h
}

func clockValue(h, m int) string {
	return strconv.Itoa(h/10) + strconv.Itoa(h%10) + ":" + strconv.Itoa(m/10) + strconv.Itoa(m%10)
}

func normURL(u string) string {
	l := strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		l = strings.TrimPrefix(l, p)
	}
	l = strings.TrimPrefix(l, "www.")
	return strings.TrimRight(l, "/")
}

// phoneValue returns the digits of a phone number with the country code 31 written as a leading 0, or ""
// when there are too few digits for a phone number.
func phoneValue(p string) string {
	p = strings.ReplaceAll(p, "(0)", "")
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(p, "+31"):
		d = "0" + d[2:]
	case strings.HasPrefix(p, "0031"):
		d = "0" + d[4:]
	case strings.HasPrefix(p, "+"):
		d = "+" + d
	}
	if len(d) < 8 {
		return ""
	}
	return d
}

// numberValue normalises separators: a . or , followed by exactly three digits groups thousands
// (1.000 and 1,000 are 1000); any other is a decimal point (12,5 is 12.5). Percentages keep a %.
func numberValue(n string) string {
	pct := strings.HasSuffix(n, "%") || strings.HasSuffix(strings.ToLower(n), "procent") || strings.HasSuffix(strings.ToLower(n), "percent")
	end := 0
	for end < len(n) && (n[end] >= '0' && n[end] <= '9' || n[end] == '.' || n[end] == ',') {
		end++
	}
	num := n[:end]
	var b strings.Builder
	for i := 0; i < len(num); i++ {
		c := num[i]
		if c == '.' || c == ',' {
			j := i + 1
			for j < len(num) && num[j] >= '0' && num[j] <= '9' {
				j++
			}
			if j-i-1 == 3 {
				continue
			}
			b.WriteByte('.')
			continue
		}
		b.WriteByte(c)
	}
	v := b.String()
	if pct {
		v += "%"
	}
	return v
}
