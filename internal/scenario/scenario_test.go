package scenario

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

func smallConfig(seed uint64) Config {
	cfg := DefaultConfig()
	cfg.Seed = seed
	cfg.History = 2 * 24 * time.Hour
	cfg.After = time.Hour
	return cfg
}

func TestGenerateDeterministic(t *testing.T) {
	for _, name := range Crises() {
		t.Run(name, func(t *testing.T) {
			a, err := Generate(name, smallConfig(7))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Generate(name, smallConfig(7))
			if !reflect.DeepEqual(a.Posts, b.Posts) || !a.Onset.Equal(b.Onset) {
				t.Fatal("the same seed gave different streams")
			}
			c, _ := Generate(name, smallConfig(8))
			if reflect.DeepEqual(a.Posts, c.Posts) {
				t.Fatal("a different seed gave the same stream")
			}
		})
	}
}

func TestGenerateLabels(t *testing.T) {
	for _, name := range Crises() {
		t.Run(name, func(t *testing.T) {
			s, err := Generate(name, smallConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			if !s.Crisis || s.Onset.Before(s.Start) || !s.Onset.Before(s.End) {
				t.Fatalf("onset %v outside [%v, %v)", s.Onset, s.Start, s.End)
			}
			if len(s.CrisisPosts) < 5 {
				t.Fatalf("%d crisis posts, want several", len(s.CrisisPosts))
			}
			if !slices.IsSortedFunc(s.Posts, func(a, b post.Post) int { return a.CreatedAt.Compare(b.CreatedAt) }) {
				t.Fatal("posts are not in time order")
			}
			for _, p := range s.Posts {
				if s.CrisisPosts[p.ID] && p.CreatedAt.Before(s.Onset) {
					t.Fatalf("crisis post %s at %v, before the onset %v", p.ID, p.CreatedAt, s.Onset)
				}
			}
			l := s.Label()
			if l.Name != name || len(l.CrisisPosts) != len(s.CrisisPosts) || !slices.IsSorted(l.CrisisPosts) {
				t.Errorf("label %+v does not match the scenario", l)
			}
		})
	}
	if _, err := Generate("meteor", smallConfig(1)); err == nil {
		t.Error("an unknown scenario name gave no error")
	}
}

// What the generator writes is what replay reads: every line decodes as a valid post.
func TestWriteJSONLDecodes(t *testing.T) {
	s := Normal(smallConfig(3), 1)
	var buf bytes.Buffer
	if err := s.WriteJSONL(&buf); err != nil {
		t.Fatal(err)
	}
	rd := post.NewReader(&buf)
	n := 0
	for {
		p, err := rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("post %d: %v", n, err)
		}
		if p.ID != s.Posts[n].ID {
			t.Fatalf("post %d is %s, want %s", n, p.ID, s.Posts[n].ID)
		}
		n++
	}
	if n != len(s.Posts) || n < 1000 {
		t.Fatalf("decoded %d of %d posts; a week of traffic should be thousands", n, len(s.Posts))
	}
	var mon bytes.Buffer
	if err := s.WriteMonitors(&mon); err != nil || strings.Count(mon.String(), "\n") != len(s.Monitors) {
		t.Fatalf("monitors file %q, %v", mon.String(), err)
	}
}

// The rhythm is what the package says: quiet at night, busy in the evening, calmer at weekends.
func TestRhythm(t *testing.T) {
	mon := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	night, evening := rhythm(mon.Add(4*time.Hour)), rhythm(mon.Add(20*time.Hour+30*time.Minute))
	sunday := rhythm(mon.Add(6*24*time.Hour + 20*time.Hour + 30*time.Minute))
	if night >= 0.2 || evening < 0.9 || sunday >= evening {
		t.Errorf("rhythm night %.2f, evening %.2f, Sunday evening %.2f", night, evening, sunday)
	}
}

