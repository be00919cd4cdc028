package source

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestCheckpointResume(t *testing.T) {
	cur := NewMemoryCursors()
	digits := func(s string) bool { _, err := strconv.ParseUint(s, 10, 64); return err == nil }
	tests := []struct{ stored, want string }{{"", ""}, {"1234", "1234"}, {"garbage", ""}}
	for _, tt := range tests {
		if err := cur.SetCursor(t.Context(), "s", tt.stored); err != nil {
			t.Fatal(err)
		}
		cp := &Checkpoint{Store: cur, ID: "s", Every: time.Hour}
		got, err := cp.Resume(t.Context(), digits, nil)
		if err != nil || got != tt.want {
			t.Errorf("Resume with %q stored = %q, %v; want %q", tt.stored, got, err, tt.want)
		}
		// What it resumed from counts as saved: saving it again writes nothing.
		if err := cur.SetCursor(t.Context(), "s", "sentinel"); err != nil {
			t.Fatal(err)
		}
		if err := cp.Save(t.Context(), got, time.Now(), true); err != nil {
			t.Fatal(err)
		}
		if c, _ := cur.Cursor(t.Context(), "s"); c != "sentinel" {
			t.Errorf("saving the resumed cursor %q wrote it again", got)
		}
	}
	if got, err := (&Checkpoint{ID: "none"}).Resume(t.Context(), digits, nil); err != nil || got != "" {
		t.Errorf("Resume without a store = %q, %v", got, err)
	}
}

func TestRunThenFinish(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	r := &Reconnector{}
	var finishedLive bool
	err := r.RunThenFinish(ctx, func(ctx context.Context, up func()) error {
		cancel() // the run ends by cancellation, as when the source is stopped
		<-ctx.Done()
		return nil
	}, func(fctx context.Context) error {
		finishedLive = fctx.Err() == nil
		return errors.New("save failed")
	})
	if !finishedLive {
		t.Error("finish ran on a cancelled context")
	}
	if err == nil || err.Error() != "save failed" {
		t.Errorf("RunThenFinish = %v, want finish's error", err)
	}
}
