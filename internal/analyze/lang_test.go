package analyze

import (
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/analyze/langid"
	"github.com/crisisdesk/crisisdesk/internal/cputime"
)

// langDataDir is the public data directory; the default is ../shared/data seen from the repository root.
var langDataDir = flag.String("lang.data", filepath.Join("..", "..", "..", "shared", "data"),
	"data directory for the language-identification evaluation (relative to internal/analyze)")

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		text, hint, want string
	}{
		{"Weer een storing bij de bank, ik kan niet inloggen", "", "nl"},
		{"Weer een storing bij de bank, ik kan niet inloggen", "en", "nl"},
		{"Still no internet after three hours, this is ridiculous", "", "en"},
		{"😡😡 #fail", "nl", LangUndetermined},
		{"ja", "", LangUndetermined},
	}
	for _, tc := range tests {
		got, conf := DetectLanguage(tc.text, tc.hint)
		if got != tc.want {
			t.Errorf("DetectLanguage(%q, %q) = %s (%.2f), want %s", tc.text, tc.hint, got, conf, tc.want)
		}
	}
}

// The hint must tip a text that fits two languages equally, and nothing more.
func TestDetectLanguageHintTips(t *testing.T) {
	for _, ambiguous := range []string{"hier", "water"} {
		if got, _ := DetectLanguage(ambiguous, ""); got != LangUndetermined {
			t.Errorf("%q without hint: %s, want und", ambiguous, got)
		}
		for _, hint := range []string{"af", "nl"} {
			if got, _ := DetectLanguage(ambiguous, hint); got != hint {
				t.Errorf("%q with hint %s: %s; the hint should decide", ambiguous, hint, got)
			}
		}
	}
	// baie is only Afrikaans: clear evidence overrules the hint.
	if got, _ := DetectLanguage("baie", "nl"); got != "af" {
		t.Errorf("baie with hint nl: %s, want af", got)
	}
}

func langData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(*langDataDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("SKIPPED: %s not found (%v); the language-ID evaluation needs ../shared/data next to the repository, or -lang.data DIR", p, err)
	}
	return p
}

