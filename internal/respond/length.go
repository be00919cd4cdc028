package respond

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Platform is a channel a statement is published on.
type Platform string

// Platforms with a known length rule.
const (
	X         Platform = "x"
	Bluesky   Platform = "bluesky"
	Mastodon  Platform = "mastodon"
	Threads   Platform = "threads"
	LinkedIn  Platform = "linkedin"
	Facebook  Platform = "facebook"
	Instagram Platform = "instagram"
	Email     Platform = "email"
	Press     Platform = "press"
)

// Units in which a Length is counted.
const (
	UnitChars     = "chars"
	UnitGraphemes = "graphemes"
	UnitWeighted  = "weighted"
)

// urlWeight is what X and Mastodon count for any URL, whatever its length, because both shorten or
// reserve a fixed length for links.
const urlWeight = 23

type rule struct {
	limit   int // 0: no limit
	unit    string
	threads bool
	weighX  bool // X's code point weights
	urls    bool // URLs count as urlWeight
	mastoAt bool // @user@domain counts as @user
}

var rules = map[Platform]rule{
	X:         {limit: 280, unit: UnitWeighted, threads: true, weighX: true, urls: true},
	Bluesky:   {limit: 300, unit: UnitGraphemes, threads: true},
	Mastodon:  {limit: 500, unit: UnitChars, threads: true, urls: true, mastoAt: true},
	Threads:   {limit: 500, unit: UnitChars, threads: true},
	LinkedIn:  {limit: 3000, unit: UnitChars},
	Facebook:  {limit: 63206, unit: UnitChars},
	Instagram: {limit: 2200, unit: UnitChars},
	Email:     {unit: UnitChars},
	Press:     {unit: UnitChars},
}

// Platforms returns every platform with a length rule, in a fixed order.
func Platforms() []Platform {
	return []Platform{X, Bluesky, Mastodon, Threads, LinkedIn, Facebook, Instagram, Email, Press}
}

// ParsePlatform checks a platform name.
func ParsePlatform(s string) (Platform, error) {
	p := Platform(s)
	if _, ok := rules[p]; !ok {
		return "", fmt.Errorf("respond: unknown platform %q: want x, bluesky, mastodon, threads, linkedin, facebook, instagram, email or press", s)
	}
	return p, nil
}

// Limit is the platform's maximum length (0: none).
func (p Platform) Limit() int { return rules[p].limit }

// HasThreads reports whether a long statement can be posted as a numbered thread.
func (p Platform) HasThreads() bool { return rules[p].threads }

// Length is how long a text is on a platform. Limit 0 means there is no limit.
type Length struct {
	Used  int    `json:"used"`
	Limit int    `json:"limit"`
	Unit  string `json:"unit"`
}

// Over reports whether the text is longer than the platform allows.
func (l Length) Over() bool { return l.Limit > 0 && l.Used > l.Limit }

// Counter measures texts per platform. The zero value is ready; it keeps a tokenizer and its token slice
// between calls, so it is not safe for concurrent use.
type Counter struct {
	tz   text.Tokenizer
	toks []text.Token
}

// segment is one counted unit: a grapheme cluster, or a whole URL or mention. Cuts fall between segments.
type segment struct{ start, end, cost int }

// Count returns the length of s on platform p. An unknown platform counts graphemes without a limit.
func (c *Counter) Count(p Platform, s string) Length {
	r := rules[p]
	used := 0
	c.walk(r, s, func(g segment) bool {
		used += g.cost
		return true
	})
	unit := r.unit
	if unit == "" {
		unit = UnitGraphemes
	}
	return Length{Used: used, Limit: r.limit, Unit: unit}
}

// Count is Counter.Count with a fresh Counter, for code off the hot path.
func Count(p Platform, s string) Length {
	var c Counter
	return c.Count(p, s)
}

// fit returns the byte offset of the longest prefix of s that fits in limit units on p, always on a
// segment boundary; len(s) when all of it fits.
func (c *Counter) fit(p Platform, s string, limit int) int {
	used, cut := 0, len(s)
	c.walk(rules[p], s, func(g segment) bool {
		if used+g.cost > limit {
			cut = g.start
			return false
		}
		used += g.cost
		return true
	})
	return cut
}

