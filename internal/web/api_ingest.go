package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Ingest answers. The status tells a client at a glance whether to look at the errors: 200 when every
// post was good, 207 when some were bad but the good ones are stored, 400 when none was good. The
// body is the same ingestResult in all three.
const (
	maxReportedErrors = 1000 // further bad lines are counted in errors_omitted
	insertBatch       = 1000
)

type ingestResult struct {
	Received      int           `json:"received"`
	Inserted      int           `json:"inserted"`
	Duplicates    int           `json:"duplicates"`
	Dropped       int           `json:"dropped"` // matched no monitor, and keep_all_posts is off
	Errors        []ingestError `json:"errors"`
	ErrorsOmitted int           `json:"errors_omitted,omitempty"`
}

type ingestError struct {
	Line  int    `json:"line,omitempty"`
	Item  int    `json:"item,omitempty"`
	Error string `json:"error"`
}

// apiIngestPosts stores a JSON array or NDJSON of posts. The whole body is read before anything is
// stored, so a body over the limit stores nothing and the client can resend it in parts.
func (s *Server) apiIngestPosts(w http.ResponseWriter, r *http.Request, v *visit) {
	res, status, ok := s.ingestBody(w, r, http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if !ok {
		return
	}
	s.log.Info("posts ingested", "user_id", v.id.User.ID, "received", res.Received, "inserted", res.Inserted,
		"duplicates", res.Duplicates, "dropped", res.Dropped, "bad", len(res.Errors)+res.ErrorsOmitted)
	writeJSON(w, status, res)
}

// ingestBody reads posts from body and ingests them, for the ingest API and inbound webhooks. When it
// returns false it has already answered with an error.
func (s *Server) ingestBody(w http.ResponseWriter, r *http.Request, body io.Reader) (res ingestResult, status int, ok bool) {
	rd := post.NewReader(body)
	res = ingestResult{Errors: []ingestError{}}
	var posts []post.Post
	for {
		p, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var inErr *post.InputError
		var tooBig *http.MaxBytesError
		switch {
		case err == nil:
			res.Received++
			posts = append(posts, p)
			continue
		case errors.As(err, &inErr):
			res.Received++
			if len(res.Errors) < maxReportedErrors {
				res.Errors = append(res.Errors, ingestError{Line: inErr.Line, Item: inErr.Item, Error: inErr.Error()})
			} else {
				res.ErrorsOmitted++
			}
			continue
		case errors.As(err, &tooBig):
			writeJSONError(w, http.StatusRequestEntityTooLarge,
				"the body is larger than the limit; nothing was stored; send fewer posts per request")
			return res, 0, false
		default:
			s.log.Warn("read ingest body", "err", err)
			writeJSONError(w, http.StatusBadRequest, "could not read the request body")
			return res, 0, false
		}
	}
	for start := 0; start < len(posts); start += insertBatch {
		end := min(start+insertBatch, len(posts))
		ir, err := s.deps.Ingest.Ingest(r.Context(), posts[start:end])
		if err != nil {
			s.log.Error("store ingested posts", "err", err, "stored_before", res.Inserted)
			writeJSONError(w, http.StatusInternalServerError, "storing the posts failed; posts are idempotent, so resend them")
			return res, 0, false
		}
		res.Inserted += ir.Stored
		res.Duplicates += ir.Duplicates
		res.Dropped += ir.Dropped
	}
	status = http.StatusOK
	switch {
	case len(res.Errors) > 0 && len(posts) == 0:
		status = http.StatusBadRequest
	case len(res.Errors) > 0:
		status = http.StatusMultiStatus
	}
	return res, status, true
}
