package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
)

// config is the worker's configuration, read from its vars and secrets (wrangler.jsonc
// "vars", `wrangler secret put API_TOKEN`, or workerd text bindings).
type config struct {
	limits  api.Limits
	token   string   // API_TOKEN: bearer token for /v1/*; empty disables auth
	origins []string // CORS_ORIGINS: comma-separated, "*" for any

	modelName string // MODEL_NAME: reported as "model" and matched against requests
	// The weights come from the R2 bucket bound as MODEL_BUCKET or, if that is empty, from
	// the fetcher (static assets or a service) bound as MODEL_FETCHER. MODEL_KEYS lists the
	// object keys or asset paths whose concatenation is the model file: static assets cap
	// files at 25 MiB, so a larger model is uploaded in shards.
	bucket   string
	fetcher  string
	keys     []string
	sha256   string // MODEL_SHA256: hex digest of the whole model file
	maxBytes int64  // MODEL_MAX_BYTES: refuse larger files instead of running out of memory
	// HEAD_KEY, optional: object key / asset path, in the same bucket or fetcher, of a
	// classifier head file for POST /v1/classify; HEAD_SHA256 is its digest.
	headKey    string
	headSHA256 string
}

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func parseConfig(getenv func(string) string) (config, error) {
	c := config{
		token:      getenv("API_TOKEN"),
		origins:    splitList(getenv("CORS_ORIGINS")),
		modelName:  getenv("MODEL_NAME"),
		bucket:     getenv("MODEL_BUCKET"),
		fetcher:    getenv("MODEL_FETCHER"),
		keys:       splitList(getenv("MODEL_KEYS")),
		sha256:     strings.ToLower(strings.TrimSpace(getenv("MODEL_SHA256"))),
		maxBytes:   96 << 20,
		headKey:    strings.TrimSpace(getenv("HEAD_KEY")),
		headSHA256: strings.ToLower(strings.TrimSpace(getenv("HEAD_SHA256"))),
	}
	if c.modelName == "" {
		c.modelName = "all-MiniLM-L6-v2"
	}
	var inputs, chars, tokens int64
	for name, dst := range map[string]*int64{
		"MAX_BODY_BYTES":     &c.limits.MaxBodyBytes,
		"MAX_INPUTS":         &inputs,
		"MAX_INPUT_CHARS":    &chars,
		"MAX_REQUEST_TOKENS": &tokens,
		"MODEL_MAX_BYTES":    &c.maxBytes,
	} {
		s := getenv(name)
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return config{}, fmt.Errorf("var %s=%q: want a positive integer", name, s)
		}
		*dst = n
	}
	c.limits.MaxInputs, c.limits.MaxInputChars, c.limits.MaxRequestTokens = int(inputs), int(chars), int(tokens)
	switch {
	case c.bucket == "" && c.fetcher == "":
		return config{}, fmt.Errorf("neither MODEL_BUCKET nor MODEL_FETCHER is set: no source for the weights")
	case len(c.keys) == 0:
		return config{}, fmt.Errorf("MODEL_KEYS is empty: name the model file (or its shards, in order)")
	case !hexSHA256.MatchString(c.sha256):
		return config{}, fmt.Errorf("MODEL_SHA256=%q: want the 64 hex digits of the model file's sha256", c.sha256)
	case c.headKey != "" && !hexSHA256.MatchString(c.headSHA256):
		return config{}, fmt.Errorf("HEAD_SHA256=%q: want the 64 hex digits of the head file's sha256 (HEAD_KEY is set)", c.headSHA256)
	case c.headKey == "" && c.headSHA256 != "":
		return config{}, fmt.Errorf("HEAD_SHA256 is set but HEAD_KEY is empty: name the head file")
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
