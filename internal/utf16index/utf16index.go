// Package utf16index converts UTF-8 byte offsets into a Go string to the
// UTF-16 code unit offsets a JavaScript string is indexed by (what
// String.prototype.slice takes), for texts that crossed from JS to Go.
package utf16index

import "unicode/utf8"

// Cursor converts byte offsets of one text. It walks the text from the last
// offset asked for, so offsets asked in increasing order (token and word
// spans) cost one pass over the text in all, with no table allocated.
type Cursor struct {
	text string
	b, u int // a byte offset and its UTF-16 offset
}

// New returns a Cursor at the start of text.
func New(text string) *Cursor {
	return &Cursor{text: text}
}

// At returns the UTF-16 offset of byte offset b, 0 <= b <= len(text). An
// offset inside a character gives that character's start; a byte that is
// not valid UTF-8 counts as one unit, as U+FFFD would in JS.
func (c *Cursor) At(b int) int {
	if b < c.b {
		c.b, c.u = 0, 0
	}
	for c.b < b {
		r, w := utf8.DecodeRuneInString(c.text[c.b:])
		if c.b+w > b {
			break
		}
		c.b += w
		if r > 0xFFFF {
			c.u += 2 // a surrogate pair
		} else {
			c.u++
		}
	}
	return c.u
}
