// Package notifytest runs real receivers on loopback for the notification tests: an SMTP submission
// server (github.com/emersion/go-smtp) with STARTTLS on a certificate made for the test and AUTH
// PLAIN, and an HTTP receiver that records each request and counts them by idempotency key, as a
// careful webhook receiver would.
package notifytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message the SMTP server accepted.
type Mail struct {
	From     string
	To       []string
	Data     []byte
	TLS      bool   // the session had done STARTTLS
	AuthUser string // who authenticated, empty without AUTH
	At       time.Time
}

// SMTPOptions shape the server.
type SMTPOptions struct {
	Username, Password string // AUTH PLAIN accepts exactly these; empty: AUTH is not offered
	NoTLS              bool   // do not offer STARTTLS
	// RcptError, when set, is the reply to every RCPT TO (for example 450 or 550).
	RcptError *smtp.SMTPError
}

// SMTPServer is a running server on 127.0.0.1.
type SMTPServer struct {
	Addr    string
	RootCAs *x509.CertPool // trusts the server's certificate
	opts    SMTPOptions

	mu       sync.Mutex
	mails    []Mail
	accepted chan Mail
}

// NewSMTPServer starts a server that lives until the test ends. Accepted messages are kept and also
// sent on Accepted (buffered; a full buffer drops, never blocks the server).
func NewSMTPServer(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()
	cert, pool := selfSigned(t)
	s := &SMTPServer{RootCAs: pool, opts: opts, accepted: make(chan Mail, 4096)}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	if !opts.NoTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	// AUTH before STARTTLS is refused unless NoTLS; the client under test must upgrade first.
	srv.AllowInsecureAuth = opts.NoTLS
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s.Addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("smtp serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// Mails returns the accepted messages so far.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Accepted delivers each accepted message as it is accepted.
func (s *SMTPServer) Accepted() <-chan Mail { return s.accepted }

// NewSession implements smtp.Backend.
func (s *SMTPServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

type session struct {
	srv  *SMTPServer
	conn *smtp.Conn
	user string
	mail Mail
}

func (ss *session) AuthMechanisms() []string {
	if ss.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.srv.opts.Username == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.srv.opts.Username || password != ss.srv.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.opts.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.mail = Mail{From: from}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e := ss.srv.opts.RcptError; e != nil {
		return e
	}
	ss.mail.To = append(ss.mail.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	m := ss.mail
	m.Data, m.TLS, m.AuthUser, m.At = b, isTLS, ss.user, time.Now()
	ss.srv.mu.Lock()
	ss.srv.mails = append(ss.srv.mails, m)
	ss.srv.mu.Unlock()
	select {
	case ss.srv.accepted <- m:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.mail = Mail{} }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for the test's hour.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "crisisdesk test smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Request is one request the HTTP receiver got.
type Request struct {
	Header http.Header
	Body   []byte
	At     time.Time
}

// RespondFunc chooses the answer to request number n (from 0).
type RespondFunc func(n int, r *http.Request, body []byte) (status int, header http.Header)

// Receiver is an HTTP server on loopback that answers each request as its RespondFunc says (200 when
// nil) and records it.
type Receiver struct {
	URL     string
	respond RespondFunc

	mu       sync.Mutex
	reqs     []Request
	byKey    map[string]int
	received chan Request
}

// NewReceiver starts a receiver that lives until the test ends.
func NewReceiver(t testing.TB, respond RespondFunc) *Receiver {
	t.Helper()
	rc := &Receiver{respond: respond, byKey: map[string]int{}, received: make(chan Request, 4096)}
	srv := httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := Request{Header: r.Header.Clone(), Body: body, At: time.Now()}
	rc.mu.Lock()
	n := len(rc.reqs)
	rc.reqs = append(rc.reqs, req)
	rc.mu.Unlock()
	status, header := http.StatusOK, http.Header(nil)
	if rc.respond != nil {
		status, header = rc.respond(n, r, body)
	}
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	if status < 300 {
		rc.mu.Lock()
		rc.byKey[r.Header.Get("Idempotency-Key")]++
		rc.mu.Unlock()
		select {
		case rc.received <- req:
		default:
		}
	}
}

// Requests returns every request so far, accepted or not.
func (rc *Receiver) Requests() []Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Request(nil), rc.reqs...)
}

// AcceptedByKey counts accepted (2xx) requests per Idempotency-Key header.
func (rc *Receiver) AcceptedByKey() map[string]int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	m := make(map[string]int, len(rc.byKey))
	for k, v := range rc.byKey {
		m[k] = v
	}
	return m
}

// Received delivers each accepted request as it is accepted.
func (rc *Receiver) Received() <-chan Request { return rc.received }
