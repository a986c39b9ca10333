package modelfile

import (
	"encoding/hex"
	"fmt"
)

// validate checks the parts of a decoded header the Decoder relies on: the
// tensor table must describe sizes that match shapes and dtypes, with
// aligned, increasing, non-overlapping offsets.
func (h *Header) validate() error {
	if h.Format != FormatName {
		return fmt.Errorf("format %q, want %q", h.Format, FormatName)
	}
	if h.Version != Version {
		return fmt.Errorf("header version %d, want %d", h.Version, Version)
	}
	switch h.Pooling.Mode {
	case "mean", "cls", "max":
	default:
		return fmt.Errorf("pooling mode %q, want mean, cls or max", h.Pooling.Mode)
	}
	if len(h.Tensors) == 0 {
		return fmt.Errorf("no tensors")
	}
	if len(h.Tensors) > maxTensors {
		return fmt.Errorf("%d tensors, limit %d", len(h.Tensors), maxTensors)
	}
	seen := make(map[string]bool, len(h.Tensors))
	var end int64
	for _, t := range h.Tensors {
		if t.Name == "" {
			return fmt.Errorf("tensor with empty name")
		}
		if seen[t.Name] {
			return fmt.Errorf("tensor %s listed twice", t.Name)
		}
		seen[t.Name] = true
		if t.DType != I4 && t.GroupSize != 0 {
			return fmt.Errorf("tensor %s: group_size set for dtype %s", t.Name, t.DType)
		}
		want, err := dataSize(t.DType, t.Shape, t.GroupSize)
		if err != nil {
			return fmt.Errorf("tensor %s: %w", t.Name, err)
		}
		if t.Size != want {
			return fmt.Errorf("tensor %s: size %d, want %d for %s %v", t.Name, t.Size, want, t.DType, t.Shape)
		}
		if t.Offset < end || t.Offset > maxOffset || t.Offset%alignment != 0 {
			return fmt.Errorf("tensor %s: offset %d not aligned or overlapping (previous end %d)", t.Name, t.Offset, end)
		}
		end = t.Offset + t.Size
		if b, err := hex.DecodeString(t.SHA256); err != nil || len(b) != 32 {
			return fmt.Errorf("tensor %s: bad sha256 %q", t.Name, t.SHA256)
		}
	}
	return nil
}
