package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/bus"
	"github.com/crisisdesk/crisisdesk/internal/bus/natstest"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/detect/pipeline"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/scenario"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/web"
)

// postgresSchema returns a DSN for a schema of the test's own on the test PostgreSQL server, dropped
// when the test ends. Without CRISISDESK_TEST_POSTGRES it tries the local server and skips loudly when
// none answers; with it, a server that does not answer fails the test.
func postgresSchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("CRISISDESK_TEST_POSTGRES")
	explicit := dsn != ""
	if !explicit {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if explicit {
			t.Fatalf("CRISISDESK_TEST_POSTGRES is set but the server does not answer: %v", err)
		}
		t.Skipf("POSTGRESQL NOT REACHABLE: the scale-out cluster test was SKIPPED: %v (set CRISISDESK_TEST_POSTGRES to a DSN to run it)", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "crisisdesk_bus_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		admin.Close(ctx)
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close(ctx)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("CRISISDESK_TEST_POSTGRES is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// clusterMonitors are the scenario's two monitors and two more, so that the monitors fall into three
// of the four partitions.
func clusterMonitors(s *scenario.Scenario) []scenario.Monitor {
	return append(slices.Clone(s.Monitors),
		scenario.Monitor{ID: "voltana-tag", Query: "#voltana"},
		scenario.Monitor{ID: "brands", Query: "voltana OR kustbank"})
}

// alertKey is what the cluster must agree with a single node on.
type alertKey struct{ Monitor, Kind, Severity string }

func sortedKeys(ks []alertKey) []alertKey {
	slices.SortFunc(ks, func(a, b alertKey) int {
		return strings.Compare(a.Monitor+"\x00"+a.Kind+"\x00"+a.Severity, b.Monitor+"\x00"+b.Kind+"\x00"+b.Severity)
	})
	return ks
}

// singleNode runs the posts through the single-node path in simulated time, as `crisisdesk replay`
// does, without resolving what is open at the end (a live system does not), and returns one key per
// alert with the severity of its last event, and how many posts matched a monitor.
func singleNode(t *testing.T, monitors []scenario.Monitor, posts []post.Post) ([]alertKey, int) {
	t.Helper()
	var ms []query.Monitor
	for _, m := range monitors {
		q, err := query.Parse(m.Query)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, query.Monitor{ID: m.ID, Query: q})
	}
	matcher, err := query.Compile(ms)
	if err != nil {
		t.Fatal(err)
	}
	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	sim := clock.NewSim(time.Time{})
	log := slog.New(slog.DiscardHandler)
	det, err := detect.New(detect.DefaultConfig(), sim, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	am, err := alert.New(alert.DefaultConfig(), sim, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	pl := pipeline.New(an, matcher, det, am)
	last := map[string]alertKey{}
	var evs []alert.Event
	stage := ingest.NewStage(an)
	matched := 0
	for i := range posts {
		if len(stage.Run(&posts[i], matcher).Monitors) > 0 {
			matched++
		}
		sim.Set(posts[i].CreatedAt)
		evs = pl.Process(&posts[i], evs[:0])
		for _, e := range evs {
			last[e.AlertID] = alertKey{e.Monitor, e.Kind, e.Severity.String()}
		}
	}
	var out []alertKey
	for _, k := range last {
		out = append(out, k)
	}
	return sortedKeys(out), matched
}

// TestScaleOutCluster runs three clustered NATS servers, PostgreSQL and two crisisdesk workers (the
// built binary, as separate processes) and feeds them a generated crisis scenario. One worker is
// killed halfway through the stream. The alerts stored must be exactly those a single node raises on
// the same input: none lost to the killed worker, none raised twice after the takeover.
func TestScaleOutCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("the scale-out cluster test starts a NATS cluster and two workers")
	}
	dsn := postgresSchema(t)
	cfg := scenario.DefaultConfig()
	cfg.History = 30 * time.Hour
	cfg.After = 5 * time.Hour
	sc, err := scenario.Generate("complaint_wave", cfg)
	if err != nil {
		t.Fatal(err)
	}
	monitors := clusterMonitors(sc)
	want, wantMatched := singleNode(t, monitors, sc.Posts)
	if len(want) < 2 {
		t.Fatalf("the scenario raises %d alerts on a single node: too few to compare", len(want))
	}
	t.Logf("%d posts; a single node raises %d alerts: %v", len(sc.Posts), len(want), want)

	// The monitors are in the shared database before the workers start.
	ctx := t.Context()
	st, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	for _, m := range monitors {
		if err := st.CreateMonitor(ctx, store.Monitor{ID: m.ID, Name: m.ID, Query: m.Query, Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}

	nats := natstest.Start(t, 3)
	const parts = 4
	env := []string{"CRISISDESK_DB=" + dsn, "CRISISDESK_NATS=" + nats.URLs(), "CRISISDESK_PARTITIONS=" + strconv.Itoa(parts),
		"CRISISDESK_NATS_REPLICAS=3", "CRISISDESK_NATS_ACK_WAIT=2s", "CRISISDESK_NATS_LEASE=2s", "CRISISDESK_LOG_LEVEL=info"}
	workers := make([]*instance, 2)
	for i := range workers {
		workers[i] = newInstance(t)
		workers[i].start(append(env, "CRISISDESK_WORKER_ID=w"+strconv.Itoa(i+1))...)
	}
	defer func() {
		if t.Failed() {
			for i, w := range workers {
				t.Logf("worker %d log:\n%s", i+1, w.logs)
			}
		}
	}()
	// The same settings as the workers': opening the streams updates their settings.
	tr, err := bus.OpenJetStream(ctx, nats.Connect(t), bus.JetStreamConfig{Partitions: parts, Replicas: 3,
		AckWait: 2 * time.Second, LeaseTTL: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	holders := func() map[int]string {
		h, err := tr.Holders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	waitUntil(t, 30*time.Second, "both workers own partitions", func() bool {
		h := holders()
		n := map[string]int{}
		for _, w := range h {
			n[w]++
		}
		return len(h) == parts && n["w1"] > 0 && n["w2"] > 0
	})

	publish := func(ps []post.Post) {
		for lo := 0; lo < len(ps); lo += 500 {
			hi := min(lo+500, len(ps))
			if _, err := (busWriter{tr}).Ingest(ctx, ps[lo:hi]); err != nil {
				t.Fatal(err)
			}
		}
	}
	half := len(sc.Posts) / 2
	publish(sc.Posts[:half])
	// Kill the first worker while it works through the first half: what it had taken and not
	// finished goes to the other after the ack wait, and its partitions after the lease.
	waitUntil(t, 30*time.Second, "the first worker to have handled some posts", func() bool {
		for p, w := range holders() {
			if w != "w1" {
				continue
			}
			if next, _, _ := tr.Cursor(ctx, p); next > 100 {
				return true
			}
		}
		return false
	})
	// One worker at a time runs the sources: the first, which started first.
	if !strings.Contains(workers[0].logs.String(), "this worker runs the sources") || strings.Contains(workers[1].logs.String(), "this worker runs the sources") {
		t.Errorf("the sources should run on the first worker only")
	}
	if err := workers[0].srv.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	workers[0].srv.Wait()
	workers[0].srv = nil
	// Only the first half was published: whatever the killed worker owned, the survivor must
	// rebuild and then carry on with the rest.
	for p, w := range holders() {
		if w == "w1" {
			next, _, _ := tr.Cursor(ctx, p)
			t.Logf("partition %d: the killed worker had handled up to %d of %d", p, next-1, len(sc.Posts))
		}
	}
	// The rest arrives, and the first half once more, as a source that restarted would send it.
	publish(sc.Posts[half:])
	dupWriter := busWriter{tr}
	res, err := dupWriter.Ingest(ctx, sc.Posts[:100])
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicates != 100 {
		t.Errorf("publishing 100 posts again: %d dropped as duplicates; want 100", res.Duplicates)
	}

	// The last post has a sequence number of len(posts); every partition must be past it, owned by
	// the surviving worker.
	last := uint64(len(sc.Posts))
	waitUntil(t, 60*time.Second, "every partition to have handled every post", func() bool {
		h := holders()
		if len(h) != parts {
			return false
		}
		for p := range parts {
			if h[p] != "w2" {
				return false
			}
			if next, _, _ := tr.Cursor(ctx, p); next <= last {
				return false
			}
		}
		return true
	})

	waitUntil(t, 30*time.Second, "the surviving worker to run the sources", func() bool {
		return strings.Contains(workers[1].logs.String(), "this worker runs the sources")
	})

	stored, err := st.Alerts(ctx, store.AlertQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []alertKey
	for _, a := range stored {
		got = append(got, alertKey{a.Monitor, a.Kind, a.Severity})
	}
	got = sortedKeys(got)
	if !slices.Equal(got, want) {
		t.Errorf("the cluster stored %d alerts, a single node raises %d:\n got  %v\n want %v", len(got), len(want), got, want)
	}
	// Every matched post is stored, once.
	n, err := countPosts(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if n != wantMatched {
		t.Errorf("%d posts stored; %d match a monitor", n, wantMatched)
	}

	// A worker stopped with SIGTERM exits cleanly and hands its leases back at once, without waiting
	// for them to lapse.
	workers[1].stop()
	if h := holders(); len(h) != 0 {
		t.Errorf("leases still held after a clean stop: %v", h)
	}
}

func countPosts(ctx context.Context, dsn string) (int, error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer c.Close(ctx)
	var n int
	err = c.QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&n)
	return n, err
}

func waitUntil(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// newTestPartition is partition 0 of 1 over the single-node alert path of newTestAlerting.
func newTestPartition(t *testing.T) (*partitionDetector, *sqlite.Store, *clock.Sim) {
	t.Helper()
	a, st, clk := newTestAlerting(t)
	a.boot = busBoot
	s := &scaleOut{n: 1, st: st, clk: clk, log: slog.New(slog.DiscardHandler), alerts: a, lang: "en", parts: map[int]*partitionDetector{}}
	h, err := s.newPartition(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(alertStart.Add(24 * time.Hour)) // the wall clock is ahead of every post
	return h.(*partitionDetector), st, clk
}

func stepPost(t *testing.T, pd *partitionDetector, seq uint64, sp store.StoredPost, live bool) {
	t.Helper()
	data, err := json.Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := pd.Step(t.Context(), seq, sp.Post.CreatedAt, data, live); err != nil {
		t.Fatal(err)
	}
}

// TestPartitionRebuildThenLive: what a partition replays below its cursor changes its state but is
// not stored; the alert it opened then is carried on live under the id its first owner gave it.
func TestPartitionRebuildThenLive(t *testing.T) {
	pd, st, _ := newTestPartition(t)
	stepPost(t, pd, 1, pressPost("p1", alertStart), false)
	if got, _ := st.Alerts(t.Context(), store.AlertQuery{}); len(got) != 0 {
		t.Fatalf("rebuilding stored %d alerts; want none", len(got))
	}
	stepPost(t, pd, 2, pressPost("p2", alertStart.Add(time.Minute)), true)
	stepPost(t, pd, 3, pressPost("p3", alertStart.Add(7*time.Minute)), true)
	got, err := st.Alerts(t.Context(), store.AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := stableAlertID("m1", detect.InfluentialAuthor, alertStart)
	found := false
	for _, a := range got {
		if a.Kind == detect.InfluentialAuthor {
			found = true
			if a.ID != want {
				t.Errorf("the alert opened while rebuilding is stored as %s; want %s", a.ID, want)
			}
		}
	}
	if !found {
		t.Fatalf("no influential_author alert stored after the rebuild: %+v", got)
	}
}

// TestPartitionAdoptsOpenAlert: an alert of the same monitor and kind that an earlier owner opened,
// and that the rebuild did not reproduce, is carried on rather than raised a second time.
func TestPartitionAdoptsOpenAlert(t *testing.T) {
	pd, st, _ := newTestPartition(t)
	earlier := store.Alert{ID: "bus-earlier", Monitor: "m1", Kind: detect.InfluentialAuthor, Severity: "high", Status: store.AlertOpen,
		Summary: "earlier", Explanation: []byte(`{}`), PostIDs: []string{"p0"}, OpenedAt: alertStart.Add(-time.Hour), UpdatedAt: alertStart.Add(-time.Hour)}
	if err := st.SaveAlert(t.Context(), earlier); err != nil {
		t.Fatal(err)
	}
	stepPost(t, pd, 1, pressPost("p1", alertStart), true)
	got, err := st.Alerts(t.Context(), store.AlertQuery{Monitor: "m1"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range got {
		if a.Kind == detect.InfluentialAuthor {
			ids = append(ids, a.ID)
			if a.UpdatedAt != alertStart {
				t.Errorf("the adopted alert was not updated: updated_at %v", a.UpdatedAt)
			}
		}
	}
	if !slices.Equal(ids, []string{"bus-earlier"}) {
		t.Errorf("influential_author alerts %v; want only the adopted bus-earlier", ids)
	}
}

// TestBusWriterDedupe publishes posts through the API's writer twice: the second time every post is
// dropped by JetStream as a duplicate, keyed by platform and id.
func TestBusWriterDedupe(t *testing.T) {
	c := natstest.Start(t, 1)
	tr, err := bus.OpenJetStream(t.Context(), c.Connect(t), bus.JetStreamConfig{Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	w := busWriter{tr}
	posts := []post.Post{pressPost("a", alertStart).Post, pressPost("b", alertStart).Post}
	other := pressPost("a", alertStart).Post
	other.Platform = "mastodon" // the same id on another platform is another post
	res, err := w.Ingest(t.Context(), append(posts, other))
	if err != nil || res.Received != 3 || res.Stored != 3 || res.Duplicates != 0 {
		t.Fatalf("first: %+v, %v", res, err)
	}
	res, err = w.Ingest(t.Context(), posts)
	if err != nil || res.Received != 2 || res.Stored != 0 || res.Duplicates != 2 {
		t.Fatalf("again: %+v, %v; want 2 duplicates", res, err)
	}
	// A fetch hands out what the server has ready, which on a loaded machine may be fewer than all:
	// gather (and acknowledge) until three distinct messages came, then the stream must have no more.
	seen := map[uint64]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(seen) < 3 && time.Now().Before(deadline) {
		ds, err := tr.FetchIngest(t.Context(), 10, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			seen[d.Seq] = true
			if err := d.Ack(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	}
	ds, err := tr.FetchIngest(t.Context(), 10, 500*time.Millisecond)
	if err != nil || len(seen) != 3 || len(ds) != 0 {
		t.Fatalf("the stream holds %d posts and then %d more, %v; want 3", len(seen), len(ds), err)
	}
}

// TestBusFlags: the scaled-out settings come from the environment and flags; a bad value is refused
// with its variable named, and --nats without PostgreSQL is refused before anything starts.
func TestBusFlags(t *testing.T) {
	for _, c := range []struct {
		env, want string
	}{
		{"CRISISDESK_PARTITIONS=0", "CRISISDESK_PARTITIONS=\"0\": want a whole number of at least 1"},
		{"CRISISDESK_NATS_REPLICAS=three", "CRISISDESK_NATS_REPLICAS=\"three\""},
		{"CRISISDESK_NATS_LEASE=10", "CRISISDESK_NATS_LEASE=\"10\": want a positive duration"},
		{"CRISISDESK_NATS_HISTORY=-1h", "CRISISDESK_NATS_HISTORY=\"-1h\""},
	} {
		name, val, _ := strings.Cut(c.env, "=")
		t.Setenv(name, val)
		err := addBusFlags(newCLI("serve", io.Discard))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error with %q", c.env, err, c.want)
		}
		os.Unsetenv(name)
	}
	t.Setenv("CRISISDESK_PARTITIONS", "16")
	t.Setenv("CRISISDESK_NATS_ACK_WAIT", "5s")
	c := newCLI("serve", io.Discard)
	if err := addBusFlags(c); err != nil {
		t.Fatal(err)
	}
	if err := c.fs.Parse([]string{"--nats", "nats://127.0.0.1:4222", "--partitions", "12"}); err != nil {
		t.Fatal(err)
	}
	if c.cfg.NATS != "nats://127.0.0.1:4222" || c.cfg.Bus.Partitions != 12 || c.cfg.Bus.AckWait != 5*time.Second || c.cfg.Bus.LeaseTTL != 10*time.Second {
		t.Errorf("settings %q %+v", c.cfg.NATS, c.cfg.Bus)
	}
	_, err := newScaleOut(t.Context(), config{NATS: "nats://127.0.0.1:1", DB: "/tmp/x.db"}, nil, nil, nil, nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "--nats needs --db postgres://") {
		t.Errorf("--nats with SQLite: %v", err)
	}
}

// TestBusAnalyse: the analysis step stores what matched, passes each post's time on, leaves a bad
// message with no time, and sends a stored post that came again with higher engagement counts on as a
// metrics update, with the counts it had before.
func TestBusAnalyse(t *testing.T) {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	if err := st.CreateMonitor(t.Context(), store.Monitor{ID: "m1", Name: "m1", Query: "datalek", Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	matcher := query.NewRegistry()
	if _, err := ingest.NewMonitors(st, matcher, nil, nil).Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &scaleOut{st: st, log: slog.New(slog.DiscardHandler)}
	s.ing, err = ingest.New(ingest.Config{Filter: ingest.FilterBySetting, Observer: s.observer(nil)}, an, matcher, st)
	if err != nil {
		t.Fatal(err)
	}
	hit := pressPost("p1", alertStart).Post
	hit.Metrics.Reposts = 3
	miss := hit
	miss.ID, miss.Text = "p2", "Mooi weer vandaag"
	enc := func(p post.Post) []byte {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	res, err := s.analyse(t.Context(), []bus.Delivery{{Seq: 1, Data: enc(hit)}, {Seq: 2, Data: enc(miss)}, {Seq: 3, Data: []byte(`{"id":"x"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || !res[0].At.Equal(alertStart) || res[0].Post == nil || !slices.Equal(res[0].Monitors, []string{"m1"}) {
		t.Fatalf("the matching post: %+v", res[0])
	}
	if !res[1].At.Equal(alertStart) || res[1].Post != nil {
		t.Errorf("the post that matched nothing: %+v", res[1])
	}
	if !res[2].At.IsZero() || res[2].Post != nil {
		t.Errorf("the bad message: %+v", res[2])
	}
	var got busPost
	if err := json.Unmarshal(res[0].Post, &got); err != nil || got.Before != nil || got.Post.ID != "p1" {
		t.Errorf("new post on the partition: %+v, %v", got, err)
	}
	again := hit
	again.Metrics.Reposts = 40
	res, err = s.analyse(t.Context(), []bus.Delivery{{Seq: 4, Data: enc(again)}})
	if err != nil {
		t.Fatal(err)
	}
	got = busPost{}
	if err := json.Unmarshal(res[0].Post, &got); err != nil || got.Before == nil || got.Before.Reposts != 3 || got.Post.Metrics.Reposts != 40 {
		t.Errorf("the post again with more reposts: %+v, %v; want a metrics update from 3 to 40", got, err)
	}
}

// TestBusReady: a worker is ready while both its store and its NATS connection are.
func TestBusReady(t *testing.T) {
	c := natstest.Start(t, 1)
	nc := c.Connect(t)
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := (&scaleOut{nc: nc}).ready(st)
	if err := r.Ping(t.Context()); err != nil {
		t.Fatalf("connected: %v", err)
	}
	nc.Close()
	if err := r.Ping(t.Context()); err == nil || !strings.Contains(err.Error(), "nats: not connected") {
		t.Errorf("after the connection closed: %v", err)
	}
	if (*scaleOut)(nil).ready(st) != web.Pinger(st) {
		t.Error("a single node's readiness is the store's")
	}
}
