package modelfile

// decodeBase64 decodes standard, padded base64 (RFC 4648 §4, what
// encoding/json writes for a []byte), the charsmap of a Unigram tokenizer
// record. It is the package's own because encoding/base64 adds 9 kB to the
// WebAssembly engine for this one field; a test holds the two to each other.
func decodeBase64(s string) ([]byte, bool) {
	if len(s)%4 != 0 {
		return nil, false
	}
	out := make([]byte, 0, len(s)/4*3)
	for i := 0; i < len(s); i += 4 {
		var v uint32
		pad := 0
		for k := range 4 {
			c := s[i+k]
			var d byte
			switch {
			case c >= 'A' && c <= 'Z':
				d = c - 'A'
			case c >= 'a' && c <= 'z':
				d = c - 'a' + 26
			case c >= '0' && c <= '9':
				d = c - '0' + 52
			case c == '+':
				d = 62
			case c == '/':
				d = 63
			case c == '=' && i+4 == len(s) && k >= 2 && (k == 3 || s[i+3] == '='):
				pad++
			default:
				return nil, false
			}
			v = v<<6 | uint32(d)
		}
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
		out = out[:len(out)-pad]
		// The bits a padded group leaves unused must be zero (canonical form).
		if v&(1<<(8*pad)-1) != 0 {
			return nil, false
		}
	}
	return out, true
}