// walk calls fn for each segment of s in order until fn returns false. Segments are visited rather than
// collected so that counting a long draft does not allocate.
func (c *Counter) walk(r rule, s string, fn func(segment) bool) {
	c.toks = c.tz.Tokenize(c.toks[:0], s)
	i := 0
	for _, tk := range c.toks {
		if tk.Flags.Has(text.Part) || tk.Start < i {
			continue
		}
		var cost int
		switch {
		case tk.Kind == text.Emoji:
			cost = 1
			if r.weighX {
				cost = 2
			}
		case tk.Kind == text.URL && r.urls && (!r.mastoAt || hasScheme(tk.Text)):
			cost = urlWeight
		case tk.Kind == text.Mention && r.mastoAt:
			cost = mastodonMention(tk.Text)
		default:
			continue
		}
		if !walkGraphemes(s, i, tk.Start, r.weighX, fn) || !fn(segment{tk.Start, tk.End, cost}) {
			return
		}
		i = tk.End
	}
	walkGraphemes(s, i, len(s), r.weighX, fn)
}

func hasScheme(u string) bool {
	return len(u) > 7 && (u[:7] == "http://" || u[:7] == "HTTP://" || (len(u) > 8 && (u[:8] == "https://" || u[:8] == "HTTPS://")))
}

// mastodonMention counts @user@domain as @user, because Mastodon counts only the local part of a
// remote mention.
func mastodonMention(m string) int {
	n := 0
	for k, r := range m {
		if r == '@' && k > 0 {
			break
		}
		n++
	}
	return n
}

// walkGraphemes calls fn for each grapheme cluster of s[i:j] (which holds no emoji) and reports whether
// fn wanted more.
func walkGraphemes(s string, i, j int, weighX bool, fn func(segment) bool) bool {
	for i < j {
		e := nextGrapheme(s[:j], i)
		cost := 1
		if weighX {
			cost = 0
			for _, r := range s[i:e] {
				cost += xWeight(r)
			}
		}
		if !fn(segment{i, e, cost}) {
			return false
		}
		i = e
	}
	return true
}

// xWeight is twitter-text v3's weight of one code point, in characters.
func xWeight(r rune) int {
	switch {
	case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
		return 1
	}
	return 2
}

// nextGrapheme returns the end of the grapheme cluster that starts at s[i], for text without emoji
// (those are whole tokens already). It follows UAX #29 closely enough for prose: CR LF, Hangul syllable
// sequences, and a base followed by Extend and SpacingMark runes (combining marks, variation selectors,
// ZWJ).
func nextGrapheme(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	j := i + size
	if r == '\r' {
		if j < len(s) && s[j] == '\n' {
			return j + 1
		}
		return j
	}
	if r == '\n' || r < 0x20 || (r == utf8.RuneError && size == 1) {
		return j
	}
	prev := hangulType(r)
	for j < len(s) {
		r2, sz := utf8.DecodeRuneInString(s[j:])
		if r2 == utf8.RuneError && sz == 1 {
			return j
		}
		if isExtend(r2) {
			j += sz
			continue
		}
		h := hangulType(r2)
		if prev != 0 && h != 0 && hangulJoins(prev, h) {
			prev = h
			j += sz
			continue
		}
		return j
	}
	return j
}

func isExtend(r rune) bool {
	if r < 0x300 {
		return false
	}
	return r == 0x200D || r == 0x200C || (r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0020 && r <= 0xE007F) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// Hangul syllable types of UAX #29.
const (
	hangulL = iota + 1
	hangulV
	hangulT
	hangulLV
	hangulLVT
)

func hangulType(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0xA960 && r <= 0xA97C:
		return hangulL
	case r >= 0x1160 && r <= 0x11A7, r >= 0xD7B0 && r <= 0xD7C6:
		return hangulV
	case r >= 0x11A8 && r <= 0x11FF, r >= 0xD7CB && r <= 0xD7FB:
		return hangulT
	case r >= 0xAC00 && r <= 0xD7A3:
		if (r-0xAC00)%28 == 0 {
			return hangulLV
		}
		return hangulLVT
	}
	return 0
}

func hangulJoins(a, b int) bool {
	switch a {
	case hangulL:
		return b == hangulL || b == hangulV || b == hangulLV || b == hangulLVT
	case hangulLV, hangulV:
		return b == hangulV || b == hangulT
	case hangulLVT, hangulT:
		return b == hangulT
	}
	return false
}
