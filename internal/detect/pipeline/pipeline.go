// Package pipeline runs one post through analysis, monitor matching, detection and alerting, the path
// every post takes after ingest. `crisisdesk replay`, the detection evaluation and drills share it, so a
// figure measured on a scenario is a figure of the product's own code path: analysis and matching are
// internal/ingest's Stage, the same step ingest runs on every arriving post.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

// Annotator is the analysis stage as the pipeline needs it; *analyze.Analyzer is one.
type Annotator = ingest.Annotator

// Pipeline holds the stages. It is not safe for concurrent use: it reuses its buffers between posts.
type Pipeline struct {
	stage   *ingest.Stage
	matcher *query.Matcher
	det     *detect.Detector
	alerts  *alert.Manager

	sigs []detect.Signal
}

// New returns a pipeline over the given stages.
func New(an Annotator, m *query.Matcher, det *detect.Detector, alerts *alert.Manager) *Pipeline {
	return &Pipeline{stage: ingest.NewStage(an), matcher: m, det: det, alerts: alerts}
}

// Process runs one post through every stage at the detector's and manager's clock time and appends the
// alert events it causes to dst.
func (pl *Pipeline) Process(p *post.Post, dst []alert.Event) []alert.Event {
	a := pl.stage.Run(p, pl.matcher)
	dst = pl.alerts.Tick(dst)
	if len(a.Monitors) == 0 {
		return dst
	}
	pl.sigs = pl.det.Observe(detect.Input{Post: p, Sentiment: a.Sentiment, Complaint: a.Annotation.Complaint,
		Lang: a.Annotation.Lang, Categories: a.Categories, Monitors: a.Monitors}, pl.sigs[:0])
	for i := range pl.sigs {
		dst = pl.alerts.Add(pl.sigs[i], dst)
	}
	return dst
}

// Tick lets the alert manager resolve quiet alerts at the current time.
func (pl *Pipeline) Tick(dst []alert.Event) []alert.Event { return pl.alerts.Tick(dst) }

// Flush resolves what is still open, at the end of a replay.
func (pl *Pipeline) Flush(dst []alert.Event) []alert.Event { return pl.alerts.Flush(dst) }

// Replay reads posts in time order from r and runs them through pl in simulated time: before each post
// sim is set to its created_at (a post older than the clock does not move it back). Bad lines go to bad
// and are skipped; each event goes to emit. At the end of the input every alert still open is resolved
// at the time of the last post. Replay returns the number of bad lines.
func Replay(ctx context.Context, r io.Reader, sim *clock.Sim, pl *Pipeline, emit func(alert.Event) error, bad func(*post.InputError)) (int, error) {
	rd := post.NewReader(r)
	var evs []alert.Event
	nbad := 0
	flush := func() error {
		for _, e := range evs {
			if err := emit(e); err != nil {
				return fmt.Errorf("replay: emit: %w", err)
			}
		}
		evs = evs[:0]
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return nbad, fmt.Errorf("replay: %w", err)
		}
		p, err := rd.Next()
		if err == io.EOF {
			break
		}
		var ie *post.InputError
		if errors.As(err, &ie) {
			nbad++
			bad(ie)
			continue
		}
		if err != nil {
			return nbad, fmt.Errorf("replay: read: %w", err)
		}
		sim.Set(p.CreatedAt)
		evs = pl.Process(&p, evs)
		if err := flush(); err != nil {
			return nbad, err
		}
	}
	evs = pl.Flush(evs)
	return nbad, flush()
}
