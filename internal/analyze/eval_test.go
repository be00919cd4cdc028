package analyze

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// dataDir is the public data, relative to this package: ../shared/data from the repository root.
const dataDir = "../../../shared/data"

func needData(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(dataDir); err != nil {
		t.Skipf("evaluation data not found at %s (the repository root's ../shared/data): %v", dataDir, err)
	}
}

func TestConfusionMetrics(t *testing.T) {
	c := NewConfusion(3)
	// gold, predicted
	for _, p := range [][2]int{{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 2}, {2, 0}} {
		c.Add(p[0], p[1])
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"accuracy", c.Accuracy(), 5.0 / 8},
		{"recall 0", c.Recall(0), 2.0 / 3},
		{"precision 0", c.Precision(0), 2.0 / 3},
		{"recall 1", c.Recall(1), 1.0 / 2},
		{"precision 2", c.Precision(2), 2.0 / 3},
		{"macro recall", c.MacroRecall(), (2.0/3 + 1.0/2 + 2.0/3) / 3},
		{"F1 1", c.F1(1), 2 * (1.0 / 2) * (1.0 / 2) / 1},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	empty := NewConfusion(2)
	if empty.Accuracy() != 0 || empty.F1(1) != 0 || empty.MacroRecall() != 0 {
		t.Error("an empty matrix must score 0, not NaN")
	}
}

func TestStratifiedFolds(t *testing.T) {
	labels := make([]int, 0, 103)
	for i := range 103 {
		labels = append(labels, b2i(i%3 == 0))
	}
	const k = 5
	fold := StratifiedFolds(labels, k, 42)
	perFold := make([][2]int, k)
	for i, f := range fold {
		if f < 0 || f >= k {
			t.Fatalf("item %d in fold %d", i, f)
		}
		perFold[f][labels[i]]++
	}
	for f, n := range perFold {
		// 35 positives and 68 negatives over 5 folds: 7 and 13 or 14 per fold.
		if n[1] < 6 || n[1] > 8 || n[0] < 13 || n[0] > 14 {
			t.Errorf("fold %d holds %d negatives and %d positives", f, n[0], n[1])
		}
	}
	again := StratifiedFolds(labels, k, 42)
	for i := range fold {
		if fold[i] != again[i] {
			t.Fatal("folds differ between runs with the same seed")
		}
	}
}

// No fold may see its own test items while fitting.
func TestCrossValidateHoldsOut(t *testing.T) {
	var exs []Example
	for i := range 50 {
		exs = append(exs, Example{Text: strings.Repeat("x", i+1), Label: i % 2})
	}
	calls := 0
	c := crossValidate(exs, 2, 5, 1, func(train, test []Example) []int {
		calls++
		seen := map[string]bool{}
		for _, ex := range train {
			seen[ex.Text] = true
		}
		out := make([]int, len(test))
		for i, ex := range test {
			if seen[ex.Text] {
				t.Errorf("fold %d trains on its test item %q", calls, ex.Text)
			}
			out[i] = ex.Label
		}
		if len(train)+len(test) != len(exs) {
			t.Errorf("fold %d: %d + %d items, want %d", calls, len(train), len(test), len(exs))
		}
		return out
	})
	if calls != 5 || c.Accuracy() != 1 || c.total() != len(exs) {
		t.Errorf("calls %d, accuracy %v, total %d", calls, c.Accuracy(), c.total())
	}
}

func TestParseSemEval(t *testing.T) {
	doc := `<Reviews><Review rid="1"><sentences>
<sentence id="1:1"><text>Lekker gegeten.</text><Opinions><Opinion polarity="positive"/></Opinions></sentence>
<sentence id="1:2"><text>Goed maar duur.</text><Opinions><Opinion polarity="positive"/><Opinion polarity="negative"/></Opinions></sentence>
<sentence id="1:3"><text>We kwamen om acht uur.</text></sentence>
<sentence id="1:4"><text>Koud en traag.</text><Opinions><Opinion polarity="negative"/><Opinion polarity="negative"/></Opinions></sentence>
</sentences></Review></Reviews>`
	labelled, plain, err := parseSemEval(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(labelled) != 2 || labelled[0].Label != int(Positive) || labelled[1].Label != int(Negative) ||
		labelled[1].Text != "Koud en traag." {
		t.Errorf("labelled = %+v", labelled)
	}
	if len(plain) != 1 || plain[0].Text != "We kwamen om acht uur." {
		t.Errorf("plain = %+v", plain)
	}
	if _, _, err := parseSemEval(strings.NewReader(`<Reviews><Review><sentences><sentence><text>x</text><Opinions><Opinion polarity="meh"/></Opinions></sentence></sentences></Review></Reviews>`)); err == nil {
		t.Error("unknown polarity accepted")
	}
}

func TestLoadersReportMissingData(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadTweetEval(dir, "val"); !errors.Is(err, ErrNoData) {
		t.Errorf("LoadTweetEval: %v, want ErrNoData", err)
	}
	if _, err := LoadSemEvalDutch(dir, "train"); !errors.Is(err, ErrNoData) {
		t.Errorf("LoadSemEvalDutch: %v, want ErrNoData", err)
	}
	if _, err := LoadComplaints(dir); !errors.Is(err, ErrNoData) {
		t.Errorf("LoadComplaints: %v, want ErrNoData", err)
	}
}

func TestLoadComplaintsCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, complaintsFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "1,\"@brand my order, again, is late\",1,retail\n2,love it,0,food\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	exs, err := LoadComplaints(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 2 || exs[0].Text != "@brand my order, again, is late" || exs[0].Label != 1 || exs[1].Domain != "food" {
		t.Errorf("got %+v", exs)
	}
	if err := os.WriteFile(path, []byte("1,text,2,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadComplaints(dir); err == nil {
		t.Error("label 2 accepted")
	}
}

