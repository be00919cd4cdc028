package query

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	d := NewDoc(testPost("storing bij de bank, ING app down"), Analysis{})
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"empty", func() error { return nil }, nil},
		{"set", func() error { return r.Set("m1", "storing") }, []string{"m1"}},
		{"set second", func() error { return r.Set("m2", "ing NEAR/1 app") }, []string{"m1", "m2"}},
		{"replace", func() error { return r.Set("m1", "outage") }, []string{"m2"}},
		{"bad query keeps old", func() error {
			err := r.Set("m2", "ing AND (")
			var e *Error
			if !errors.As(err, &e) || e.Key != MsgUnbalancedParen {
				return fmt.Errorf("want an unbalanced parenthesis, got %v", err)
			}
			return nil
		}, []string{"m2"}},
		{"remove", func() error {
			if !r.Remove("m2") || r.Remove("m2") {
				return errors.New("Remove reported wrongly")
			}
			return nil
		}, nil},
		{"update", func() error {
			return r.Update(map[string]string{"a": "bank", "b": "storing", "c": "nergens"}, []string{"m1"})
		}, []string{"a", "b"}},
		{"update with a bad query changes nothing", func() error {
			err := r.Update(map[string]string{"d": "bank", "e": "NOT bank"}, []string{"a"})
			var me *MonitorError
			if !errors.As(err, &me) || me.ID != "e" || me.Err.Key != MsgOnlyNegative {
				return fmt.Errorf("want monitor e rejected, got %v", err)
			}
			return nil
		}, []string{"a", "b"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := r.Match(d); !slices.Equal(got, s.want) {
			t.Fatalf("%s: Match = %v, want %v", s.name, got, s.want)
		}
	}
	if src, ok := r.Query("b"); !ok || src != "storing" {
		t.Errorf("Query(b) = %q, %v", src, ok)
	}
}

// TestRegistryConcurrent changes monitors while other goroutines match; run it with -race. Every
// result must be one a published Matcher could give: m-stable always matches, and whatever else
// comes back is sorted.
func TestRegistryConcurrent(t *testing.T) {
	r := NewRegistry()
	if err := r.Set("m-stable", "storing"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := NewDoc(testPost("storing bij de bank"), Analysis{})
			for {
				select {
				case <-stop:
					return
				default:
				}
				got := r.Match(d)
				if !slices.Contains(got, "m-stable") || !slices.IsSorted(got) {
					errs <- fmt.Errorf("Match = %v", got)
					return
				}
			}
		}()
	}
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("m%03d", i%20)
		if i%3 == 0 {
			r.Remove(id)
		} else if err := r.Set(id, fmt.Sprintf("bank OR w%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
