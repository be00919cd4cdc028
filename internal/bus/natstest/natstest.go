// Package natstest starts real NATS servers with JetStream, embedded and on loopback, for tests: one
// server, or a cluster of several that replicates streams between them. Only tests import it, so the
// crisisdesk binary does not carry a NATS server.
package natstest

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Cluster is a set of running servers.
type Cluster struct {
	Servers []*server.Server
}

// URLs returns the client URLs of the servers still running, comma-separated, as nats.Connect takes
// them.
func (c *Cluster) URLs() string {
	var us []string
	for _, s := range c.Servers {
		if s.Running() {
			us = append(us, s.ClientURL())
		}
	}
	return strings.Join(us, ",")
}

// Connect connects to the cluster, reconnecting to another server when one goes away, and closes
// the connection when the test ends.
func (c *Cluster) Connect(t testing.TB) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatalf("natstest: connect: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// Start starts n servers with JetStream, clustered when n > 1, each with its own temporary store, and
// waits until the cluster's JetStream has a leader that sees all n servers. They shut down when the test ends.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	routePorts := make([]int, n)
	if n > 1 {
		for i := range routePorts {
			routePorts[i] = freePort(t)
		}
	}
	var routes []*url.URL
	for _, p := range routePorts {
		routes = append(routes, &url.URL{Scheme: "nats", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(p))})
	}
	c := &Cluster{}
	for i := range n {
		opts := &server.Options{
			ServerName: "n" + strconv.Itoa(i), Host: "127.0.0.1", Port: -1,
			JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true,
		}
		if n > 1 {
			opts.Cluster = server.ClusterOpts{Name: "crisisdesk-test", Host: "127.0.0.1", Port: routePorts[i]}
			opts.Routes = routes
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("natstest: server %d: %v", i, err)
		}
		s.Start()
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("natstest: server %d did not start", i)
		}
		c.Servers = append(c.Servers, s)
	}
	// Ready when the meta leader sees every server with JetStream and current stats: before that,
	// a stream with n replicas finds no place.
	deadline := time.Now().Add(20 * time.Second)
	for n > 1 {
		ready := false
		for _, s := range c.Servers {
			if s.JetStreamIsLeader() && len(s.JetStreamClusterPeers()) == n {
				ready = true
			}
		}
		if ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("natstest: the %d servers did not form a JetStream cluster within 20s", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("natstest: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// String names the cluster in test logs.
func (c *Cluster) String() string {
	return fmt.Sprintf("%d NATS servers at %s", len(c.Servers), c.URLs())
}
