package langid

import (
	_ "embed"
	"sync"
)

// modelData is the shipped model, written by
//
//	go run ./internal/analyze/cmd/trainlang -data ../shared/data/langid-lingua-testdata -out internal/analyze/langid/model.bin.gz
//
// It is derived from the lingua test data (Apache-2.0); see NOTICE.
//
//go:embed model.bin.gz
var modelData []byte

// shipped loads the embedded model once, on first use, so programs that never detect a language do not
// pay for it. The value is never modified after loading.
var shipped = sync.OnceValues(func() (*Model, error) { return Load(modelData) })

// Default returns the embedded model.
func Default() (*Model, error) { return shipped() }
