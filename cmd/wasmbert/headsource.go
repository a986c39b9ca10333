package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"strings"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// A --head is either a head file (saved with --save, written by `wasmbert
// convert` of a fine-tuned checkpoint, or by the JS library) or the
// directory of a Hugging Face fine-tuned checkpoint. A fine-tuned
// checkpoint's encoder was trained together with its head, so for a
// directory the model defaults to the directory itself.

// headSource is a --head argument resolved: the load function to use and
// the model to default to.
type headSource struct {
	path string
	hf   bool // an HF checkpoint directory
}

func resolveHead(path string) headSource {
	st, err := os.Stat(path)
	return headSource{path: path, hf: err == nil && st.IsDir()}
}

// loadHeadFrom loads a classifier or tagger from a head file or an HF
// checkpoint directory.
func loadHeadFrom[H any](src headSource, fromFile func(io.Reader) (H, error), fromHF func(fs.FS) (H, error)) (H, error) {
	if !src.hf {
		return loadHead(src.path, fromFile)
	}
	h, err := fromHF(os.DirFS(src.path))
	if err != nil {
		return h, fmt.Errorf("%s: %w", src.path, err)
	}
	return h, nil
}

// modelFor is the model to encode with: the one given with -m, or the
// fine-tuned checkpoint of an HF head directory.
func modelFor(fs *flag.FlagSet, model string, src headSource) string {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "m" || f.Name == "model" })
	if src.hf && !set {
		return src.path
	}
	return model
}

// checkInputs rejects a head that reads vectors of another width than the
// encoder's hidden size.
func checkInputs(path string, inputs int, e *engine.Engine) error {
	if dim := e.Info().Dim; inputs != dim {
		return fmt.Errorf("%s: head takes %d-dimensional vectors but the model's hidden size is %d: it was fine-tuned or trained on another encoder", path, inputs, dim)
	}
	return nil
}

// sentenceOptions turns a classifier's recorded features into the embed
// options that compute them.
func sentenceOptions(path string, features map[string]string) (engine.EmbedOptions, error) {
	o, err := engine.SentenceOptions(features)
	if err != nil {
		return o, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// wordOptions does the same for a tagger's features.
func wordOptions(path string, features map[string]string) (engine.EmbedOptions, error) {
	o := engine.EmbedOptions{Words: features["words"], Layer: features["layer"]}
	want := map[string]string{"input": "words", "words": o.Words, "layer": o.Layer}
	if !maps.Equal(features, want) || (o.Words != "first" && o.Words != "mean") {
		return o, fmt.Errorf("%s: head was trained on features %v; ner computes input=words, words=first|mean, layer", path, features)
	}
	return o, nil
}

// hfHeadPath is where `wasmbert convert` writes the head of a fine-tuned
// checkpoint: beside the model file, X.wbm -> X.head.json.
func hfHeadPath(modelPath string) string {
	return strings.TrimSuffix(modelPath, ".wbm") + ".head.json"
}

// saveHFHead writes the head of the fine-tuned checkpoint in dir, if it has
// one, beside the converted model; it returns the path written, or "".
func saveHFHead(dir, modelPath string) (string, string, error) {
	fsys := os.DirFS(dir)
	kind, err := heads.HFKind(fsys)
	if err != nil || kind == "" {
		return "", "", err
	}
	var save func(io.Writer) error
	if kind == "classifier" {
		c, err := heads.LoadHFClassifier(fsys)
		if err != nil {
			return "", "", err
		}
		save = c.Save
	} else {
		t, err := heads.LoadHFTagger(fsys)
		if err != nil {
			return "", "", err
		}
		save = t.Save
	}
	path := hfHeadPath(modelPath)
	return path, kind, saveHead(path, save)
}