func TestParseCrisisLex(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr string
	}{
		{"header and rows, out of order", "Timestamp, Tweet-ID, Included(Y/N)\n" +
			"\"Thu Aug 01 06:36:36 +0000 2013\",\"362824165524795392\",Y\n" +
			"\"Thu Aug 01 00:19:43 +0000 2013\",\"362729319723831298\",N\n", 2, ""},
		{"empty", "", 0, ""},
		{"bad time", "\"yesterday\",\"1\",Y\n", 0, "line 1: timestamp"},
		{"bad id", "\"Thu Aug 01 06:36:36 +0000 2013\",\"12a\",Y\n", 0, "line 1: tweet id"},
		{"missing field", "\"Thu Aug 01 06:36:36 +0000 2013\",\"12\"\n", 0, "line 1: want 3 fields"},
		{"bad flag", "\"Thu Aug 01 06:36:36 +0000 2013\",\"12\",maybe\n", 0, "line 1: included"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := ParseCrisisLex(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != tt.want || !slices.IsSortedFunc(ts, time.Time.Compare) {
				t.Fatalf("got %v, want %d sorted times", ts, tt.want)
			}
		})
	}
}

func TestCrisisLexOnset(t *testing.T) {
	t0 := time.Date(2013, 7, 24, 18, 0, 0, 0, time.UTC)
	var ts []time.Time
	for i := range 5 { // chatter: one tweet every 20 minutes
		ts = append(ts, t0.Add(time.Duration(i)*20*time.Minute))
	}
	burst := t0.Add(3 * time.Hour)
	for i := range 40 { // then 40 in 20 minutes
		ts = append(ts, burst.Add(time.Duration(i)*30*time.Second))
	}
	got, ok := CrisisLexOnset(ts, DefaultOnset)
	// The first tweet followed by 30 within the hour is the chatter tweet at 19:20 only if 30 follow
	// before 20:20; they do not, so the onset is the burst's first tweet.
	if !ok || !got.Equal(burst) {
		t.Errorf("onset %v (%v), want %v", got, ok, burst)
	}
	if _, ok := CrisisLexOnset(ts[:5], DefaultOnset); ok {
		t.Error("chatter alone has an onset")
	}
}

func FuzzParseCrisisLex(f *testing.F) {
	f.Add("Timestamp, Tweet-ID, Included(Y/N)\n\"Thu Aug 01 06:36:36 +0000 2013\",\"362824165524795392\",Y\n")
	f.Fuzz(func(t *testing.T, in string) {
		ts, err := ParseCrisisLex(strings.NewReader(in))
		if err != nil {
			return
		}
		if !slices.IsSortedFunc(ts, time.Time.Compare) {
			t.Fatal("times not sorted")
		}
		if n := strings.Count(in, "\n") + 1; len(ts) > n {
			t.Fatalf("%d times from %d lines", len(ts), n)
		}
		CrisisLexOnset(ts, DefaultOnset)
	})
}

func TestLoadCrisisLex(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadCrisisLex(context.Background(), dir, DefaultOnset, time.Hour); !errors.Is(err, ErrNoData) {
		t.Fatalf("empty folder: %v, want ErrNoData", err)
	}
	ev := filepath.Join(dir, "crisislex-t26", "2013_Test_flood")
	if err := os.MkdirAll(ev, 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Timestamp, Tweet-ID, Included(Y/N)\n")
	t0 := time.Date(2013, 6, 20, 12, 0, 0, 0, time.UTC)
	add := func(at time.Time, i int) {
		fmt.Fprintf(&b, "%q,%q,Y\n", at.Format("Mon Jan 02 15:04:05 -0700 2006"), strconv.Itoa(1000+i))
	}
	for i := range 3 {
		add(t0.Add(time.Duration(i)*time.Hour), i)
	}
	onset := t0.Add(5 * time.Hour)
	for i := range 50 {
		add(onset.Add(time.Duration(i)*time.Minute), 10+i)
	}
	if err := os.WriteFile(filepath.Join(ev, "2013_Test_flood-tweetids_entire_period.csv"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ss, err := LoadCrisisLex(context.Background(), dir, DefaultOnset, 20*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 {
		t.Fatalf("%d scenarios, want 1", len(ss))
	}
	s := ss[0]
	if s.Name != "crisislex/2013_Test_flood" || !s.Crisis || !s.Onset.Equal(onset) || s.Target != CrisisLexMonitor {
		t.Errorf("scenario %s crisis %v onset %v target %s", s.Name, s.Crisis, s.Onset, s.Target)
	}
	// Three tweets before the onset and twenty in the twenty minutes after it.
	if len(s.Posts) != 23 || len(s.CrisisPosts) != 20 {
		t.Errorf("%d posts, %d crisis posts; want 23 and 20", len(s.Posts), len(s.CrisisPosts))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadCrisisLex(ctx, dir, DefaultOnset, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled load: %v", err)
	}
}
