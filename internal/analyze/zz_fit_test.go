//go:build analyzetmp

package analyze

import (
	"os"
	"testing"
)

func TestZZFit(t *testing.T) {
	if err := Train("../../../shared/data", "lexicon/weights", DefaultTrainConfig()); err != nil {
		t.Fatal(err)
	}
}

func TestZZEval(t *testing.T) {
	rep, err := Evaluate("../../../shared/data")
	if err != nil {
		t.Fatal(err)
	}
	rep.WriteMarkdown(os.Stdout)
}
