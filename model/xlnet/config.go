package xlnet

import "github.com/wasmbert/wasmbert/internal/errfmt"

// Config is the HF XLNetConfig subset feature extraction needs, with
// config.json's field names.
type Config struct {
	VocabSize    int     `json:"vocab_size"`
	DModel       int     `json:"d_model"`
	NLayer       int     `json:"n_layer"`
	NHead        int     `json:"n_head"`
	DHead        int     `json:"d_head"`
	DInner       int     `json:"d_inner"`
	FFActivation string  `json:"ff_activation"` // gelu or relu
	LayerNormEps float64 `json:"layer_norm_eps"`
	AttnType     string  `json:"attn_type"` // only "bi"
	BiData       bool    `json:"bi_data"`   // only false
	// ClampLen caps relative distances at ±ClampLen when positive.
	ClampLen   int `json:"clamp_len"`
	PadTokenID int `json:"pad_token_id"`
}

// maxDim bounds every size so that products of sizes cannot overflow.
const maxDim = 1 << 20

// Validate reports a config the encoder cannot run, naming the config.json field.
func (c Config) Validate() error {
	sizes := []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize},
		{"d_model", c.DModel},
		{"n_layer", c.NLayer},
		{"n_head", c.NHead},
		{"d_head", c.DHead},
		{"d_inner", c.DInner},
	}
	for _, s := range sizes {
		if s.v <= 0 || s.v > maxDim {
			return errfmt.Errorf("xlnet config: %s = %d out of range", s.name, s.v)
		}
	}
	if c.NHead*c.DHead > maxDim {
		return errfmt.Errorf("xlnet config: n_head·d_head = %d out of range", c.NHead*c.DHead)
	}
	if c.DModel%2 != 0 {
		// The sinusoidal encoding has d_model/2 frequencies, sin then cos.
		return errfmt.Errorf("xlnet config: d_model = %d is odd", c.DModel)
	}
	if !(c.LayerNormEps > 0 && c.LayerNormEps < 1) {
		return errfmt.Errorf("xlnet config: layer_norm_eps = %g out of range", c.LayerNormEps)
	}
	if c.AttnType != "bi" {
		return errfmt.Errorf("xlnet config: attn_type %q unsupported (feature extraction runs \"bi\")", c.AttnType)
	}
	if c.BiData {
		return errfmt.Errorf("xlnet config: bi_data = true unsupported")
	}
	if c.FFActivation != "gelu" && c.FFActivation != "relu" {
		return errfmt.Errorf("xlnet config: ff_activation %q unsupported (want gelu or relu)", c.FFActivation)
	}
	return nil
}

// inner is the width of the attention heads concatenated.
func (c Config) inner() int { return c.NHead * c.DHead }
