package plan

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// memVersions keeps versions in memory; the real stores are tested by storetest.
type memVersions struct {
	vs      []store.PlanVersion
	saveErr error
}

func (m *memVersions) SavePlan(_ context.Context, v *store.PlanVersion) error {
	if m.saveErr != nil {
		return m.saveErr
	}
	v.Version = int64(len(m.vs) + 1)
	m.vs = append(m.vs, *v)
	return nil
}

func (m *memVersions) LatestPlan(context.Context) (store.PlanVersion, error) {
	if len(m.vs) == 0 {
		return store.PlanVersion{}, store.ErrNotFound
	}
	return m.vs[len(m.vs)-1], nil
}

func TestCurrentAndSave(t *testing.T) {
	ctx := t.Context()
	m := &memVersions{}
	p, src, version, err := Current(ctx, m)
	if err != nil || version != 0 || p.Organisation.Name != "Voorbeeld B.V." {
		t.Fatalf("Current on an empty store = %v, version %d, %v; want the default plan", p, version, err)
	}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	edited := append([]byte("# v1\n"), src...)
	if _, v, err := Save(ctx, m, edited, "anna@example.org", now); err != nil || v != 1 {
		t.Fatalf("Save = version %d, %v", v, err)
	}
	_, got, version, err := Current(ctx, m)
	if err != nil || version != 1 || !bytes.Equal(got, edited) {
		t.Fatalf("Current after Save = version %d, %v, text equal %v", version, err, bytes.Equal(got, edited))
	}

	bad := bytes.Replace(src, []byte("wait: 15"), []byte("wait: 0"), 1)
	_, _, err = Save(ctx, m, bad, "anna@example.org", now)
	var errs Errors
	if !errors.As(err, &errs) || !strings.Contains(errs[0].Path, ".wait") {
		t.Fatalf("Save of an invalid plan: %v", err)
	}
	if len(m.vs) != 1 {
		t.Errorf("an invalid plan was stored: %d versions", len(m.vs))
	}

	m.saveErr = errors.New("disk full")
	if _, _, err := Save(ctx, m, src, "anna@example.org", now); !errors.Is(err, m.saveErr) {
		t.Errorf("Save with a failing store: %v", err)
	}
}
