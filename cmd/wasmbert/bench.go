package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
)

// The benchmark's inputs when run from the repository root; elsewhere the
// built-in texts below stand in.
const (
	defaultCorpus  = "bench/corpus.jsonl"
	defaultSingles = "bench/single_texts.json"
)

// Bounds on the flags, so that a typo cannot ask for a run that never ends.
const (
	maxBenchThreads    = 256
	maxBenchIterations = 100_000
	maxBenchBatch      = 1024
)

// builtinSingles are the single texts of bench/single_texts.json, about
// 8, 32 and 128 tokens with all-MiniLM-L6-v2's tokenizer.
var builtinSingles = []benchText{
	{"8", "The bakery opened early today."},
	{"32", "Our support team refunded the damaged headphones within three business days, and the customer wrote a short note to thank them for the quick and friendly help."},
	{"128", "The research team measured the growth rate of coral reefs using a new imaging technique, with data collected over ten years along the northern coast. Although the sample was small, the results suggest that reefs recover faster than expected when local fishing is limited and water quality improves. Two biologists who were not involved questioned the method, pointing out that storms can move sediment and hide damage from the cameras. The laboratory replied that every site was checked by divers at least twice a year, and it shared the code and the raw images openly so that other groups can repeat the analysis. Their next survey, funded by the regional government, starts in March."},
}

// builtinCorpus is a small mix of short and long texts for throughput when
// no corpus file is at hand.
var builtinCorpus = []string{
	"My sister climbed a narrow trail along the cliffs.",
	"The train was late again this morning.",
	"Nobody expected that the mountain guide photographed the lake at sunrise, but it happened during the long summer holiday.",
	"According to the transit authority, the renovation of the central station will reduce traffic in the old town.",
	"Please send the invoice before Friday.",
	"The committee approved the new budget after a long debate about schools, roads and the hospital.",
	"A small cafe near the harbor serves the best soup in the city.",
	"Researchers found that sleeping less than six hours a night affects memory, mood and the ability to learn new skills.",
	"Where did you park the car?",
	"The museum reopened with an exhibition of old maps, letters and photographs from the first expedition to the north.",
	"Heavy rain flooded several streets downtown, and the fire department pumped water out of basements until midnight.",
	"She thanked the volunteers.",
	"The software update fixes a bug that drained the battery when the phone searched for a network in the background.",
	"Tickets for the concert sold out in ten minutes.",
	"Farmers in the valley switched to crops that need less water after three dry summers in a row.",
	"The library extended its opening hours for students preparing for exams.",
}

// benchText is a labelled single text.
type benchText struct {
	Label string
	Text  string
}

// benchReport is what `wasmbert bench --json` prints.
type benchReport struct {
	Model       string         `json:"model"`
	Info        benchModelInfo `json:"info"`
	GOOS        string         `json:"goos"`
	GOARCH      string         `json:"goarch"`
	NumCPU      int            `json:"num_cpu"`
	Build       string         `json:"build"` // GOEXPERIMENT and GOAMD64 of this binary: they pick the kernels
	Threads     int            `json:"threads"`
	Iterations  int            `json:"iterations"`
	Batch       int            `json:"batch"`
	ResolveMS   float64        `json:"resolve_ms"` // model argument to model file (fetch/convert when not cached)
	LoadMS      float64        `json:"load_ms"`    // model file to a ready engine
	Latency     []benchLatency `json:"latency"`
	Throughput  benchThrough   `json:"throughput"`
	Memory      benchMemory    `json:"memory"`
	LatencyNote string         `json:"latency_note"`
}

type benchModelInfo struct {
	Dim       int            `json:"dim"`
	Layers    int            `json:"layers"`
	MaxLength int            `json:"max_length"`
	DTypes    map[string]int `json:"dtypes"`
}

// benchLatency is the single-text latency of one text, after warm-up.
type benchLatency struct {
	Label  string  `json:"label"`
	Tokens int     `json:"tokens"` // special tokens included, after truncation
	P50MS  float64 `json:"p50_ms"`
	P95MS  float64 `json:"p95_ms"`
	MinMS  float64 `json:"min_ms"`
}

