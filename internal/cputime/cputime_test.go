package cputime

import (
	"runtime"
	"testing"
)

func TestProcessGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
		t.Skip("CPU time is read only on Unix")
	}
	start, ok := Process()
	if !ok {
		t.Fatal("Process() could not read the CPU time")
	}
	x := 0
	for i := 0; i < 5_000_000; i++ {
		x += i ^ (x >> 3)
	}
	end, _ := Process()
	if end <= start {
		t.Fatalf("CPU time did not grow after busy work (%v → %v, %d)", start, end, x)
	}
}
