// Command genposts writes deterministic, realistic generated posts as JSONL, for benchmarks and load
// tests: go run ./cmd/genposts -n 1000000 > posts.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/postgen"
)

func main() { os.Exit(run()) }

func run() int {
	n := flag.Int("n", 1000, "number of posts")
	seed := flag.Uint64("seed", 1, "random seed")
	start := flag.String("start", "2026-11-20T08:00:00Z", "time of the first post")
	flag.Parse()
	t, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genposts: -start:", err)
		return 2
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	enc := json.NewEncoder(w)
	g := postgen.New(*seed, t)
	for i := 0; i < *n; i++ {
		p := g.Next()
		if err := enc.Encode(&p); err != nil {
			fmt.Fprintln(os.Stderr, "genposts:", err)
			return 2
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genposts:", err)
		return 2
	}
	return 0
}
