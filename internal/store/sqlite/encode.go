package sqlite

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The import writes two JSON columns for every post. encoding/json finds the fields by reflection
// each time, which was about a twentieth of the import's CPU; these appenders write the same bytes
// as json.Marshal directly. Whatever they do not write the simple way (a string with characters
// json.Marshal escapes, a float it writes in exponent form, a time it cannot write) goes to
// json.Marshal itself, so the output, and any error, stays exactly json.Marshal's.
// TestEncodeSameAsJSON and FuzzEncodeSameAsJSON compare the two.

// appendPostJSON appends json.Marshal(p) to dst.
func appendPostJSON(dst []byte, p *post.Post) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, p.ID)
	dst = append(dst, `,"platform":`...)
	dst = appendJSONString(dst, p.Platform)
	dst = append(dst, `,"text":`...)
	dst = appendJSONString(dst, p.Text)
	dst = append(dst, `,"created_at":`...)
	var err error
	if dst, err = appendJSONTime(dst, p.CreatedAt); err != nil {
		return nil, err
	}
	dst = appendOmitEmpty(dst, `,"lang":`, p.Lang)
	dst = appendOmitEmpty(dst, `,"url":`, p.URL)
	dst = appendOmitEmpty(dst, `,"reply_to":`, p.ReplyTo)
	dst = appendOmitEmpty(dst, `,"repost_of":`, p.RepostOf)
	dst = appendOmitEmpty(dst, `,"quote_of":`, p.QuoteOf)
	a := &p.Author
	dst = append(dst, `,"author":{`...)
	n := len(dst)
	dst = appendOmitEmpty(dst, `,"id":`, a.ID)
	dst = appendOmitEmpty(dst, `,"handle":`, a.Handle)
	dst = appendOmitEmpty(dst, `,"name":`, a.Name)
	dst = append(dst, `,"followers":`...)
	dst = strconv.AppendInt(dst, a.Followers, 10)
	if len(dst) > n && dst[n] == ',' {
		// The first field written has no comma before it.
		dst = append(dst[:n], dst[n+1:]...)
	}
	dst = append(dst, `,"following":`...)
	dst = strconv.AppendInt(dst, a.Following, 10)
	if a.CreatedAt != nil {
		dst = append(dst, `,"created_at":`...)
		if dst, err = appendJSONTime(dst, *a.CreatedAt); err != nil {
			return nil, err
		}
	}
	dst = append(dst, `,"verified":`...)
	dst = strconv.AppendBool(dst, a.Verified)
	dst = appendOmitEmpty(dst, `,"kind":`, a.Kind)
	m := &p.Metrics
	dst = append(dst, `},"metrics":{"likes":`...)
	dst = strconv.AppendInt(dst, m.Likes, 10)
	dst = append(dst, `,"reposts":`...)
	dst = strconv.AppendInt(dst, m.Reposts, 10)
	dst = append(dst, `,"replies":`...)
	dst = strconv.AppendInt(dst, m.Replies, 10)
	dst = append(dst, `,"quotes":`...)
	dst = strconv.AppendInt(dst, m.Quotes, 10)
	dst = append(dst, `,"views":`...)
	dst = strconv.AppendInt(dst, m.Views, 10)
	return append(dst, "}}"...), nil
}

// appendAnalysisJSON appends json.Marshal(a) to dst.
func appendAnalysisJSON(dst []byte, a *store.Analysis) ([]byte, error) {
	var err error
	dst = append(dst, `{"lang":`...)
	dst = appendJSONString(dst, a.Lang)
	dst = append(dst, `,"lang_confidence":`...)
	if dst, err = appendJSONFloat(dst, a.LangConfidence); err != nil {
		return nil, err
	}
	dst = append(dst, `,"sentiment":`...)
	dst = appendJSONString(dst, a.Sentiment)
	dst = append(dst, `,"sentiment_score":`...)
	if dst, err = appendJSONFloat(dst, a.SentimentScore); err != nil {
		return nil, err
	}
	dst = append(dst, `,"complaint":`...)
	dst = strconv.AppendBool(dst, a.Complaint)
	dst = append(dst, `,"complaint_score":`...)
	if dst, err = appendJSONFloat(dst, a.ComplaintScore); err != nil {
		return nil, err
	}
	dst = append(dst, `,"categories":`...)
	dst = appendJSONStrings(dst, a.Categories)
	if len(a.Evidence) > 0 {
		keys := make([]string, 0, len(a.Evidence))
		for k := range a.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys) // json.Marshal writes a map's keys sorted
		dst = append(dst, `,"evidence":{`...)
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendJSONStrings(dst, a.Evidence[k])
		}
		dst = append(dst, '}')
	}
	return append(dst, '}'), nil
}

// appendJSONStrings appends a []string as json.Marshal writes it: null when nil.
func appendJSONStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendOmitEmpty appends key and s, unless s is empty (omitempty).
func appendOmitEmpty(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	return appendJSONString(append(dst, key...), s)
}

// appendJSONString appends s quoted as json.Marshal quotes it. Strings that need no escaping are
// copied; any other goes through json.Marshal.
func appendJSONString(dst []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			ascii = false
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return appendMarshalled(dst, s)
		}
	}
	if !ascii && (!utf8.ValidString(s) || strings.ContainsRune(s, '\u2028') || strings.ContainsRune(s, '\u2029')) {
		return appendMarshalled(dst, s)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

func appendMarshalled(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return append(dst, b...)
}

// appendJSONFloat appends f as json.Marshal writes a float64.
func appendJSONFloat(dst []byte, f float64) ([]byte, error) {
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) || math.IsNaN(f) {
		b, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		return append(dst, b...), nil
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64), nil
}

// appendJSONTime appends t as json.Marshal writes a time.Time.
func appendJSONTime(dst []byte, t time.Time) ([]byte, error) {
	b, err := t.MarshalJSON()
	if err != nil {
		// The same error json.Marshal gives.
		_, err = json.Marshal(t)
		return nil, err
	}
	return append(dst, b...), nil
}
