package main

import (
	"crypto/rand"
	"encoding/hex"
)

// newInstanceID names this Go instance in /healthz, so a client can tell whether two requests
// were served by the same instance (and therefore the same loaded weights).
func newInstanceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
