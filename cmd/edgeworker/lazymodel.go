package main

import (
	"sync"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
)

// lazyModel loads the model on first use and keeps it for the life of the Go instance, which
// the JS shim keeps for the life of the isolate. A failed load is retried by the next request
// (the bucket may have been empty a moment ago) instead of being cached. Requests that arrive
// while a load is under way get api.ErrModelLoading at once rather than waiting on it.
type lazyModel struct {
	load func() (api.Model, error)

	loadMu sync.Mutex // held by the one request whose load streams the weights in

	mu       sync.Mutex // guards the fields below; never held across a load
	model    api.Model
	loading  bool
	loads    int // successful loads: 1 in a healthy isolate
	attempts int
	lastErr  error
}

func (l *lazyModel) get() (api.Model, error) {
	if m := l.loaded(); m != nil {
		return m, nil
	}
	if !l.loadMu.TryLock() {
		return nil, api.ErrModelLoading
	}
	defer l.loadMu.Unlock()
	if m := l.loaded(); m != nil {
		return m, nil // another request finished the load while this one waited
	}
	l.mu.Lock()
	l.attempts++
	l.loading = true
	l.mu.Unlock()

	m, err := l.load()

	l.mu.Lock()
	defer l.mu.Unlock()
	l.loading = false
	if err != nil {
		l.lastErr = err
		return nil, err
	}
	l.model, l.lastErr = m, nil
	l.loads++
	return m, nil
}

func (l *lazyModel) loaded() api.Model {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.model
}

type loadStats struct {
	Loaded    bool   `json:"loaded"`
	Loading   bool   `json:"loading"`
	Loads     int    `json:"loads"`
	Attempts  int    `json:"load_attempts"`
	LastError string `json:"last_error,omitempty"`
}

func (l *lazyModel) stats() loadStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := loadStats{Loaded: l.model != nil, Loading: l.loading, Loads: l.loads, Attempts: l.attempts}
	if l.lastErr != nil {
		s.LastError = l.lastErr.Error()
	}
	return s
}
