package heads

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// File format of a saved head: one JSON object. float32 values survive the
// JSON round trip exactly because encoding/json prints the shortest
// representation that parses back to the same float32.
const (
	fileFormat  = "wasmbert-head"
	fileVersion = 1
)

const (
	kindClassifier = "classifier"
	kindTagger     = "tagger"
)

type headFile struct {
	Format   string            `json:"format"`
	Version  int               `json:"version"`
	Kind     string            `json:"kind"`
	Labels   []string          `json:"labels"`
	Features map[string]string `json:"features,omitempty"`
	Layers   []Layer           `json:"layers"`
}

// Save writes the classifier as a head file.
func (c *Classifier) Save(w io.Writer) error {
	return writeHead(w, headFile{Kind: kindClassifier, Labels: c.Labels, Features: c.Features, Layers: c.net})
}

// Save writes the tagger as a head file.
func (t *Tagger) Save(w io.Writer) error {
	return writeHead(w, headFile{Kind: kindTagger, Labels: t.Labels, Features: t.Features, Layers: t.net})
}

func writeHead(w io.Writer, f headFile) error {
	f.Format, f.Version = fileFormat, fileVersion
	if err := json.NewEncoder(w).Encode(f); err != nil {
		return fmt.Errorf("save %s: %w", f.Kind, err)
	}
	return nil
}

// LoadClassifier reads a head file written by Classifier.Save.
func LoadClassifier(r io.Reader) (*Classifier, error) {
	f, err := readHead(r, kindClassifier)
	if err != nil {
		return nil, err
	}
	c, err := NewClassifier(f.Labels, f.Layers)
	if err != nil {
		return nil, fmt.Errorf("load classifier: %w", err)
	}
	c.Features = f.Features
	return c, nil
}

// LoadTagger reads a head file written by Tagger.Save.
func LoadTagger(r io.Reader) (*Tagger, error) {
	f, err := readHead(r, kindTagger)
	if err != nil {
		return nil, err
	}
	t, err := NewTagger(f.Labels, f.Layers)
	if err != nil {
		return nil, fmt.Errorf("load tagger: %w", err)
	}
	t.Features = f.Features
	return t, nil
}

func readHead(r io.Reader, kind string) (*headFile, error) {
	var f headFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("load %s: %w", kind, err)
	}
	switch {
	case f.Format != fileFormat:
		return nil, fmt.Errorf("load %s: format %q, want %q", kind, f.Format, fileFormat)
	case f.Version != fileVersion:
		return nil, fmt.Errorf("load %s: unsupported version %d (this build reads version %d)", kind, f.Version, fileVersion)
	case f.Kind != kind:
		return nil, fmt.Errorf("load %s: file holds a %q head", kind, f.Kind)
	}
	return &f, nil
}