// benchThrough is one pass over the corpus by Threads goroutines taking
// batches of Batch texts in file order.
type benchThrough struct {
	Texts           int     `json:"texts"`
	Tokens          int     `json:"tokens"`
	Seconds         float64 `json:"seconds"`
	TextsPerSecond  float64 `json:"texts_per_s"`
	TokensPerSecond float64 `json:"tokens_per_s"`
}

// benchMemory is measured at the end of the run. PeakRSS is the kernel's
// high-water mark (VmHWM), null where /proc is not available.
type benchMemory struct {
	PeakRSSBytes      *int64 `json:"peak_rss_bytes"`
	HeapSysBytes      uint64 `json:"go_heap_sys_bytes"` // heap address space obtained from the OS; it never shrinks
	HeapInuseBytes    uint64 `json:"go_heap_inuse_bytes"`
	HeapAfterLoad     uint64 `json:"go_heap_alloc_after_load_bytes"`
	AllocBytesPerText uint64 `json:"go_alloc_bytes_per_text"` // during the throughput pass
}

// benchConfig is the checked flags of one run.
type benchConfig struct {
	model      string
	corpus     []string
	singles    []benchText
	threads    int
	iterations int
	batch      int
}

// runBench implements `wasmbert bench -m MODEL [--corpus FILE] [--texts N]
// [--threads N] [--iterations N] [--json]`.
func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	c, asJSON, err := parseBench(args)
	if err != nil {
		return err
	}
	// The engine is single-threaded per call; the threads are goroutines each
	// embedding whole batches, and GOMAXPROCS keeps the runtime (GC included)
	// on as many cores as the library it is compared with.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.threads))

	r := benchReport{
		Model: c.model, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(),
		Build: buildSettings(), Threads: c.threads, Iterations: c.iterations, Batch: c.batch,
		LatencyNote: "one Embed call of one text on one goroutine, whatever --threads is",
	}
	t := time.Now()
	path, err := checkpoint.Resolve(ctx, c.model)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	r.ResolveMS = msSince(t)
	t = time.Now()
	e, err := engine.LoadFile(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	r.LoadMS = msSince(t)
	info := e.Info()
	r.Info = benchModelInfo{Dim: info.Dim, Layers: info.Layers, MaxLength: info.MaxLength, DTypes: info.DTypes}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.Memory.HeapAfterLoad = ms.HeapAlloc

	if r.Latency, err = benchLatencies(ctx, e, c.singles, c.iterations); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	if r.Throughput, err = benchThroughput(ctx, e, c.corpus, c.threads, c.batch); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	runtime.ReadMemStats(&ms)
	r.Memory.AllocBytesPerText = (ms.TotalAlloc - before) / uint64(len(c.corpus))
	r.Memory.HeapSysBytes, r.Memory.HeapInuseBytes = ms.HeapSys, ms.HeapInuse
	if rss, ok := peakRSS(); ok {
		r.Memory.PeakRSSBytes = &rss
	}

	if asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(r)
	}
	return printBench(stdout, &r)
}

