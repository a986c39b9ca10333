//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWorkerdFairness shows what a small request waits while a large one holds the isolate:
// the large one yields between its slices, so the small ones are answered before it. It sends
// a bounded number of requests over loopback and asserts statuses and the order of answers;
// the latencies are logged, never asserted.
//
//	WASMBERT_REAL_MODEL=1 go test -count=1 -run TestWorkerdFairness -v ./cmd/edgeworker/
func TestWorkerdFairness(t *testing.T) {
	root, modelFile := realModelSetup(t)
	w := startWorkerd(t, root, modelFile)

	long := make([]string, 32) // 32 × 256 tokens: the default MAX_REQUEST_TOKENS
	for i := range long {
		// The number, 253 words and [CLS] [SEP]: 256 tokens, the model's maximum length (a
		// longer text would count whole against the budget, as it is embedded as windows).
		long[i] = fmt.Sprintf("%d %s", i, strings.Repeat("word ", 253))
	}
	large, _ := json.Marshal(map[string]any{"input": long})
	const small = `{"input":"A man is playing a guitar."}`
	post := func(body string) (int, []byte, time.Duration, error) {
		start := time.Now()
		req, err := http.NewRequest("POST", w.url+"/v1/embeddings", strings.NewReader(body))
		if err != nil {
			return 0, nil, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := w.client.Do(req)
		if err != nil {
			return 0, nil, 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, time.Since(start), err
	}
	mustPost := func(body string) time.Duration {
		t.Helper()
		status, b, d, err := post(body)
		if err != nil || status != 200 {
			t.Fatalf("POST /v1/embeddings: %d %s %v", status, b, err)
		}
		return d
	}

	mustPost(small) // loads the weights
	var alone []time.Duration
	for range 5 {
		alone = append(alone, mustPost(small))
	}
	largeAlone := mustPost(string(large))

	type answer struct {
		at  time.Time
		d   time.Duration
		err error
	}
	largeDone := make(chan answer, 1)
	go func() {
		status, b, d, err := post(string(large))
		if err == nil && status != 200 {
			err = fmt.Errorf("large request: %d %s", status, b)
		}
		largeDone <- answer{time.Now(), d, err}
	}()
	// Let the large request enter the worker; it runs for a second or more.
	time.Sleep(200 * time.Millisecond)
	var during []time.Duration
	var smallAt []time.Time
	for range 5 {
		during = append(during, mustPost(small))
		smallAt = append(smallAt, time.Now())
	}
	l := <-largeDone
	if l.err != nil {
		t.Fatal(l.err)
	}
	if !smallAt[0].Before(l.at) {
		t.Errorf("the first small request, sent while the large one ran, was answered after it: the large request did not yield")
	}
	answeredBefore := 0
	for _, at := range smallAt {
		if at.Before(l.at) {
			answeredBefore++
		}
	}
	slices.Sort(alone)
	t.Logf("small request alone: median %v, max %v (5 requests)", alone[2], alone[4])
	t.Logf("small request while a 32 × 256-token request runs: %v (%d of 5 answered before it)", during, answeredBefore)
	t.Logf("32 × 256-token request: %v alone, %v with the small ones interleaved", largeAlone, l.d)

	// Over the work budget: refused before any encoding, naming the budget.
	side := make([]string, 256)
	for i := range side {
		side[i] = fmt.Sprintf("%d %s", i, strings.Repeat("word ", 300))
	}
	huge, _ := json.Marshal(map[string]any{"a": side, "b": side})
	status, b := w.do(t, "POST", "/v1/similarity", string(huge), nil)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "MAX_REQUEST_TOKENS") {
		t.Errorf("256 × 256 similarity of 256-token texts: %d %s, want 413 naming MAX_REQUEST_TOKENS", status, b)
	}
	t.Logf("256 × 256 similarity: %d %s", status, b)
}
