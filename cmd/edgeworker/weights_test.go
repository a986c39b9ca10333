package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadWeights(t *testing.T) {
	file := []byte("0123456789abcdefghij")
	sum := sha256.Sum256(file)
	good := hex.EncodeToString(sum[:])
	part := func(name string, size int64, s string) weightPart {
		return weightPart{name: name, size: size, body: iotest.HalfReader(strings.NewReader(s))}
	}
	tests := []struct {
		name    string
		parts   []weightPart
		sha     string
		max     int64
		wantErr string
	}{
		{"whole", []weightPart{part("a", 20, string(file))}, good, 100, ""},
		{"shards", []weightPart{part("a", 7, string(file[:7])), part("b", 13, string(file[7:]))}, good, 100, ""},
		{"bad hash", []weightPart{part("a", 20, string(file))}, strings.Repeat("0", 64), 100, "sha256"},
		{"truncated", []weightPart{part("a", 20, string(file[:15]))}, good, 100, "got 15 of 20"},
		{"longer than declared", []weightPart{part("a", 19, string(file))}, good, 100, "longer than"},
		{"unknown size", []weightPart{part("a", -1, string(file))}, good, 100, "size unknown"},
		{"too big", []weightPart{part("a", 20, string(file))}, good, 10, "MODEL_MAX_BYTES"},
		{"empty", []weightPart{part("a", 0, "")}, good, 10, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readWeights(tt.parts, tt.sha, tt.max)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, file) || cap(got) != len(file) {
				t.Fatalf("got %q (cap %d), %v", got, cap(got), err)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	base := map[string]string{"MODEL_BUCKET": "WEIGHTS", "MODEL_KEYS": "m.wbm.000, m.wbm.001", "MODEL_SHA256": sha}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"ok", base, ""},
		{"limits", with("MAX_INPUTS", "8", "MAX_BODY_BYTES", "1000", "CORS_ORIGINS", "*"), ""},
		{"no source", with("MODEL_BUCKET", ""), "no source"},
		{"no keys", with("MODEL_KEYS", " , "), "MODEL_KEYS"},
		{"bad sha", with("MODEL_SHA256", "xyz"), "MODEL_SHA256"},
		{"bad int", with("MAX_INPUTS", "-3"), "MAX_INPUTS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.keys) != 2 || c.keys[1] != "m.wbm.001" || c.modelName != "all-MiniLM-L6-v2" {
				t.Fatalf("config %+v", c)
			}
		})
	}
}
