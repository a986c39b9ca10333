package main

import (
	"errors"
	"testing"
	"time"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
)

type namedModel struct{ api.Model }

func TestLazyModelAnswersLoadingWhileAnotherRequestLoads(t *testing.T) {
	release := make(chan struct{})
	want := &namedModel{}
	l := &lazyModel{load: func() (api.Model, error) {
		<-release
		return want, nil
	}}
	first := make(chan error, 1)
	go func() {
		_, err := l.get()
		first <- err
	}()
	for !l.stats().Loading {
		time.Sleep(time.Millisecond)
	}
	if _, err := l.get(); !errors.Is(err, api.ErrModelLoading) {
		t.Fatalf("get during a load = %v, want ErrModelLoading", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if m, err := l.get(); err != nil || m != want {
		t.Fatalf("get after the load = %v, %v", m, err)
	}
	if s := l.stats(); s.Loads != 1 || s.Attempts != 1 || s.Loading {
		t.Fatalf("stats %+v, want one load in one attempt", s)
	}
}
