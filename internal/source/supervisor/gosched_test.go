package supervisor

import "runtime"

// runtimeGosched yields while a test polls state that another goroutine is about to change; tests
// never sleep.
func runtimeGosched() { runtime.Gosched() }
