package langid

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

func TestDefaultLoads(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	if got, want := m.Languages(), LinguaLanguages(); !slices.Equal(got, want) {
		t.Errorf("model has languages %v, want %v", got, want)
	}
}

func TestDetect(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, hint, want string
	}{
		// Short Dutch posts in social-media style: the error that matters most is Dutch read as Afrikaans.
		{"nl storing", "Al 3 uur geen internet, wat is er aan de hand?", "", "nl"},
		{"nl klacht", "Ik wacht nog steeds op mijn pakket", "", "nl"},
		{"nl kort", "Niet normaal dit", "", "nl"},
		{"nl boos", "Dit is echt belachelijk", "", "nl"},
		{"nl vraag", "Waarom duurt het zo lang?", "", "nl"},
		{"nl clitic", "'t is weer raak bij de NS", "", "nl"},
		{"nl met mention", "@KPN wanneer is de storing voorbij? #storing https://t.co/abc", "", "nl"},
		{"nl groet", "Goedemorgen allemaal!", "", "nl"},
		{"nl informeel", "ff bellen aub, m'n bestelling is kwijt", "", "nl"},
		{"nl trein", "De trein is weer te laat", "", "nl"},
		{"nl dank", "Dank je wel voor de snelle hulp", "", "nl"},
		{"nl het is", "Het is niet te geloven", "", "nl"},
		{"af", "Ek is baie bly om jou te sien, dit is lekker", "", "af"},
		{"de", "Ich warte immer noch auf mein Paket", "", "de"},
		{"en", "I am still waiting for my package", "", "en"},
		{"en outage", "the app has been down for hours", "", "en"},
		{"fr", "Je suis toujours en attente de mon colis", "", "fr"},
		{"es", "Todavía estoy esperando mi paquete", "", "es"},
		{"it", "Sto ancora aspettando il mio pacco", "", "it"},
		{"pt", "Ainda estou esperando pela minha encomenda", "", "pt"},
		{"da", "Jeg venter stadig på min pakke", "", "da"},
		{"sv", "Jag väntar fortfarande på mitt paket", "", "sv"},
		{"too short", "ok", "", Undetermined},
		{"only entities", "@kpn #storing https://x.nl 😡😡", "", Undetermined},
		{"empty", "", "nl", Undetermined},
		{"hint decides a close call", "in", "nl", Undetermined},
		{"hint overruled", "I am still waiting for my package, this is ridiculous", "nl", "en"},
		{"hint with region", "De trein is weer te laat", "nl-NL", "nl"},
		{"other script with unknown hint", "Привет, как дела?", "ru", "ru"},
		{"other script without hint", "Привет, как дела?", "", Undetermined},
		{"other script with known hint", "Привет, как дела?", "nl", Undetermined},
		{"polish", "Dzień dobry, jak się masz? Nie mam internetu od rana", "", Undetermined},
		{"polish with hint", "Dzień dobry, jak się masz? Nie mam internetu od rana", "pl", "pl"},
		{"turkish", "Merhaba, nasılsın? İnternet yine çalışmıyor", "", Undetermined},
		{"hungarian", "Jó reggelt, hogy vagy? Megint nem működik az internet", "", Undetermined},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, conf := m.Detect(tc.text, tc.hint)
			if got != tc.want {
				t.Errorf("Detect(%q, %q) = %s (%.2f), want %s", tc.text, tc.hint, got, conf, tc.want)
			}
			if conf < 0 || conf > 1 {
				t.Errorf("confidence %v outside [0,1]", conf)
			}
		})
	}
}

