package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// EmbeddingsRequest is a validated POST /v1/embeddings body.
type EmbeddingsRequest struct {
	Input          []string
	Model          string
	EncodingFormat string // "float" or "base64"
	Dimensions     int    // 0: the model's full width
}

// SimilarityRequest is a validated POST /v1/similarity body. Single strings become one-element
// lists; Single records that both sides were plain strings so the reply can carry one number.
type SimilarityRequest struct {
	A, B   []string
	Model  string
	Single bool
}

// ParseEmbeddingsRequest decodes and validates an embeddings request body.
// Every failure is an *Error: 400, or 413 input_too_long for a text over MaxInputChars.
func ParseEmbeddingsRequest(body []byte, lim Limits) (*EmbeddingsRequest, error) {
	lim = lim.withDefaults()
	var raw struct {
		Input          json.RawMessage `json:"input"`
		Model          *string         `json:"model"`
		EncodingFormat *string         `json:"encoding_format"`
		Dimensions     *int            `json:"dimensions"`
	}
	if err := decodeObject(body, &raw); err != nil {
		return nil, err
	}
	input, err := parseTexts("input", raw.Input, lim)
	if err != nil {
		return nil, err
	}
	req := &EmbeddingsRequest{Input: input, EncodingFormat: "float"}
	if raw.Model != nil {
		req.Model = *raw.Model
	}
	if raw.EncodingFormat != nil {
		switch *raw.EncodingFormat {
		case "float", "base64":
			req.EncodingFormat = *raw.EncodingFormat
		default:
			return nil, badRequest("invalid_encoding_format", `encoding_format must be "float" or "base64", got %q`, *raw.EncodingFormat)
		}
	}
	if raw.Dimensions != nil {
		if *raw.Dimensions < 1 {
			return nil, badRequest("invalid_dimensions", "dimensions must be at least 1, got %d", *raw.Dimensions)
		}
		req.Dimensions = *raw.Dimensions
	}
	return req, nil
}

// ParseSimilarityRequest decodes and validates a similarity request body.
func ParseSimilarityRequest(body []byte, lim Limits) (*SimilarityRequest, error) {
	lim = lim.withDefaults()
	var raw struct {
		A     json.RawMessage `json:"a"`
		B     json.RawMessage `json:"b"`
		Model *string         `json:"model"`
	}
	if err := decodeObject(body, &raw); err != nil {
		return nil, err
	}
	a, err := parseTexts("a", raw.A, lim)
	if err != nil {
		return nil, err
	}
	b, err := parseTexts("b", raw.B, lim)
	if err != nil {
		return nil, err
	}
	req := &SimilarityRequest{A: a, B: b, Single: isJSONString(raw.A) && isJSONString(raw.B)}
	if raw.Model != nil {
		req.Model = *raw.Model
	}
	return req, nil
}

func decodeObject(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return badRequest("invalid_json", "request body must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return badRequest("invalid_type", "field %q has the wrong type: %v", typeErr.Field, err)
		}
		return badRequest("invalid_json", "malformed JSON: %v", err)
	}
	return nil
}

func isJSONString(raw json.RawMessage) bool {
	return len(raw) > 0 && raw[0] == '"'
}

// parseTexts accepts a string or a non-empty array of strings. Token-id arrays, which OpenAI
// also accepts, are refused: they only make sense with the model's own tokenizer ids.
func parseTexts(field string, raw json.RawMessage, lim Limits) ([]string, error) {
	var texts []string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, badRequest("missing_"+field, "%q is required", field)
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, badRequest("invalid_"+field, "%q: %v", field, err)
		}
		texts = []string{s}
	case raw[0] == '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return nil, badRequest("invalid_"+field, "%q: %v", field, err)
		}
		if len(elems) == 0 {
			return nil, badRequest("invalid_"+field, "%q must not be an empty list", field)
		}
		if len(elems) > lim.MaxInputs {
			return nil, badRequest("too_many_inputs", "%q has %d texts, at most %d allowed", field, len(elems), lim.MaxInputs)
		}
		texts = make([]string, len(elems))
		for i, e := range elems {
			if !isJSONString(e) {
				return nil, badRequest("invalid_"+field, "%q[%d] must be a string (token arrays are not supported)", field, i)
			}
			if err := json.Unmarshal(e, &texts[i]); err != nil {
				return nil, badRequest("invalid_"+field, "%q[%d]: %v", field, i, err)
			}
		}
	default:
		return nil, badRequest("invalid_"+field, "%q must be a string or a list of strings", field)
	}
	for i, t := range texts {
		if t == "" {
			return nil, badRequest("empty_"+field, "%q[%d] is empty", field, i)
		}
		if n := utf8.RuneCountInString(t); n > lim.MaxInputChars {
			// 413, as for the body and the work budget: the request is well formed, only too big.
			return nil, &Error{Status: statusRequestEntityTooLarge, Code: "input_too_long",
				Message: fmt.Sprintf("%q[%d] has %d characters, more than the limit of %d per text (MAX_INPUT_CHARS); split it into several texts", field, i, n, lim.MaxInputChars)}
		}
	}
	return texts, nil
}