func parseBench(args []string) (c benchConfig, asJSON bool, err error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	model := modelFlags(fs)
	corpus := fs.String("corpus", "", "texts for throughput: .jsonl with a \"text\" field per line, else one text per line (default "+defaultCorpus+" if present, else built-in)")
	singles := fs.String("singles", "", "JSON object label -> text for single-text latency (default "+defaultSingles+" if present, else built-in)")
	texts := fs.Int("texts", 0, "use the first N corpus texts (0: all)")
	threads := fs.Int("threads", 1, "goroutines embedding corpus batches concurrently; also GOMAXPROCS")
	iterations := fs.Int("iterations", 20, "timed calls per single text, after 3 warm-up rounds")
	batch := fs.Int("batch", 16, "corpus texts per Embed call (bench uses 16)")
	jsonOut := fs.Bool("json", false, "print one JSON object instead of a table")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert bench [-m MODEL] [--corpus FILE] [--texts N] [--threads N] [--iterations N] [--json]\n\nLoads the model once, then measures single-text latency, corpus throughput and memory in-process.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, false, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return c, false, fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case *threads < 1 || *threads > maxBenchThreads:
		return c, false, fmt.Errorf("bench: --threads %d: want 1..%d", *threads, maxBenchThreads)
	case *iterations < 1 || *iterations > maxBenchIterations:
		return c, false, fmt.Errorf("bench: --iterations %d: want 1..%d", *iterations, maxBenchIterations)
	case *batch < 1 || *batch > maxBenchBatch:
		return c, false, fmt.Errorf("bench: --batch %d: want 1..%d", *batch, maxBenchBatch)
	case *texts < 0:
		return c, false, fmt.Errorf("bench: --texts %d: want 0 (all) or more", *texts)
	}
	c = benchConfig{model: *model, threads: *threads, iterations: *iterations, batch: *batch}
	if c.corpus, err = loadCorpus(*corpus); err != nil {
		return c, false, fmt.Errorf("bench: %w", err)
	}
	if *texts > 0 && *texts < len(c.corpus) {
		c.corpus = c.corpus[:*texts]
	}
	if c.singles, err = loadSingles(*singles); err != nil {
		return c, false, fmt.Errorf("bench: %w", err)
	}
	return c, *jsonOut, nil
}

