//go:build analyzetmp

package analyze

import (
	"os"
	"testing"
)

func TestZZTune(t *testing.T) {
	Tune("../../../shared/data", os.Stdout)
}
