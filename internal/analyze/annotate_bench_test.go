package analyze

import (
	"testing"
	"time"

	"github.com/jonreiter/govader"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
)

// benchPosts is a mix of Dutch and English posts of typical length.
var benchPosts = []struct{ text, lang string }{
	{"@KPN al 3 dagen geen internet en nog steeds geen reactie. Ik wil mijn geld terug!", "nl"},
	{"Wat een geweldige service vandaag bij de balie, echt top 👍", "nl"},
	{"Groot datalek bij de gemeente: gegevens van duizenden inwoners op straat #datalek", "nl"},
	{"Het eten was niet lekker maar de bediening was wel heel vriendelijk", "nl"},
	{"@united you lost my bag and nobody responds. I want a refund! Worst airline ever", "en"},
	{"Loving the new update, the app is so much faster now :)", "en"},
	{"Is the website down for anyone else? Can't log in since this morning", "en"},
	{"Our team will be at the conference in Amsterdam next week, come say hi", "en"},
}

func BenchmarkAnnotate(b *testing.B) {
	a, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		hint bool
	}{{"hint", true}, {"nohint", false}} {
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			start, _ := cputime.Process()
			for b.Loop() {
				p := benchPosts[i%len(benchPosts)]
				hint := ""
				if mode.hint {
					hint = p.lang
				}
				a.AnnotateText("b", p.text, hint)
				i++
			}
			reportCPU(b, start)
		})
	}
}

func BenchmarkSentiment(b *testing.B) {
	a, err := New()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	start, _ := cputime.Process()
	for b.Loop() {
		p := benchPosts[i%len(benchPosts)]
		a.Sentiment(p.text, p.lang)
		i++
	}
	reportCPU(b, start)
}

// BenchmarkGovader is the in-process baseline: VADER's Go port on the same posts.
func BenchmarkGovader(b *testing.B) {
	v := govader.NewSentimentIntensityAnalyzer()
	b.ReportAllocs()
	i := 0
	start, _ := cputime.Process()
	for b.Loop() {
		v.PolarityScores(benchPosts[i%len(benchPosts)].text)
		i++
	}
	reportCPU(b, start)
}

// reportCPU adds CPU time per post and posts per CPU-second: on a shared machine wall time measures
// the neighbours as much as the code. The benchmarks run on one goroutine, so CPU time is per core.
func reportCPU(b *testing.B, start time.Duration) {
	if end, ok := cputime.Process(); ok && end > start && b.N > 0 {
		per := float64(end-start) / float64(b.N)
		b.ReportMetric(per, "cpu-ns/op")
		b.ReportMetric(1e9/per, "posts/cpu-s")
	}
}
