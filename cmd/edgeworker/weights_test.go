package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLoadVerified(t *testing.T) {
	file := []byte("0123456789abcdefghij")
	sum := sha256.Sum256(file)
	good := hex.EncodeToString(sum[:])
	part := func(name string, size int64, s string) weightPart {
		return weightPart{name: name, size: size, body: iotest.HalfReader(strings.NewReader(s))}
	}
	readAll := func(r io.Reader) ([]byte, error) { return io.ReadAll(r) }
	// readHead stands in for a model that ends before the stream does.
	readHead := func(r io.Reader) ([]byte, error) { return io.ReadAll(io.LimitReader(r, 5)) }
	tests := []struct {
		name    string
		parts   []weightPart
		sha     string
		max     int64
		load    func(io.Reader) ([]byte, error)
		want    string
		wantErr string
	}{
		{"whole", []weightPart{part("a", 20, string(file))}, good, 100, readAll, string(file), ""},
		{"shards", []weightPart{part("a", 7, string(file[:7])), part("b", 13, string(file[7:]))}, good, 100, readAll, string(file), ""},
		{"unknown size", []weightPart{part("a", -1, string(file))}, good, 100, readAll, string(file), ""},
		{"exactly max", []weightPart{part("a", -1, string(file))}, good, 20, readAll, string(file), ""},
		{"trailing bytes hashed", []weightPart{part("a", 20, string(file))}, good, 100, readHead, string(file[:5]), ""},
		{"trailing bytes differ", []weightPart{part("a", 20, string(file[:5])+strings.Repeat("x", 15))}, good, 100, readHead, "", "sha256"},
		{"bad hash", []weightPart{part("a", 20, string(file))}, strings.Repeat("0", 64), 100, readAll, "", "sha256"},
		{"truncated", []weightPart{part("a", 20, string(file[:15]))}, good, 100, readAll, "", "got 15 of 20"},
		{"truncated shard", []weightPart{part("a", 9, string(file[:7])), part("b", 13, string(file[7:]))}, good, 100, readAll, "", "read a: got 7 of 9"},
		{"longer than declared", []weightPart{part("a", 19, string(file))}, good, 100, readAll, "", "longer than"},
		{"longer than declared, model done", []weightPart{part("a", 19, string(file))}, good, 100, readHead, "", "longer than"},
		{"declared too big", []weightPart{part("a", 20, string(file))}, good, 10, readAll, "", "MODEL_MAX_BYTES=10"},
		{"unknown size too big", []weightPart{part("a", -1, string(file))}, good, 19, readAll, "", "MODEL_MAX_BYTES=19"},
		{"empty", []weightPart{part("a", 0, "")}, good, 10, readAll, "", "empty"},
		{"stream error", []weightPart{{name: "a", size: 20, body: iotest.ErrReader(errors.New("reset"))}}, good, 100, readAll, "", "read a: reset"},
		{"load error", []weightPart{part("a", 20, string(file))}, good, 100,
			func(io.Reader) ([]byte, error) { return nil, errors.New("bad magic") }, "", "bad magic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadVerified(tt.parts, tt.sha, tt.max, tt.load)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
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
		{"limits", with("MAX_INPUTS", "8", "MAX_BODY_BYTES", "1000", "MAX_REQUEST_TOKENS", "2048", "CORS_ORIGINS", "*"), ""},
		{"no source", with("MODEL_BUCKET", ""), "no source"},
		{"no keys", with("MODEL_KEYS", " , "), "MODEL_KEYS"},
		{"bad sha", with("MODEL_SHA256", "xyz"), "MODEL_SHA256"},
		{"bad int", with("MAX_INPUTS", "-3"), "MAX_INPUTS"},
		{"bad budget", with("MAX_REQUEST_TOKENS", "lots"), "MAX_REQUEST_TOKENS"},
		{"head", with("HEAD_KEY", "m.head.json", "HEAD_SHA256", strings.Repeat("ab", 32)), ""},
		{"head without digest", with("HEAD_KEY", "m.head.json"), "HEAD_SHA256"},
		{"digest without head", with("HEAD_SHA256", strings.Repeat("ab", 32)), "HEAD_KEY is empty"},
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
			if v := tt.env["MAX_REQUEST_TOKENS"]; v != "" && fmt.Sprint(c.limits.MaxRequestTokens) != v {
				t.Fatalf("MAX_REQUEST_TOKENS=%s read as %d", v, c.limits.MaxRequestTokens)
			}
		})
	}
}
