package incident

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the golden files are in Amsterdam time on every machine

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExport writes a simulated crisis in Markdown and HTML, in both languages, and compares each
// with its golden file. Run with -update after an intended change and review the diff.
func TestExport(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatalf("load zone: %v", err)
	}
	for _, lang := range Languages() {
		s, clk, _, _ := newService(t, Config{Definitions: definitions})
		id := runCrisis(t, s, clk, lang)
		r, err := s.Room(t.Context(), id)
		if err != nil {
			t.Fatalf("Room: %v", err)
		}
		for _, format := range []struct {
			ext   string
			write func(*bytes.Buffer) error
		}{
			{"md", func(b *bytes.Buffer) error { return WriteMarkdown(b, r, loc) }},
			{"html", func(b *bytes.Buffer) error { return WriteHTML(b, r, loc) }},
		} {
			t.Run(lang+"."+format.ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := format.write(&b); err != nil {
					t.Fatalf("write: %v", err)
				}
				golden(t, filepath.Join("testdata", "export."+lang+"."+format.ext), b.Bytes())
				if format.ext == "html" {
					if _, err := html.Parse(bytes.NewReader(b.Bytes())); err != nil {
						t.Errorf("the HTML does not parse: %v", err)
					}
				}
			})
		}
	}
}

// Text people typed cannot inject markup into either export.
func TestExportEscapes(t *testing.T) {
	s, clk, _, _ := newService(t, Config{})
	ctx := t.Context()
	inc, err := s.Declare(ctx, Declaration{Title: `<script>alert(1)</script> *bold* [link](x) | pipe`, Lang: "en",
		Severity: SeverityLow, Author: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, inc.ID, "line one\n# not a heading <b>", "a"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	r, err := s.Room(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var md, h bytes.Buffer
	if err := WriteMarkdown(&md, r, time.UTC); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&h, r, time.UTC); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "*bold*", "[link](x)", "\n# not", "<b>"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("Markdown export contains %q unescaped", bad)
		}
	}
	for _, bad := range []string{"<script>", "<b>"} {
		if strings.Contains(h.String(), bad) {
			t.Errorf("HTML export contains %q unescaped", bad)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run with -update and review the diff.\n--- got ---\n%s", path, got)
	}
}
