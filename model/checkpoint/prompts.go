package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// readPrompts reads the named prompts of config_sentence_transformers.json
// (e5's "query: " and "passage: ", bge's retrieval instruction), the texts
// sentence-transformers puts before the input when asked for a prompt by
// name. A checkpoint without the file has no prompts.
func readPrompts(dir string) (map[string]string, error) {
	const name = "config_sentence_transformers.json"
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c struct {
		Prompts           map[string]string `json:"prompts"`
		DefaultPromptName *string           `json:"default_prompt_name"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// A default prompt changes every vector encoded without naming one; the
	// model file has no field for it, and dropping it would give vectors
	// that silently differ from the reference.
	if c.DefaultPromptName != nil && *c.DefaultPromptName != "" {
		return nil, fmt.Errorf("%s: default_prompt_name %q not supported (prompts are applied only when named)", name, *c.DefaultPromptName)
	}
	for k := range c.Prompts {
		if k == "" {
			return nil, fmt.Errorf("%s: prompts: empty prompt name", name)
		}
	}
	if len(c.Prompts) == 0 {
		return nil, nil
	}
	return c.Prompts, nil
}
