package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/analyze/langid"
)

// corpusWords gives each language a handful of its own words, enough for a toy corpus in the lingua
// layout that the command reads.
var corpusWords = map[string][]string{
	"af": {"die", "nie", "baie", "ek", "jy", "hulle", "dankie", "goeie"},
	"da": {"ikke", "jeg", "og", "hvad", "meget", "tak", "hvorfor", "være"},
	"de": {"nicht", "ich", "und", "warum", "sehr", "danke", "schon", "werden"},
	"en": {"the", "not", "and", "why", "very", "thanks", "already", "would"},
	"es": {"no", "yo", "y", "por", "muy", "gracias", "todavía", "también"},
	"fr": {"pas", "je", "et", "pourquoi", "très", "merci", "déjà", "aussi"},
	"it": {"non", "io", "e", "perché", "molto", "grazie", "già", "anche"},
	"nl": {"niet", "ik", "en", "waarom", "heel", "bedankt", "gewoon", "jullie"},
	"pt": {"não", "eu", "e", "porque", "muito", "obrigado", "já", "também"},
	"sv": {"inte", "jag", "och", "varför", "mycket", "tack", "redan", "också"},
}

func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{"sentences", "word-pairs", "single-words"} {
		if err := os.MkdirAll(filepath.Join(dir, src), 0o755); err != nil {
			t.Fatal(err)
		}
		for lang, words := range corpusWords {
			var b strings.Builder
			for i := range 40 {
				w := words[i%len(words)]
				switch src {
				case "sentences":
					b.WriteString(strings.Join([]string{w, words[(i+1)%len(words)], words[(i+3)%len(words)], words[(i+5)%len(words)]}, " "))
				case "word-pairs":
					b.WriteString(w + " " + words[(i+i/len(words)+1)%len(words)])
				default:
					b.WriteString(w)
				}
				b.WriteString(strings.Repeat(" "+w, i/len(words)))
				b.WriteByte('\n')
			}
			if err := os.WriteFile(filepath.Join(dir, src, lang+".txt"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestTrainWritesReproducibleModel(t *testing.T) {
	data := writeCorpus(t)
	out := filepath.Join(t.TempDir(), "model.bin.gz")
	var first []byte
	for round := range 2 {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"-data", data, "-out", out}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "held-out tenth") || !strings.Contains(stdout.String(), "| nl |") {
			t.Errorf("report lacks the held-out tables:\n%s", stdout.String())
		}
		model, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			first = model
			continue
		}
		if !bytes.Equal(first, model) {
			t.Error("two runs on the same data wrote different models")
		}
	}
	m, err := langid.Load(first)
	if err != nil {
		t.Fatalf("written model does not load: %v", err)
	}
	if got, _ := m.Detect("waarom niet gewoon bedankt jullie", ""); got != "nl" {
		t.Errorf("toy model reads Dutch as %s", got)
	}
}

func TestTuneGrid(t *testing.T) {
	data := writeCorpus(t)
	posts := filepath.Join(t.TempDir(), "posts.tsv")
	if err := os.WriteFile(posts, []byte("nl\tik ben heel blij\nen\tthanks a lot\nnl\twaarom niet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-data", data, "-posts", posts, "-tune"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "| class weights |") || !strings.Contains(stdout.String(), "T=8 loss=") {
		t.Errorf("tune output lacks the grid or the temperatures:\n%s", stdout.String())
	}
}

func TestMissingDataExits2(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-data", filepath.Join(t.TempDir(), "absent")}, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "trainlang:") {
		t.Errorf("stderr %q does not say what failed", stderr.String())
	}
}
