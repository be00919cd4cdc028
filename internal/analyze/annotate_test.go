package analyze

import (
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

func TestAnnotationJSONContract(t *testing.T) {
	a := mustAnalyzer(t)
	tests := []struct {
		name string
		p    post.Post
		want string // a prefix of the JSON line; the rest is the optional evidence
	}{
		{"no categories encode as []", post.Post{ID: "1", Text: "Goedemorgen", Lang: "nl"},
			`{"id":"1","lang":"`},
		{"fields in contract order", post.Post{ID: "x", Text: "Groot datalek bij de bank, schandalig!", Lang: "nl"},
			`{"id":"x","lang":"nl","lang_confidence":`},
	}
	for _, tt := range tests {
		an := a.Annotate(tt.p)
		b, err := json.Marshal(an)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.HasPrefix(s, tt.want) {
			t.Errorf("%s: %s does not start with %s", tt.name, s, tt.want)
		}
		var back struct {
			ID             string  `json:"id"`
			Lang           string  `json:"lang"`
			LangConfidence float64 `json:"lang_confidence"`
			Sentiment      struct {
				Label string  `json:"label"`
				Score float64 `json:"score"`
			} `json:"sentiment"`
			Complaint      *bool               `json:"complaint"`
			ComplaintScore *float64            `json:"complaint_score"`
			Categories     []string            `json:"categories"`
			Evidence       map[string][]string `json:"evidence"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Categories == nil {
			t.Errorf("%s: categories missing or null in %s", tt.name, s)
		}
		if back.Complaint == nil || back.ComplaintScore == nil {
			t.Errorf("%s: complaint fields missing in %s", tt.name, s)
		}
		if _, ok := ParsePolarity(back.Sentiment.Label); !ok {
			t.Errorf("%s: bad label in %s", tt.name, s)
		}
		if back.Sentiment.Score < -1 || back.Sentiment.Score > 1 || back.LangConfidence < 0 || back.LangConfidence > 1 {
			t.Errorf("%s: score out of range in %s", tt.name, s)
		}
	}
	// The order of the contract's fields is fixed.
	b, _ := json.Marshal(Annotation{ID: "i", Lang: "nl", Categories: []Category{DataBreach}})
	want := `{"id":"i","lang":"nl","lang_confidence":0,"sentiment":{"label":"negative","score":0},"complaint":false,"complaint_score":0,"categories":["data_breach"]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestAnnotateHint(t *testing.T) {
	a := mustAnalyzer(t)
	got := a.Annotate(post.Post{ID: "h", Text: "Wat een waardeloze service", Lang: "nl"})
	if got.Lang != "nl" || got.Sentiment.Label != Negative {
		t.Errorf("hinted Dutch post: %+v", got)
	}
	if got := a.AnnotateText("u", "", ""); got.Lang != LangUndetermined {
		t.Errorf("empty text: lang %q, want %q", got.Lang, LangUndetermined)
	}
}

// Annotate must give the same answer from many goroutines at once, with the pooled buffers shared.
func TestAnnotateConcurrent(t *testing.T) {
	a := mustAnalyzer(t)
	texts := []string{
		"Groot datalek bij de bank, schandalig!",
		"@united you lost my bag and nobody responds",
		"Heerlijk gegeten, top service 😍",
		strings.Repeat("storing ", 500),
	}
	want := make([]Annotation, len(texts))
	for i, s := range texts {
		want[i] = a.AnnotateText("c", s, "")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := (i + g) % len(texts)
				got := a.AnnotateText("c", texts[k], "")
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want[k])
				if string(gb) != string(wb) {
					select {
					case errs <- string(gb) + " != " + string(wb):
					default:
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// Pathological inputs must cost work in proportion to their size. The bound is on memory the call
// allocates, measured by the runtime, not on time, so it holds on a slow or busy machine.
func TestAnnotatePathological(t *testing.T) {
	a := mustAnalyzer(t)
	words := strings.Fields("datalek storing niet heel erg goed maar slecht klacht hack life nog steeds geen reactie")
	var big strings.Builder
	for i := 0; big.Len() < 1<<20; i++ {
		big.WriteString(words[i%len(words)])
		big.WriteByte(' ')
		if i%13 == 0 {
			big.WriteString("!!! ")
		}
	}
	tests := []struct {
		name string
		text string
	}{
		{"100,000 emoji", strings.Repeat("😡", 100_000)},
		{"1 MB of words", big.String()},
		{"one 50,000-character word", strings.Repeat("a", 50_000)},
		{"50,000 negators", strings.Repeat("niet ", 50_000)},
		{"50,000 hashtags", strings.Repeat("#DataLek ", 50_000)},
		{"long elongated word", "goe" + strings.Repeat("e", 50_000) + "d"},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		an := a.AnnotateText("p", tt.text, "")
		runtime.ReadMemStats(&after)
		allocated := after.TotalAlloc - before.TotalAlloc
		// The token buffer is the biggest cost: about 80 bytes per token and at most one token per
		// input byte, doubled while it grows. 512 bytes per input byte leaves room for that and the
		// language model, and still fails on anything quadratic.
		if limit := uint64(512*len(tt.text)) + 1<<20; allocated > limit {
			t.Errorf("%s: allocated %d bytes for %d input bytes, limit %d", tt.name, allocated, len(tt.text), limit)
		}
		// Growing buffers allocate a logarithmic number of times; per-token allocation would show
		// as tens of thousands.
		if mallocs := after.Mallocs - before.Mallocs; mallocs > 1000 {
			t.Errorf("%s: %d allocations, want at most 1000", tt.name, mallocs)
		}
		if an.Sentiment.Score < -1 || an.Sentiment.Score > 1 {
			t.Errorf("%s: score %v", tt.name, an.Sentiment.Score)
		}
	}
}

// After warm-up, a post allocates only for what it returns: the tokenizer's one string of folded
// forms, the language model's answer, and a category's evidence when there is one.
func TestAnnotateAllocations(t *testing.T) {
	a := mustAnalyzer(t)
	tests := []struct {
		name, text string
		annotate   float64
	}{
		{"plain post", "@KPN ik wil mijn geld terug, waardeloos!", 3},
		{"post with a category", "@KPN al 3 dagen geen internet, waardeloos! Ik wil mijn geld terug", 12},
	}
	for _, tt := range tests {
		a.AnnotateText("a", tt.text, "nl")
		if n := testing.AllocsPerRun(100, func() { a.AnnotateText("a", tt.text, "nl") }); n > tt.annotate {
			t.Errorf("%s: Annotate allocates %.0f times, want at most %.0f", tt.name, n, tt.annotate)
		}
		if n := testing.AllocsPerRun(100, func() { a.Sentiment(tt.text, "nl") }); n > 1 {
			t.Errorf("%s: Sentiment allocates %.0f times, want at most 1", tt.name, n)
		}
	}
}
