package source

import (
	"context"
	"testing"
	"time"
)

func TestCheckpoint(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	store := NewMemoryCursors()
	c := &Checkpoint{Store: store, ID: "s1", Every: time.Second}
	steps := []struct {
		name   string
		cursor string
		at     time.Duration
		force  bool
		want   string // what the store holds afterwards
	}{
		{"first move saves", "10", 0, false, "10"},
		{"too soon waits", "11", 500 * time.Millisecond, false, "10"},
		{"after Every saves", "12", 1500 * time.Millisecond, false, "12"},
		{"unchanged is not written", "12", 5 * time.Second, false, "12"},
		{"forced saves at once", "13", 5100 * time.Millisecond, true, "13"},
	}
	for _, s := range steps {
		if err := c.Save(ctx, s.cursor, t0.Add(s.at), s.force); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got, _ := store.Cursor(ctx, "s1"); got != s.want {
			t.Fatalf("%s: store holds %q, want %q", s.name, got, s.want)
		}
	}
	if got, err := c.Load(ctx); err != nil || got != "13" {
		t.Fatalf("Load = %q, %v", got, err)
	}
}

func TestCheckpointSavedIsNotWrittenAgain(t *testing.T) {
	ctx := context.Background()
	store := NewMemoryCursors()
	c := &Checkpoint{Store: store, ID: "s1", Every: time.Second}
	c.Saved("7")
	if err := c.Save(ctx, "7", time.Now(), true); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Cursor(ctx, "s1"); got != "" {
		t.Fatalf("a cursor marked saved was written again: %q", got)
	}
}

func TestCheckpointWithoutStore(t *testing.T) {
	c := &Checkpoint{}
	if got, err := c.Load(context.Background()); got != "" || err != nil {
		t.Fatalf("Load = %q, %v", got, err)
	}
	if err := c.Save(context.Background(), "1", time.Now(), true); err != nil {
		t.Fatal(err)
	}
}
