//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWorkerdLoad sends a fixed number of one-input embeddings requests to real workerd
// through autocannon (node_modules) and checks that all of them succeed and that the
// isolate's memory does not grow with the request count. Only counts and bytes are
// asserted; latency is logged.
//
//	WASMBERT_REAL_MODEL=1 go test -count=1 -run TestWorkerdLoad -v ./cmd/edgeworker/
func TestWorkerdLoad(t *testing.T) {
	root, modelFile := realModelSetup(t)
	cannon := filepath.Join(root, "node_modules/autocannon/autocannon.js")
	if _, err := os.Stat(cannon); err != nil {
		t.Fatalf("autocannon: %v (npm ci installs it)", err)
	}
	w := startWorkerd(t, root, modelFile)

	const (
		requests    = 300
		connections = 4
		// Growth allowed across the measured run: a few encoder workspaces' worth, far below
		// what 300 requests would leak if each kept its activations or its response.
		memoryBound = 8 << 20
	)
	body := `{"input":"The quick brown fox jumps over the lazy dog."}`
	run := func(amount int) cannonResult {
		t.Helper()
		cmd := exec.Command("node", cannon, "--json", "--amount", strconv.Itoa(amount),
			"--connections", strconv.Itoa(connections), "--timeout", "60", "--method", "POST",
			"--headers", "Authorization=Bearer "+testToken, "--headers", "Content-Type=application/json",
			"--body", body, w.url+"/v1/embeddings")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("autocannon: %v\n%s", err, stderr.String())
		}
		var r cannonResult
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("autocannon output %.300q: %v", stdout.String(), err)
		}
		if r.Requests.Total != amount || r.Errors != 0 || r.Timeouts != 0 || r.Non2xx != 0 || r.TwoXX != amount {
			t.Fatalf("%d requests: %d sent, %d 2xx, %d non-2xx, %d errors, %d timeouts\nworkerd log:\n%s",
				amount, r.Requests.Total, r.TwoXX, r.Non2xx, r.Errors, r.Timeouts, w.logs)
		}
		return r
	}
	healthz := func() health {
		t.Helper()
		var h health
		status, b := w.do(t, "GET", "/healthz", "", nil)
		if status != 200 || json.Unmarshal(b, &h) != nil {
			t.Fatalf("GET /healthz: %d %s", status, b)
		}
		return h
	}

	// The warm-up loads the weights with one request, as the e2e test does (this test is about
	// steady load, not the cold start), then lets the same concurrency reach its peak memory,
	// so the measured run shows growth per request.
	w.embed(t, []string{"warm up"}, "float")
	run(4 * connections)
	before := healthz()
	r := run(requests)
	after := healthz()
	t.Logf("%d requests, %d connections: %d 2xx, %d errors; latency p50 %v ms, p99 %v ms, max %v ms; %.1f req/s",
		r.Requests.Total, connections, r.TwoXX, r.Errors, r.Latency.P50, r.Latency.P99, r.Latency.Max, r.Requests.Average)
	t.Logf("healthz before: %s", before.Memory)
	t.Logf("healthz after:  %s", after.Memory)
	if after.InstanceID != before.InstanceID || after.Load.Loads != 1 {
		t.Errorf("requests not served by one instance with one load: before %+v, after %+v", before, after)
	}
	if after.Memory.WasmBytes > before.Memory.WasmBytes+memoryBound {
		t.Errorf("wasm memory grew from %d to %d bytes over %d requests, bound %d",
			before.Memory.WasmBytes, after.Memory.WasmBytes, requests, memoryBound)
	}
	if after.Memory.HeapSys > before.Memory.HeapSys+memoryBound {
		t.Errorf("Go heap grew from %d to %d bytes over %d requests, bound %d",
			before.Memory.HeapSys, after.Memory.HeapSys, requests, memoryBound)
	}
}

// cannonResult is the part of autocannon's --json report the test reads.
type cannonResult struct {
	Errors   int `json:"errors"`
	Timeouts int `json:"timeouts"`
	Non2xx   int `json:"non2xx"`
	TwoXX    int `json:"2xx"`
	Requests struct {
		Total   int     `json:"total"`
		Average float64 `json:"average"`
	} `json:"requests"`
	Latency struct {
		P50 float64 `json:"p50"`
		P99 float64 `json:"p99"`
		Max float64 `json:"max"`
	} `json:"latency"`
}

// TestWorkerdCORS checks the CORS answers of real workerd: the allowed origin is echoed on
// requests and preflights, any other origin gets no Access-Control-Allow-Origin, and a
// preflight needs no token.
//
//	WASMBERT_REAL_MODEL=1 go test -count=1 -run TestWorkerdCORS -v ./cmd/edgeworker/
func TestWorkerdCORS(t *testing.T) {
	root, modelFile := realModelSetup(t)
	w := startWorkerd(t, root, modelFile)
	tests := []struct {
		name, method, path, origin string
		status                     int
		allow                      string // Access-Control-Allow-Origin
		methods                    string // Access-Control-Allow-Methods (preflights)
	}{
		{"allowed origin", "GET", "/healthz", "https://ok.example", 200, "https://ok.example", ""},
		{"denied origin", "GET", "/healthz", "https://evil.example", 200, "", ""},
		{"allowed preflight", "OPTIONS", "/v1/embeddings", "https://ok.example", 204, "https://ok.example", "POST"},
		{"denied preflight", "OPTIONS", "/v1/embeddings", "https://evil.example", 204, "", "POST"},
		{"allowed origin, no token", "POST", "/v1/embeddings", "https://ok.example", 401, "https://ok.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, w.url+tt.path, strings.NewReader(`{"input":"a"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", tt.origin)
			if tt.method == "OPTIONS" {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			}
			resp, err := w.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allow)
			}
			if got := resp.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, tt.methods) {
				t.Errorf("Access-Control-Allow-Methods %q, want it to contain %q", got, tt.methods)
			}
			if tt.allow != "" && !strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization") {
				t.Errorf("Access-Control-Allow-Headers %q does not allow Authorization", resp.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}