// loadCorpus reads the corpus file; with no file named it falls back to
// the repository's corpus, then to the built-in texts.
func loadCorpus(path string) ([]string, error) {
	if path == "" {
		if _, err := os.Stat(defaultCorpus); err != nil {
			return builtinCorpus, nil
		}
		path = defaultCorpus
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	jsonl := strings.EqualFold(filepath.Ext(path), ".jsonl")
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4*engine.MaxTextBytes)
	var texts []string
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if !jsonl {
			texts = append(texts, string(line))
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec struct {
			Text *string `json:"text"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("corpus %s:%d: %w", path, n, err)
		}
		if rec.Text == nil {
			return nil, fmt.Errorf("corpus %s:%d: no \"text\" field", path, n)
		}
		texts = append(texts, *rec.Text)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus %s: %w", path, err)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("corpus %s: no texts", path)
	}
	return texts, nil
}

// loadSingles reads a JSON object label -> text, ordered by label (numeric
// labels by value, so "8" comes before "32").
func loadSingles(path string) ([]benchText, error) {
	if path == "" {
		if _, err := os.Stat(defaultSingles); err != nil {
			return builtinSingles, nil
		}
		path = defaultSingles
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("single texts: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("single texts %s: want a JSON object of label -> text: %w", path, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("single texts %s: no texts", path)
	}
	out := make([]benchText, 0, len(m))
	for k, v := range m {
		out = append(out, benchText{k, v})
	}
	slices.SortFunc(out, func(a, b benchText) int {
		x, errA := strconv.Atoi(a.Label)
		y, errB := strconv.Atoi(b.Label)
		if errA == nil && errB == nil {
			return x - y
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out, nil
}

// benchLatencies times iterations Embed calls of each single text, after
// three warm-up rounds over all of them (as bench/workload.js does).
func benchLatencies(ctx context.Context, e *engine.Engine, singles []benchText, iterations int) ([]benchLatency, error) {
	tokens := make([]int, len(singles))
	for round := 0; round < 3; round++ {
		for i, s := range singles {
			emb, err := e.Embed([]string{s.Text}, engine.EmbedOptions{})
			if err != nil {
				return nil, fmt.Errorf("single text %q: %w", s.Label, err)
			}
			tokens[i] = emb[0].NumTokens
		}
	}
	out := make([]benchLatency, len(singles))
	ms := make([]float64, iterations)
	for i, s := range singles {
		for k := range ms {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			t := time.Now()
			if _, err := e.Embed([]string{s.Text}, engine.EmbedOptions{}); err != nil {
				return nil, fmt.Errorf("single text %q: %w", s.Label, err)
			}
			ms[k] = msSince(t)
		}
		out[i] = benchLatency{Label: s.Label, Tokens: tokens[i], P50MS: quantile(ms, 0.5), P95MS: quantile(ms, 0.95), MinMS: slices.Min(ms)}
	}
	return out, nil
}

// benchThroughput embeds the corpus once: threads goroutines take the next
// batch in file order until none is left.
func benchThroughput(ctx context.Context, e *engine.Engine, corpus []string, threads, batch int) (benchThrough, error) {
	nBatches := (len(corpus) + batch - 1) / batch
	var (
		next   atomic.Int64
		tokens atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
	)
	t := time.Now()
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b := int(next.Add(1)) - 1
				if b >= nBatches || ctx.Err() != nil {
					return
				}
				texts := corpus[b*batch : min((b+1)*batch, len(corpus))]
				embs, err := e.Embed(texts, engine.EmbedOptions{})
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("corpus texts %d..%d: %w", b*batch, b*batch+len(texts)-1, err)
					}
					mu.Unlock()
					next.Store(int64(nBatches)) // stop the others
					return
				}
				n := 0
				for _, em := range embs {
					n += em.NumTokens
				}
				tokens.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	secs := time.Since(t).Seconds()
	if first != nil {
		return benchThrough{}, first
	}
	if err := ctx.Err(); err != nil {
		return benchThrough{}, err
	}
	return benchThrough{
		Texts: len(corpus), Tokens: int(tokens.Load()), Seconds: round2(secs),
		TextsPerSecond: round2(float64(len(corpus)) / secs), TokensPerSecond: round2(float64(tokens.Load()) / secs),
	}, nil
}

// quantile is the nearest-rank quantile, as in bench/workload.js: with 20
// samples p95 is the 19th, not the maximum.
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[max(0, int(math.Ceil(q*float64(len(s))))-1)]
}

// peakRSS reads the process's resident-set high-water mark from
// /proc/self/status (Linux only; elsewhere it reports false).
func peakRSS() (int64, bool) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		v, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

func printBench(w io.Writer, r *benchReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%d layers, dim %d, %s)\n", r.Model, r.Info.Layers, r.Info.Dim, dtypeSummary(r.Info.DTypes))
	fmt.Fprintf(tw, "machine\t%s/%s, %d CPUs, threads %d, built with %s\n", r.GOOS, r.GOARCH, r.NumCPU, r.Threads, r.Build)
	fmt.Fprintf(tw, "load\t%.1f ms (resolve %.1f ms)\n", r.LoadMS, r.ResolveMS)
	fmt.Fprintln(tw, "\nsingle text\ttokens\tp50 ms\tp95 ms\tmin ms")
	for _, l := range r.Latency {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\n", l.Label, l.Tokens, l.P50MS, l.P95MS, l.MinMS)
	}
	th := r.Throughput
	fmt.Fprintf(tw, "\nthroughput\t%.2f texts/s, %.0f tokens/s (%d texts, %d tokens, batches of %d, %.2f s)\n",
		th.TextsPerSecond, th.TokensPerSecond, th.Texts, th.Tokens, r.Batch, th.Seconds)
	rss := "n/a"
	if r.Memory.PeakRSSBytes != nil {
		rss = fmt.Sprintf("%.1f MB", float64(*r.Memory.PeakRSSBytes)/1e6)
	}
	fmt.Fprintf(tw, "memory\tpeak RSS %s, Go heap %.1f MB reserved, %.1f MB after load, %.1f KB allocated per text\n",
		rss, float64(r.Memory.HeapSysBytes)/1e6, float64(r.Memory.HeapAfterLoad)/1e6, float64(r.Memory.AllocBytesPerText)/1e3)
	return tw.Flush()
}

// buildSettings names the build settings that choose the kernels: the SIMD
// paths exist only under GOEXPERIMENT=simd.
func buildSettings() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown settings"
	}
	var parts []string
	for _, s := range bi.Settings {
		if s.Key == "GOEXPERIMENT" || s.Key == "GOAMD64" {
			parts = append(parts, s.Key+"="+s.Value)
		}
	}
	if len(parts) == 0 {
		return "default settings"
	}
	return strings.Join(parts, " ")
}

func dtypeSummary(d map[string]int) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", d[k], k)
	}
	return strings.Join(parts, ", ") + " tensors"
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1e3 }

func round2(x float64) float64 { return math.Round(x*100) / 100 }