func TestLinearModelRoundTrip(t *testing.T) {
	m := newLinearModel(3, []string{"compound", "w:top", "neg"})
	copy(m.w, []float32{1, 0, -1, 0.5, 0.25, 0, 0, 0, 0})
	copy(m.bias, []float32{0.1, 0.2, 0.3})
	var buf bytes.Buffer
	if err := m.writeTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := readLinearModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// The all-zero "neg" row is not written.
	if len(back.names) != 2 || back.words["top"] != 1 || back.dense[fCompound] != 0 || back.dense[fNeg] != -1 {
		t.Errorf("names %v words %v dense %v", back.names, back.words, back.dense[:3])
	}
	p1, p2 := make([]float64, 3), make([]float64, 3)
	m.scores([]feature{{0, 1}, {1, 1}}, p1)
	back.scores([]feature{{0, 1}, {1, 1}}, p2)
	for c := range p1 {
		if math.Abs(p1[c]-p2[c]) > 1e-4 {
			t.Errorf("class %d: %v before, %v after the round trip", c, p1[c], p2[c])
		}
	}
	for _, bad := range []string{"", "#classes\tx\n", "#classes\t3\nbias\t1\t2\n", "#classes\t2\nfoo\t1\t2\n"} {
		if _, err := readLinearModel(strings.NewReader(bad)); err == nil {
			t.Errorf("readLinearModel(%q) succeeded", bad)
		}
	}
}

func TestFitLinearSeparates(t *testing.T) {
	// Feature 0 says class 1, feature 1 says class 0.
	var xs [][]feature
	var ys []int
	for i := range 40 {
		if i%2 == 0 {
			xs, ys = append(xs, []feature{{0, 1}}), append(ys, 1)
		} else {
			xs, ys = append(xs, []feature{{1, 1}}), append(ys, 0)
		}
	}
	m := fitLinear(xs, ys, 2, []string{"a", "b"}, FitConfig{Epochs: 20, Rate: 0.1, Seed: 3})
	c := NewConfusion(2)
	for i, p := range predictAll(m, xs) {
		c.Add(ys[i], p)
	}
	if c.Accuracy() != 1 {
		t.Errorf("accuracy %v on separable data", c.Accuracy())
	}
}

// The shipped weights must be exactly what `crisisdesk eval -fit` produces from the data, so that
// anyone can rebuild them.
func TestShippedWeightsReproduce(t *testing.T) {
	needData(t)
	out := t.TempDir()
	if err := Train(dataDir, out, DefaultTrainConfig()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sentiment-en.tsv", "sentiment-nl.tsv", "complaint-en.tsv", "complaint-cues.tsv"} {
		fresh, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		shipped, err := lexiconFS.ReadFile("lexicon/weights/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, shipped) {
			t.Errorf("%s differs from a fresh fit; run crisisdesk eval -fit and commit the result", name)
		}
	}
}

// The evaluation must run end to end and keep every system at least where it stood when the
// figures in docs/ACCURACY.md were recorded.
func TestEvaluateFloors(t *testing.T) {
	needData(t)
	if testing.Short() {
		t.Skip("evaluation reads all data sets")
	}
	rep, err := Evaluate(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tables) != 4 {
		t.Fatalf("%d tables, want 4", len(rep.Tables))
	}
	floors := []struct {
		table, measure int
		min            float64
	}{
		{0, 0, 0.59}, // TweetEval macro recall
		{1, 2, 0.80}, // SemEval Dutch accuracy
		{2, 0, 0.75}, // complaint F1
	}
	for _, f := range floors {
		tb := rep.Tables[f.table]
		if tb.Rows[0].System != sysCrisisdesk {
			t.Fatalf("%s: first row is %s", tb.Title, tb.Rows[0].System)
		}
		if got := tb.Rows[0].Values[f.measure]; got < f.min {
			t.Errorf("%s: %s = %.3f, below %.3f", tb.Title, tb.Measures[f.measure], got, f.min)
		}
		if len(tb.Rows) < 3 {
			t.Errorf("%s: baselines missing", tb.Title)
		}
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| "+sysVADER) || !strings.Contains(md.String(), "| "+sysMajority) {
		t.Errorf("markdown lacks a baseline row:\n%s", md.String())
	}
}

func TestUnescapeUnicode(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain text`, `plain text`},
		{`can\u2019t wait`, "can\u2019t wait"},
		{`a\u002cb`, "a,b"},
		{`cut \u20`, `cut \u20`},
		{`not hex \uzzzz`, `not hex \uzzzz`},
		{`half a pair \ud83d`, `half a pair \ud83d`},
		{`back\\slash`, `back\\slash`},
	}
	for _, tt := range tests {
		if got := unescapeUnicode(tt.in); got != tt.want {
			t.Errorf("unescapeUnicode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzUnescapeUnicode checks that decoding never panics, keeps valid UTF-8 valid, never grows the
// text and leaves text without a backslash alone.
func FuzzUnescapeUnicode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		got := unescapeUnicode(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("unescapeUnicode(%q) = %q is not valid UTF-8", s, got)
		}
		if len(got) > len(s) {
			t.Fatalf("unescapeUnicode(%q) = %q grew", s, got)
		}
		if !strings.Contains(s, `\`) && got != s {
			t.Fatalf("unescapeUnicode(%q) = %q changed text without escapes", s, got)
		}
	})
}