// semEvalSentences returns the text of every sentence in a SemEval-2016 ABSA file, labelled or not.
func semEvalSentences(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Texts []string `xml:"Review>sentences>sentence>text"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc.Texts
}

// TestLanguageAccuracySemEvalDutch is the product's measure: every sentence of the Dutch SemEval-2016
// restaurant reviews (train.xml and test-gold.xml) must be read as Dutch. These are not training data
// for the language model.
func TestLanguageAccuracySemEvalDutch(t *testing.T) {
	dir := langData(t, "sentiment-nl/semeval2016-restaurants")
	for _, file := range []string{"train.xml", "test-gold.xml", ""} {
		var texts []string
		if file == "" {
			texts = append(semEvalSentences(t, filepath.Join(dir, "train.xml")), semEvalSentences(t, filepath.Join(dir, "test-gold.xml"))...)
		} else {
			texts = semEvalSentences(t, filepath.Join(dir, file))
		}
		got := map[string]int{}
		var wrong []string
		for _, s := range texts {
			l, _ := DetectLanguage(s, "")
			got[l]++
			if l != "nl" && len(wrong) < 15 {
				wrong = append(wrong, l+": "+s)
			}
		}
		name := file
		if name == "" {
			name = "all"
		}
		acc := float64(got["nl"]) / float64(len(texts))
		t.Logf("SemEval Dutch %s: %d sentences, accuracy %.4f, answers %v", name, len(texts), acc, got)
		if file == "" {
			t.Logf("first misses:\n%s", strings.Join(wrong, "\n"))
			if acc < 0.95 {
				t.Errorf("accuracy %.4f on SemEval Dutch sentences, want at least 0.95", acc)
			}
		}
	}
}

// TestLanguageAccuracySemEvalLabelled reports the same measure on the test-gold sentences that the
// sentiment evaluation uses (those whose opinions agree), so the two reports can be read side by side.
func TestLanguageAccuracySemEvalLabelled(t *testing.T) {
	langData(t, "sentiment-nl/semeval2016-restaurants")
	examples, err := LoadSemEvalDutch(*langDataDir, "test-gold")
	if err != nil {
		t.Fatal(err)
	}
	nl := 0
	for _, ex := range examples {
		if l, _ := DetectLanguage(ex.Text, ""); l == "nl" {
			nl++
		}
	}
	acc := float64(nl) / float64(len(examples))
	t.Logf("SemEval Dutch test-gold, labelled sentences: %d, accuracy %.4f", len(examples), acc)
	if acc < 0.95 {
		t.Errorf("accuracy %.4f on labelled SemEval Dutch sentences, want at least 0.95", acc)
	}
}

// TestLanguageAccuracyHeldOut scores the shipped model on the held-out tenth of the lingua data, which
// the shipped model was not trained on (see cmd/trainlang).
func TestLanguageAccuracyHeldOut(t *testing.T) {
	dir := langData(t, "langid-lingua-testdata")
	samples, err := langid.ReadLingua(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, heldOut := langid.Split(samples)
	m, err := langid.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := langid.Evaluate(m, heldOut)
	var b strings.Builder
	r.Write(&b)
	t.Log(b.String())
	if c := r.BySource["sentences"]; float64(c[0]) < 0.98*float64(c[1]) {
		t.Errorf("held-out sentence accuracy %d/%d, want at least 0.98", c[0], c[1])
	}
}

// TestLanguageModelMemory bounds what loading the model costs: the heap it takes, and the resident set
// of a fresh process that loads it and detects one text. The process is this test binary started again,
// so nothing else in it has run.
func TestLanguageModelMemory(t *testing.T) {
	if os.Getenv("CRISISDESK_LANG_RSS_CHILD") == "1" {
		lang, _ := DetectLanguage("Het model is geladen", "")
		fmt.Printf("detected %s\n%s\n", lang, vmRSS())
		return
	}
	data, err := os.ReadFile(filepath.Join("langid", "model.bin.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := langid.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	m.Detect("warm up the scratch space", "")
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("model file %d bytes, %.1f MB on the heap once loaded", len(data), float64(heap)/(1<<20))
	if heap > 30<<20 {
		t.Errorf("loaded model takes %d bytes of heap, want under 30 MB", heap)
	}
	runtime.KeepAlive(m)

	if vmRSS() == "" {
		t.Log("no /proc/self/status here: resident set not measured")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLanguageModelMemory$")
	cmd.Env = append(os.Environ(), "CRISISDESK_LANG_RSS_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	var kb int
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ = strconv.Atoi(f[1])
		}
	}
	t.Logf("fresh process after loading the model and detecting one text: VmRSS %d kB", kb)
	if kb == 0 || kb > 30<<10 {
		t.Errorf("resident set %d kB, want above 0 and under 30 MB\n%s", kb, out)
	}
}

// vmRSS returns the VmRSS line of /proc/self/status, or "" where there is none.
func vmRSS() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return line
		}
	}
	return ""
}

var langBenchPosts = []string{
	"@KPN al 3 uur geen internet in Utrecht!!! Wanneer is dit opgelost? #storing",
	"Wat een schande dit. Mijn gegevens liggen op straat door jullie #DataLek 😡 https://nos.nl/artikel/2450000",
	"Thanks @NS_online, de trein was gewoon op tijd vandaag 👍",
	"I can't believe they're still not answering. Worst customer service ever :(",
	"zo'n gedoe weer met m'n bestelling, da's de 3e keer deze maand",
	"Our systems are back up. We're sorry for the inconvenience. www.example.com/status",
	"Ich warte seit zwei Wochen auf eine Antwort vom Kundendienst",
	"Lekker dan, 't is weer raak bij @ING_nl. Niet kunnen inloggen sinds 08:15",
}

func BenchmarkDetectLanguage(b *testing.B) {
	for _, bc := range []struct{ name, hint string }{{"nohint", ""}, {"hint", "nl"}} {
		b.Run(bc.name, func(b *testing.B) {
			DetectLanguage("warm up", "")
			b.ReportAllocs()
			start, _ := cputime.Process()
			for i := 0; b.Loop(); i++ {
				DetectLanguage(langBenchPosts[i%len(langBenchPosts)], bc.hint)
			}
			cputime.Report(b, start)
		})
	}
}
