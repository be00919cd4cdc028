package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

// importBatch is how many posts go into one transaction. Large enough to amortise the commit, small
// enough that an interrupted import loses little work and acknowledges often.
const importBatch = 5000

// batchAck is written to stdout after each committed batch: everything up to and including
// through_line is durably stored (or, with --matched-only, dropped for matching no monitor).
type batchAck struct {
	ThroughLine int `json:"through_line"`
	Inserted    int `json:"inserted"`
	Duplicates  int `json:"duplicates"`
	Dropped     int `json:"dropped"`
}

func cmdImport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCLI("import", stderr)
	batch := c.fs.Int("batch", importBatch, "posts per transaction")
	matchedOnly := c.fs.Bool("matched-only", false, "store only posts that match an enabled monitor, as serve does")
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk import [flags] [FILE|-]\n\nAnalyses, matches and stores JSONL posts (or one JSON array). Posts are idempotent by (platform, id).\nEvery post is stored unless --matched-only is given: importing is an explicit act.\nAfter each committed batch a line {\"through_line\":N,…} is written to stdout.")
		c.fs.PrintDefaults()
	}
	if ok, code := c.parse(args); !ok {
		return code
	}
	if c.fs.NArg() > 1 || *batch < 1 {
		c.fs.Usage()
		return exitUsage
	}
	in := stdin
	if name := c.fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return c.fail(err)
		}
		defer f.Close()
		in = f
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, c.cfg, c.logger)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()

	an, err := analyze.New()
	if err != nil {
		return c.fail(err)
	}
	monitors := query.NewRegistry()
	if _, err := ingest.NewMonitors(st, monitors, nil, c.logger).Load(ctx); err != nil {
		return c.fail(err)
	}
	filter := ingest.StoreAll
	if *matchedOnly {
		filter = ingest.MatchedOnly
	}
	ing, err := ingest.New(ingest.Config{Filter: filter, Logger: c.logger}, an, monitors, st)
	if err != nil {
		return c.fail(err)
	}

	// Reading and analysing the next batch overlaps storing the previous one: analysis wants the CPU,
	// the store mostly waits on SQLite's single writer, and together they keep two cores busy. Batches
	// are stored, and acknowledged, strictly in order.
	type prepared struct {
		batch   *ingest.Batch
		through int // the line (or array item) number of the batch's last good post
	}
	batches := make(chan prepared, 1)
	pctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	var (
		read, bad int
		readErr   error
		wg        sync.WaitGroup
	)
	wg.Go(func() {
		defer close(batches)
		read, bad, readErr = readBatches(pctx, post.NewReader(in), *batch, stderr, ing, func(b *ingest.Batch, through int) bool {
			select {
			case batches <- prepared{b, through}:
				return true
			case <-pctx.Done():
				return false
			}
		})
	})
	enc := json.NewEncoder(stdout)
	var stored, dropped int
	var storeErr error
	for pb := range batches {
		if storeErr != nil {
			continue // draining, so the reader can end
		}
		res, err := ing.Store(ctx, pb.batch)
		if err == nil {
			stored += res.Stored
			dropped += res.Dropped
			err = enc.Encode(batchAck{ThroughLine: pb.through, Inserted: res.Stored, Duplicates: res.Duplicates, Dropped: res.Dropped})
		}
		if err != nil {
			storeErr = err
			stopReading()
		}
	}
	wg.Wait()
	if storeErr != nil {
		return c.fail(storeErr)
	}
	if readErr != nil {
		return c.fail(readErr)
	}
	c.logger.Info("import done", "read", read, "inserted", stored, "duplicates", read-stored-dropped, "dropped", dropped, "bad", bad)
	if bad > 0 {
		return exitFindings
	}
	return exitOK
}

// readBatches reads posts from r, reports bad lines on stderr, and hands each batch of size good posts,
// analysed by ing.Prepare, to send, until the input ends, send returns false, or an error. It returns
// the good and bad posts read.
func readBatches(ctx context.Context, r *post.Reader, size int, stderr io.Writer, ing *ingest.Ingester,
	send func(b *ingest.Batch, through int) bool) (read, bad int, err error) {
	buf := make([]post.Post, 0, size)
	lastPos := 0
	flush := func() (bool, error) {
		if len(buf) == 0 {
			return true, nil
		}
		// Prepare copies the posts out, so buf can be refilled at once.
		b, err := ing.Prepare(ctx, buf)
		if err != nil {
			return false, err
		}
		buf = buf[:0]
		return send(b, lastPos), nil
	}
	for {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var ie *post.InputError
		if errors.As(err, &ie) {
			bad++
			fmt.Fprintln(stderr, ie.Error())
			continue
		}
		if err != nil {
			return read, bad, fmt.Errorf("read: %w", err)
		}
		read++
		lastPos = r.Pos()
		buf = append(buf, p)
		if len(buf) == cap(buf) {
			if ok, err := flush(); err != nil || !ok {
				return read, bad, err
			}
		}
	}
	_, err = flush()
	return read, bad, err
}
