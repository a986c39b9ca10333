package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// TestCommandHelp: every command answers -h with its own usage line and a
// description of its flags, without doing any work.
func TestCommandHelp(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			var err error
			help := captureStderr(t, func() {
				err = run(context.Background(), []string{name, "-h"}, strings.NewReader(""), io.Discard)
			})
			if !errors.Is(err, flag.ErrHelp) {
				t.Errorf("%s -h: err = %v, want flag.ErrHelp", name, err)
			}
			if !strings.HasPrefix(help, "usage: wasmbert "+name+" ") {
				t.Errorf("%s -h does not start with its usage line:\n%s", name, help)
			}
			if lines := strings.Count(help, "\n"); lines < 4 {
				t.Errorf("%s -h prints %d lines, want a description and the flags:\n%s", name, lines, help)
			}
		})
	}
}

// captureStderr returns what f writes to os.Stderr, where flag sets print
// their usage.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	f()
	os.Stderr = saved
	w.Close()
	out := <-done
	r.Close()
	return string(bytes.TrimLeft(out, "\n"))
}