func TestDetectTokensAgreesWithDetect(t *testing.T) {
	m := mustDefault(t)
	posts, err := ReadTSV("testdata/short-posts.tsv", "short-posts")
	if err != nil {
		t.Fatal(err)
	}
	var tz text.Tokenizer
	for _, p := range posts {
		l1, c1 := m.Detect(p.Text, "nl")
		l2, c2 := m.DetectTokens(tz.Tokenize(nil, p.Text), "nl")
		if l1 != l2 || c1 != c2 {
			t.Errorf("%q: Detect %s %.3f, DetectTokens %s %.3f", p.Text, l1, c1, l2, c2)
		}
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	samples := []Sample{
		{Lang: "nl", Text: "de kat zit op de mat"}, {Lang: "nl", Text: "het is een mooie dag"},
		{Lang: "en", Text: "the cat sits on the mat"}, {Lang: "en", Text: "it is a nice day"},
	}
	m, err := Train(samples, TrainConfig{Alpha: 0.5, MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	var a bytes.Buffer
	if _, err := m.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(a.Bytes())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var b bytes.Buffer
	if _, err := m2.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("model changed through a write and load")
	}
	for _, s := range []string{"de kat is mooi", "the cat is nice"} {
		l1, c1 := m.Detect(s, "")
		l2, c2 := m2.Detect(s, "")
		if l1 != l2 || c1 != c2 {
			t.Errorf("Detect(%q): %s %.3f before, %s %.3f after round trip", s, l1, c1, l2, c2)
		}
	}
	if got, _ := m2.Detect("de kat zit op de mat", ""); got != "nl" {
		t.Errorf("tiny model: got %s, want nl", got)
	}
}

func TestLoadRejectsGarbage(t *testing.T) {
	var good bytes.Buffer
	if _, err := (mustDefault(t)).WriteTo(&good); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not gzip":  []byte("hello"),
		"truncated": good.Bytes()[:good.Len()/2],
	} {
		if _, err := Load(data); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}

func mustDefault(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBaseLang(t *testing.T) {
	for in, want := range map[string]string{"nl": "nl", "nl-BE": "nl", "EN_us": "en", "": "", "x": "", "n1": "", "fil": "fil"} {
		if got := baseLang(in); got != want {
			t.Errorf("baseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShortPosts guards the hand-written short posts. They guided the choice of DefaultParams, so this is
// a regression check, not an independent measure: a change that loses Dutch posts to Afrikaans shows here
// first.
func TestShortPosts(t *testing.T) {
	m := mustDefault(t)
	posts, err := ReadTSV("testdata/short-posts.tsv", "short-posts")
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(m, posts)
	for lang, c := range r.ByLang {
		t.Logf("%s: %d/%d", lang, c[0], c[1])
	}
	if nl := r.ByLang["nl"]; float64(nl[0]) < 0.93*float64(nl[1]) {
		t.Errorf("Dutch short posts: %d/%d right, want at least 93%%", nl[0], nl[1])
	}
	if n := r.Confusion["nl"]["af"]; n > 3 {
		t.Errorf("%d Dutch short posts read as Afrikaans, want at most 3", n)
	}
	if r.Accuracy() < 0.95 {
		t.Errorf("short posts accuracy %.3f, want at least 0.95", r.Accuracy())
	}
}

func TestReadTSVRejectsBadLines(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/bad.tsv"
	if err := os.WriteFile(path, []byte("# comment\nnl\tgoed\nno tab here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTSV(path, "x"); err == nil || !strings.Contains(err.Error(), ":3:") {
		t.Errorf("ReadTSV: got %v, want an error naming line 3", err)
	}
}

func BenchmarkDetect(b *testing.B) {
	m := mustDefault(b)
	posts := []string{
		"@KPN al 3 uur geen internet in Utrecht!!! Wanneer is dit opgelost? #storing",
		"I can't believe they're still not answering. Worst customer service ever :(",
		"Ich warte seit zwei Wochen auf eine Antwort vom Kundendienst",
		"zo'n gedoe weer met m'n bestelling, da's de 3e keer deze maand",
	}
	b.ReportAllocs()
	start, _ := cputime.Process()
	for i := 0; b.Loop(); i++ {
		m.Detect(posts[i%len(posts)], "")
	}
	cputime.Report(b, start)
}

// referenceScore is score written plainly, one byte at a time, to check the lane arithmetic.
func referenceScore(m *Model, feats []feature, out []float64) {
	nl := len(m.langs)
	for c := range numClasses {
		var seen, unseen float64
		sums := make([]float64, nl)
		for _, f := range feats {
			if int(f.class) != c {
				continue
			}
			row := m.lookup(f.key)
			if row < 0 {
				unseen++
				continue
			}
			seen++
			for l := range nl {
				sums[l] += float64(m.probs[int(row)*rowStride+l])
			}
		}
		if seen == 0 && unseen == 0 {
			continue
		}
		for l := range nl {
			v := seen*float64(m.floor) + float64(m.step)*sums[l] + unseen*float64(m.unseen[c*nl+l])
			out[l] += m.params.ClassWeight[c] * v
		}
	}
}

func TestScoreMatchesReference(t *testing.T) {
	m := mustDefault(t)
	texts := []string{
		"Ik wacht nog steeds op mijn pakket",
		"the",
		// Long enough that one class sees more than 256 known features, which exercises the lane flush.
		strings.Repeat("Het is weer raak bij de bank en niemand neemt de telefoon op. ", 60),
	}
	for _, s := range texts {
		var e extractor
		e.extract(s)
		got := make([]float64, len(m.langs))
		want := make([]float64, len(m.langs))
		m.score(e.feats, got)
		referenceScore(m, e.feats, want)
		for l := range got {
			if math.Abs(got[l]-want[l]) > 1e-6*math.Abs(want[l]) {
				t.Errorf("%.30q lane %d: score %v, reference %v", s, l, got[l], want[l])
			}
		}
	}
}

// TestFreshPosts scores posts written after DefaultParams were fixed. They were never used to choose
// anything, so their figure in docs/ACCURACY.md is an independent check in social-media register.
func TestFreshPosts(t *testing.T) {
	m := mustDefault(t)
	posts, err := ReadTSV("testdata/fresh-posts.tsv", "fresh-posts")
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(m, posts)
	for _, lang := range sortedKeys(r.ByLang) {
		c := r.ByLang[lang]
		t.Logf("%s: %d/%d", lang, c[0], c[1])
	}
	for _, p := range posts {
		if got, conf := m.Detect(p.Text, ""); got != p.Lang {
			t.Logf("miss: %s read as %s (%.2f): %s", p.Lang, got, conf, p.Text)
		}
	}
	if nl := r.ByLang["nl"]; float64(nl[0]) < 0.9*float64(nl[1]) {
		t.Errorf("Dutch fresh posts: %d/%d right, want at least 90%%", nl[0], nl[1])
	}
}

// Detect is called from many analysis workers at once.
func TestDetectConcurrent(t *testing.T) {
	m := mustDefault(t)
	posts, err := ReadTSV("testdata/short-posts.tsv", "short-posts")
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, len(posts))
	for i, p := range posts {
		want[i], _ = m.Detect(p.Text, "")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := range posts {
				j := (i + w*13) % len(posts)
				if got, _ := m.Detect(posts[j].Text, ""); got != want[j] {
					errs <- posts[j].Text + ": " + got + " != " + want[j]
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
